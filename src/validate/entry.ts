// Checks 5-9 of DESIGN §5 for one mirrored entry, against the canonical repository's git objects:
// range recomputed from git, scope (intent commit), self-attestation commit, verdicts, kind rules.
// Depends on the git interface only through the EntryEnv handed in.
import { CheckList } from '../core/checks.js';
import { claimDigest, claimFromPredicate } from '../core/claim.js';
import { parseTrailers, trailerValue, trailerValues } from '../core/trailers.js';
import type { TrustedSigner } from '../sign/signer.js';
import { verifyEnvelopeMemo } from '../verify/pool.js';
import { acceptVerdict, retroactiveNeedsSecondParty } from '../verdict/accept.js';
import type { CommitObject } from '../git/git.js';
import type { VerifiedEntry } from '../mirror/chain.js';
import type { Policy } from '../policy/policy.js';
import { requireVerdict } from '../policy/policy.js';
import { parseIntentCommit } from '../intent/intent.js';
import { reviewerIdentity, verdictMaterial, type VerdictFile } from '../verdict/verdict.js';
import type { RangeOracle } from '../git/oracle.js';

export interface EntryEnv {
  policy: Policy;
  cutover: string | null;
  oracle: RangeOracle;
  /** lowest seq of a chain entry claiming each commit (a Map, or a lookup over the index files) */
  firstClaim: { get(commit: string): number | undefined };
  readCommits(ids: readonly string[]): Promise<Map<string, CommitObject>>;
  loadVerdict(digest: string): Promise<VerdictFile | null>;
  verdictKeys: readonly TrustedSigner[];
}

export async function checkEntry(e: VerifiedEntry, env: EntryEnv): Promise<CheckList> {
  const checks = new CheckList();
  const p = e.predicate;
  // (1-4 already passed in the chain)
  checks.pass('schema');
  checks.pass('signature', signedBy(e));
  checks.pass('chain');
  checks.pass('repository');

  // one batch read for every commit object the checks below need
  const objs = await env.readCommits([p.range.head, p.range.base, p.scope?.commit].filter((x): x is string => !!x));
  // 5. range equals rev-list head ^base, less commits covered by earlier entries
  const commitsSet = new Set(p.range.commits);
  let ranged: Array<{ id: string; parents: string[] }> = [];
  if (p.kind === 'repair') {
    checks.pass('range', 'repair entries cover no commits');
  } else if (!objs.has(p.range.head) || (p.range.base && !objs.has(p.range.base))) {
    checks.fail('range', `range ${p.range.base?.slice(0, 12) ?? '(root)'}..${p.range.head.slice(0, 12)} is not in this repository (fetch it, or it never landed here)`);
    return checks;
  } else {
    const exclude = [p.range.base, env.cutover].filter((x): x is string => !!x);
    ranged = (await env.oracle.range(p.range.head, exclude)).filter((c) => {
      const f = env.firstClaim.get(c.id);
      return f === undefined || f >= e.seq;
    });
    const want = new Set(ranged.map((c) => c.id));
    const hidden = [...want].filter((c) => !commitsSet.has(c));
    const extra = p.range.commits.filter((c) => !want.has(c));
    if (hidden.length || extra.length) {
      const parts = [];
      if (hidden.length) parts.push(`${hidden.length} commit(s) in the range are not listed (${hidden.slice(0, 3).map((c) => c.slice(0, 12)).join(', ')})`);
      if (extra.length) parts.push(`${extra.length} listed commit(s) are not in the range (${extra.slice(0, 3).map((c) => c.slice(0, 12)).join(', ')})`);
      checks.fail('range', parts.join('; '));
    } else checks.pass('range', `${want.size} commit(s)`);
  }

  if (p.kind === 'standard') await standardChecks(e, env, checks, ranged, objs);
  else {
    checks.pass('scope', `n/a for ${p.kind}`);
    checks.pass('attestation', `n/a for ${p.kind}`);
    if (p.verdicts.length || (p.kind === 'retroactive' && retroactiveNeedsSecondParty(env.policy))) await verdictChecks(e, env, checks);
    else checks.pass('verdicts', `none (${p.kind})`);
    kindChecks(e, checks);
  }
  return checks;
}

async function standardChecks(e: VerifiedEntry, env: EntryEnv, checks: CheckList, ranged: Array<{ id: string; parents: string[] }>, objs: Map<string, CommitObject>): Promise<void> {
  const p = e.predicate;
  const a0 = p.scope?.commit;
  const head = p.range.head;
  // 6. scope: A0 is an intent commit for the workstream whose parent is base; all commits descend from A0
  {
    const c = a0 ? objs.get(a0) : undefined;
    const problems: string[] = [];
    if (!p.scope || !c) problems.push('the scope commit is missing');
    else {
      const intent = parseIntentCommit(c);
      if (!intent) problems.push(`${a0!.slice(0, 12)} is not an intent registration commit`);
      else {
        if (intent.workstream !== p.workstream) problems.push(`intent is for ${intent.workstream}, the entry for ${p.workstream}`);
        if (intent.intent !== p.scope.intent) problems.push('the intent text differs from the registration commit');
        if (intent.operator !== p.scope.operator) problems.push('the operator differs from the registration commit');
        if (intent.registeredAt !== p.scope.registeredAt) problems.push('registeredAt differs from the registration commit');
      }
      if (c.parents.length !== 1 || c.parents[0] !== p.range.base) problems.push(`the intent commit's parent is not the range base ${p.range.base?.slice(0, 12)}`);
      else {
        const parent = objs.get(p.range.base!);
        if (!parent || parent.tree !== c.tree) problems.push('the intent commit changes files (its tree differs from its parent)');
      }
      if (!p.range.commits.includes(a0!)) problems.push('the intent commit is not in range.commits');
      // every commit descends from A0: walk parents-before-children
      const desc = new Set<string>([a0!]);
      for (const rc of ranged) if (rc.parents.some((x) => desc.has(x))) desc.add(rc.id);
      let strays = ranged.filter((rc) => !desc.has(rc.id));
      // a commit may descend from A0 only through commits earlier entries cover (work re-attested on top
      // of attested work): ask git for those few
      if (strays.length && p.range.base) {
        const kept = [];
        for (const s of strays) if (!(await env.oracle.range(s.id, [p.range.base])).some((x) => x.id === a0)) kept.push(s);
        strays = kept;
      }
      if (strays.length) problems.push(`${strays.length} commit(s) do not descend from the intent commit (${strays.slice(0, 3).map((s) => s.id.slice(0, 12)).join(', ')}): work before intent registration`);
    }
    if (problems.length) checks.fail('scope', problems.join('; '));
    else checks.pass('scope', `${p.workstream} registered at ${a0!.slice(0, 12)}`);
  }
  // 7. head is the attestation commit: unchanged tree, CSAE-Claim equals the recomputed claim digest
  {
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
    if (problems.length) checks.fail('attestation', problems.join('; '));
    else checks.pass('attestation', head.slice(0, 12));
  }
  // 8. verdicts
  await verdictChecks(e, env, checks);
  checks.pass('kind', 'standard');
}

export async function verdictChecks(e: VerifiedEntry, env: EntryEnv, checks: CheckList): Promise<void> {
  const p = e.predicate;
  const problems: string[] = [];
  if (p.verdicts.length === 0 && requireVerdict(env.policy) && p.kind === 'standard') problems.push('the policy requires a verdict and the entry has none');
  const covered = new Set<string>();
  const reviewers: string[] = [];
  let secondParty = false;
  for (const ref of p.verdicts) {
    const v = await env.loadVerdict(ref.digest);
    if (!v) {
      problems.push(`verdict ${ref.digest.slice(0, 19)} is not in the mirror`);
      continue;
    }
    if (v.digest !== ref.digest) {
      problems.push(`verdict ${ref.digest.slice(0, 19)} digest mismatch`);
      continue;
    }
    const d = acceptVerdict(v, env.policy, { name: e.signer, keyid: e.keyid });
    problems.push(...d.problems);
    if (!d.identity) continue;
    reviewers.push(d.identity);
    secondParty ||= d.secondParty;
    const vp = v.statement.predicate;
    if (ref.status !== vp.status || ref.score !== vp.score || ref.floor !== vp.floor || ref.reviewer !== reviewerIdentity(vp)) problems.push(`the entry's summary of verdict ${ref.digest.slice(0, 19)} differs from the verdict`);
    for (const s of v.statement.subject) covered.add(s.digest.gitCommit);
  }
  if (p.kind === 'retroactive' && retroactiveNeedsSecondParty(env.policy) && !secondParty) problems.push(`two-party rule: a retroactive entry needs a passing verdict by someone other than its signer ${e.signedAs ?? e.signer} (or the policy's retroactive: solo)`);
  if (p.kind === 'standard' && p.verdicts.length > 0) {
    const work = p.range.commits.filter((c) => c !== p.range.head);
    const missing = work.filter((c) => !covered.has(c));
    if (missing.length) problems.push(`the verdicts do not cover ${missing.length} commit(s) of the range (${missing.slice(0, 3).map((c) => c.slice(0, 12)).join(', ')}): reviewed a different range`);
  }
  if (problems.length) checks.fail('verdicts', problems.join('; '));
  else checks.pass('verdicts', p.verdicts.length ? `reviewed by ${reviewers.join(', ')}` : 'none required');
}

function kindChecks(e: VerifiedEntry, checks: CheckList): void {
  const p = e.predicate;
  const reason = p.notes?.reason;
  const problems: string[] = [];
  if (p.scope !== null && p.kind !== 'abandonment') problems.push(`${p.kind} entries carry no scope`);
  if (p.selfAttestation !== null) problems.push(`${p.kind} entries have no attestation commit`);
  if (!reason) problems.push(`${p.kind} entries must carry notes.reason`);
  if (p.kind === 'bypass' && !p.range.ref) problems.push('bypass entries must name range.ref');
  if (problems.length) checks.fail('kind', problems.join('; '));
  else checks.pass('kind', `${p.kind}: ${reason}`);
}

/** The checks of an entry this clone saw pass 5-9 before (verified index): all passed, said so. */
export function cachedChecks(e: VerifiedEntry): CheckList {
  const c = new CheckList();
  c.pass('schema');
  c.pass('signature', signedBy(e));
  c.pass('chain');
  c.pass('repository');
  for (const n of ['range', 'scope', 'attestation', 'verdicts', 'kind'] as const) c.pass(n, 'passed before in this clone (verified index)');
  return c;
}

/** "olive (key) under the policy at <commit>": who signed, verified, and which policy version said so. */
export function signedBy(e: VerifiedEntry): string {
  return `${e.signedAs ?? e.signer} (${e.tier})${e.epochCommit ? ` under the policy at ${e.epochCommit.slice(0, 12)}` : ''}`;
}
