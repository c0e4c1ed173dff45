// Check 7 (DESIGN §5), standard entries only: range.head is the attestation commit — one parent, an
// unchanged tree, CSAE-Type: attestation, and CSAE-Claim equal to the claim digest recomputed from git;
// its workstream, scope and verdict trailers agree with the entry.
import type { CheckOutcome } from '../../core/checks.js';
import { claimDigest, claimFromPredicate } from '../../core/claim.js';
import { parseTrailers, trailerValue, trailerValues } from '../../core/trailers.js';
import { outcome, type EntryContext } from './context.js';

export async function attestation(ctx: EntryContext): Promise<CheckOutcome> {
  const { entry: e, env, objs } = ctx;
  const p = e.predicate;
  if (p.kind !== 'standard') return { ok: true, detail: `n/a for ${p.kind}` };
  const head = p.range.head;
  const problems: string[] = [];
  const c = objs.get(head);
  const claim = claimFromPredicate(p, await env.readCommits(p.range.commits)); // assistance recomputed from git
  const digest = claim ? claimDigest(claim) : null;
  if (!p.selfAttestation || p.selfAttestation.commit !== head) problems.push('selfAttestation.commit is not range.head');
  if (!digest || p.selfAttestation?.claimDigest !== digest) problems.push('selfAttestation.claimDigest does not match the recomputed claim');
  if (!c) problems.push('the attestation commit is missing');
  else {
    try {
      const t = parseTrailers(c.message);
      if (trailerValue(t, 'CSAE-Type') !== 'attestation') problems.push(`${head.slice(0, 12)} has no CSAE-Type: attestation trailer`);
      if (trailerValue(t, 'CSAE-Workstream') !== p.workstream) problems.push('CSAE-Workstream differs');
      if (trailerValue(t, 'CSAE-Claim') !== digest) problems.push(`CSAE-Claim ${trailerValue(t, 'CSAE-Claim') ?? '(none)'} differs from the recomputed claim ${digest}`);
      if (trailerValue(t, 'CSAE-Scope') !== p.scope?.commit) problems.push('CSAE-Scope differs from the scope commit');
      const tv = trailerValues(t, 'CSAE-Verdict').sort();
      const pv = p.verdicts.map((v) => v.digest).sort();
      if (tv.join() !== pv.join()) problems.push('CSAE-Verdict trailers differ from the entry verdicts');
    } catch (err) {
      problems.push((err as Error).message);
    }
    if (c.parents.length !== 1) problems.push('the attestation commit must have exactly one parent');
    else {
      const parentObj = (await env.readCommits([c.parents[0]!])).get(c.parents[0]!);
      if (!parentObj || parentObj.tree !== c.tree) problems.push('the attestation commit changes files');
    }
  }
  return outcome(problems, head.slice(0, 12));
}
