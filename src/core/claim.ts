// The two-phase self-attestation claim (DESIGN §2.3). Pure.
import { canonicalize } from './jcs.js';
import { sha256Hex } from './digest.js';
import type { BundlePredicate, Claim } from './statement.js';

export function claimDigest(claim: Claim): string {
  return 'sha256:' + sha256Hex(canonicalize(claim));
}

/** Recompute the claim a standard bundle's predicate was built from: range.commits less the head. */
export function claimFromPredicate(p: BundlePredicate): Claim | null {
  if (!p.scope || p.range.base === null) return null;
  const commits = p.range.commits.filter((c) => c !== p.range.head);
  return {
    repository: p.repository,
    workstream: p.workstream,
    scope: p.scope,
    range: { base: p.range.base, commits },
    verdicts: p.verdicts,
  };
}
