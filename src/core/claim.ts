// The two-phase self-attestation claim (DESIGN §2.3). Pure.
import { canonicalize } from './jcs.js';
import { sha256Hex } from './digest.js';
import { declaredAssistance, type Assistance, type AssistanceSource } from './assistance.js';
import type { BundlePredicate, Claim } from './statement.js';

export function claimDigest(claim: Claim): string {
  return 'sha256:' + sha256Hex(canonicalize(claim));
}

/**
 * The claim with its declared assistance. NOTE: an empty list is omitted, so a claim without declared
 * assistance has the same bytes (and digest) as before assistance existed.
 */
export function withAssistance(claim: Omit<Claim, 'assistance'>, assistance: readonly Assistance[]): Claim {
  return assistance.length ? { ...claim, assistance: [...assistance] } : { ...claim };
}

/** The claim's declared assistance, gathered from the commit objects of its range (intent commit first). */
export function claimAssistance(claim: Pick<Claim, 'scope' | 'range'>, commits: ReadonlyMap<string, Omit<AssistanceSource, 'id'>>): Assistance[] | null {
  const src: AssistanceSource[] = [];
  for (const id of claim.range.commits) {
    const c = commits.get(id);
    if (!c) return null;
    src.push({ id, message: c.message, ...(c.author ? { author: c.author } : {}) });
  }
  return declaredAssistance(src, claim.scope.commit);
}

/**
 * Recompute the claim a standard bundle's predicate was built from: range.commits less the head.
 * Given the range's commit objects, the declared assistance is recomputed from git alone, and a
 * predicate whose `assistance` differs from what the commits declare has no claim (null): the check
 * that compares digests then fails.
 */
export function claimFromPredicate(p: BundlePredicate, commits?: ReadonlyMap<string, Omit<AssistanceSource, 'id'>>): Claim | null {
  if (!p.scope || p.range.base === null) return null;
  const base: Omit<Claim, 'assistance'> = {
    repository: p.repository,
    workstream: p.workstream,
    scope: p.scope,
    range: { base: p.range.base, commits: p.range.commits.filter((c) => c !== p.range.head) },
    verdicts: p.verdicts,
  };
  if (!commits) return withAssistance(base, p.assistance ?? []);
  const gathered = claimAssistance(base, commits);
  if (!gathered || canonicalize(gathered) !== canonicalize(p.assistance ?? [])) return null;
  return withAssistance(base, gathered);
}
