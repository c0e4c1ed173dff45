// What a CI run shows people: one row per entry the check relied on or tried (its commits → the entry →
// its verdicts → the confidence its kind carries) and one per uncovered commit. Read from the replay's
// basis (the chain it verified), with the verdicts read from the mirror clone the replay synced.
// Depends on: validate (the report and the verdict loader), mirror. Must not: print or read process state.
import type { Repo } from '../git/repo.js';
import type { Report } from '../validate/validate.js';
import { verdictLoader } from '../validate/validate.js';
import { MirrorStore } from '../mirror/store.js';
import { reviewerIdentity } from '../verdict/verdict.js';

export type Confidence = 'attested' | 'post-hoc' | 'bypass' | 'none';

export interface SummaryRow {
  /** the commits: an entry's range head and how many commits it lists, or one uncovered commit */
  commit: string;
  count: number;
  subject?: string;
  entry: { seq: number; kind: string; workstream: string; ok: boolean; failed?: string } | null;
  verdicts: Array<{ reviewer: string; status: string; score: number; floor: number }>;
  confidence: Confidence;
  /** for an uncovered commit: the diagnosis code and its next step */
  diagnosis?: { code: string; message: string; next: string };
}

const CONFIDENCE: Record<string, Confidence> = { standard: 'attested', retroactive: 'post-hoc', bypass: 'bypass' };

/** Rows for `report` (a replay with its basis); at most `limit` entry rows and `limit` uncovered rows. */
export async function summaryRows(repo: Repo, report: Report, limit = 50): Promise<SummaryRow[]> {
  const rows: SummaryRow[] = [];
  const basis = report.basis;
  const ref = report.refs[0];
  if (!ref) return rows;
  for (const d of ref.uncovered.slice(0, limit)) rows.push({ commit: d.commit, count: 1, subject: d.subject, entry: null, verdicts: [], confidence: 'none', diagnosis: { code: d.code, message: d.message, next: d.next } });
  if (!basis) return rows;
  const bySeq = new Map(basis.chain.entries.map((e) => [e.seq, e]));
  const load = await verdictLoader(new MirrorStore(repo, basis.policy), basis.chain);
  for (const ev of ref.entries.slice(0, limit)) {
    const e = bySeq.get(ev.seq);
    if (!e) continue;
    const verdicts: SummaryRow['verdicts'] = [];
    for (const v of e.predicate.verdicts) {
      const f = await load(v.digest);
      if (f) verdicts.push({ reviewer: reviewerIdentity(f.statement.predicate), status: f.statement.predicate.status, score: f.statement.predicate.score, floor: f.statement.predicate.floor });
    }
    const failed = ev.checks.find((c) => !c.ok);
    rows.push({
      commit: e.predicate.range.head,
      count: e.predicate.range.commits.length,
      entry: { seq: ev.seq, kind: ev.kind, workstream: ev.workstream, ok: ev.ok, ...(failed ? { failed: `${failed.name}${failed.detail ? `: ${failed.detail}` : ''}` } : {}) },
      verdicts,
      confidence: ev.ok ? (CONFIDENCE[ev.kind] ?? 'attested') : 'none',
    });
  }
  return rows;
}
