// Audit listings: coverage gaps of a ref (what the CI replay would reject, plus what is covered only
// post hoc) and stranded intents (registered, never covered by any entry).
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import { replay } from '../validate/validate.js';
import { resolveRev } from '../git/range.js';
import { auditPolicy } from './audit.js';
import { MirrorStore } from '../mirror/store.js';
import { claimIndex } from '../mirror/claims.js';
import { parseIntentCommit } from '../intent/intent.js';
import type { Diagnosis } from '../validate/diagnose.js';

export interface GapsResult {
  ref: string;
  tip: string;
  commits: number;
  gaps: Diagnosis[];
  postHoc: Array<{ commit: string; seq: number; workstream: string }>;
  bypassed: Array<{ commit: string; seq: number }>;
  chainOk: boolean;
}

export async function auditGaps(ctx: Context, repo: Repo, refName: string, fullRef: string): Promise<GapsResult> {
  const tip = await resolveRev(repo.git, refName);
  const report = await replay(repo, { ref: fullRef, tip });
  const r = report.refs[0]!;
  const policy = await auditPolicy(repo);
  const chain = await new MirrorStore(repo, policy).chain({ sync: false });
  const covered = new Set((await repo.git.revList([tip])).map((c) => c.id));
  const postHoc: GapsResult['postHoc'] = [];
  const bypassed: GapsResult['bypassed'] = [];
  for (const e of chain.entries) {
    for (const c of e.predicate.range.commits) {
      if (!covered.has(c)) continue;
      if (e.predicate.kind === 'retroactive') postHoc.push({ commit: c, seq: e.seq, workstream: e.predicate.workstream });
      if (e.predicate.kind === 'bypass') bypassed.push({ commit: c, seq: e.seq });
    }
  }
  void ctx;
  return { ref: fullRef, tip, commits: r.commits, gaps: r.uncovered, postHoc, bypassed, chainOk: r.chainProblems.length === 0 };
}

export interface Stranded {
  workstream: string;
  commit: string;
  intent: string;
  operator: string;
  registeredAt: string;
}

/** Intent commits on any ref of this clone that no mirrored entry lists. */
export async function auditStranded(ctx: Context, repo: Repo): Promise<Stranded[]> {
  const policy = await auditPolicy(repo);
  const chain = await new MirrorStore(repo, policy).chain({ sync: false });
  const { byCommit } = claimIndex(chain);
  const ids = await repo.git.lines(['log', '--all', '--format=%H', '--fixed-strings', '--grep=CSAE-Type: intent']);
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
