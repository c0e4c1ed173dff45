// Check 8 (DESIGN §5): every verdict the entry names is in the mirror with a matching digest and is
// accepted (verdict/accept.ts: trusted reviewer, pass, score >= floor); the entry's summary matches each;
// the verdicts cover the reviewed range (standard); a retroactive entry meets the two-party rule; a
// standard entry carries a verdict when the policy requires one. Entries of other kinds that name no
// verdict and need no second party pass with "none (<kind>)".
import type { CheckOutcome } from '../../core/checks.js';
import { requireVerdict } from '../../policy/policy.js';
import { acceptVerdict, retroactiveNeedsSecondParty } from '../../verdict/accept.js';
import { reviewerIdentity } from '../../verdict/verdict.js';
import { outcome, type EntryContext } from './context.js';

export async function verdicts(ctx: EntryContext): Promise<CheckOutcome> {
  const { entry: e, env } = ctx;
  const p = e.predicate;
  const twoParty = p.kind === 'retroactive' && retroactiveNeedsSecondParty(env.policy);
  if (p.kind !== 'standard' && !p.verdicts.length && !twoParty) return { ok: true, detail: `none (${p.kind})` };
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
  if (twoParty && !secondParty) problems.push(`two-party rule: a retroactive entry needs a passing verdict by someone other than its signer ${e.signedAs ?? e.signer} (or the policy's retroactive: solo)`);
  if (p.kind === 'standard' && p.verdicts.length > 0) {
    const work = p.range.commits.filter((c) => c !== p.range.head);
    const missing = work.filter((c) => !covered.has(c));
    if (missing.length) problems.push(`the verdicts do not cover ${missing.length} commit(s) of the range (${missing.slice(0, 3).map((c) => c.slice(0, 12)).join(', ')}): reviewed a different range`);
  }
  return outcome(problems, p.verdicts.length ? `reviewed by ${reviewers.join(', ')}` : 'none required');
}
