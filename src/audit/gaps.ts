// Audit listings: coverage gaps of a ref (what the CI replay would reject, plus what is covered only
// post hoc) and stranded intents (registered, never covered by any entry).
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import { replay, resolveCutover } from '../validate/validate.js';
import { resolveRev } from '../git/range.js';
import { MirrorStore } from '../mirror/store.js';
import { claimIndex } from '../mirror/claims.js';
import { parseIntentCommit } from '../intent/intent.js';
import type { Diagnosis } from '../validate/diagnose.js';
import type { CheckResult } from '../core/checks.js';
import type { Policy } from '../policy/policy.js';

export interface GapsResult {
  ref: string;
  tip: string;
  /** commits after the cutover: attested + postHoc + bypassed + gaps (every one counted once) */
  commits: number;
  /** covered by a standard entry (or accepted by a merge or rewrite rule) */
  attested: number;
  gaps: Diagnosis[];
  postHoc: Array<{ commit: string; seq: number; workstream: string }>;
  bypassed: Array<{ commit: string; seq: number }>;
  chainOk: boolean;
  /** entries listing commits of the ref whose checks 5-9 fail */
  failing: Array<{ seq: number; kind: string; workstream: string; checks: CheckResult[] }>;
}

export async function auditGaps(ctx: Context, repo: Repo, policy: Policy, refName: string, fullRef: string): Promise<GapsResult> {
  const tip = await resolveRev(repo.git, refName);
  const report = await replay(repo, { ref: fullRef, tip });
  const r = report.refs[0]!;
  const chain = await new MirrorStore(repo, policy).chain({ sync: false });
  // the commits the replay judged: after the cutover (pre-cutover history is exempt, never post hoc)
  const cutover = await resolveCutover(repo, policy, tip);
  const judged = new Set((await repo.git.revList([tip], cutover ? [cutover] : [])).map((c) => c.id));
  const gapSet = new Set(r.uncovered.map((d) => d.commit));
  const { firstClaim } = claimIndex(chain);
  const bySeq = new Map(chain.entries.map((e) => [e.seq, e]));
  const postHoc: GapsResult['postHoc'] = [];
  const bypassed: GapsResult['bypassed'] = [];
  for (const c of judged) {
    if (gapSet.has(c)) continue;
    // only the first entry listing a commit covers it (check 5)
    const seq = firstClaim.get(c);
    const e = seq === undefined ? undefined : bySeq.get(seq);
    if (e?.predicate.kind === 'retroactive') postHoc.push({ commit: c, seq: e.seq, workstream: e.predicate.workstream });
    else if (e?.predicate.kind === 'bypass') bypassed.push({ commit: c, seq: e.seq });
  }
  void ctx;
  const commits = r.commits;
  const failing = r.entries.filter((e) => !e.ok).map((e) => ({ seq: e.seq, kind: e.kind, workstream: e.workstream, checks: e.checks }));
  return { ref: fullRef, tip, commits, attested: commits - r.uncovered.length - postHoc.length - bypassed.length, gaps: r.uncovered, postHoc, bypassed, chainOk: r.chainProblems.length === 0, failing };
}

export interface Stranded {
  workstream: string;
  commit: string;
  intent: string;
  operator: string;
  registeredAt: string;
}

/** Intent commits on any ref of this clone that no mirrored entry lists. */
export async function auditStranded(ctx: Context, repo: Repo, policy: Policy): Promise<Stranded[]> {
  const chain = await new MirrorStore(repo, policy).chain({ sync: false });
  const { byCommit } = claimIndex(chain);
  const ids = await repo.git.grepCommits('CSAE-Type: intent', { all: true });
  const objs = await repo.git.readCommits(ids);
  const out: Stranded[] = [];
  for (const id of ids) {
    const c = objs.get(id);
    const p = c ? parseIntentCommit(c) : null;
    if (!p || byCommit.has(id)) continue;
    out.push({ workstream: p.workstream, commit: id, intent: p.intent, operator: p.operator, registeredAt: p.registeredAt });
  }
  void ctx;
  return out;
}
