// Compare two ChainViews (src/mirror/view.ts) question by question: the first claimant of every commit,
// the entry at every seq (and seqs that do not exist), and every verdict blob once its entry was asked
// for. Returns each disagreement as data, so a test can assert there are none — and that a planted one
// is found.
import type { ChainView } from '../../src/mirror/view.js';

export interface ViewDifference {
  question: 'firstClaim' | 'entry' | 'verdictBlob';
  key: string;
  a: unknown;
  b: unknown;
}

export function viewDifferences(a: ChainView, b: ChainView, o: { commits: Iterable<string>; seqs: Iterable<number>; verdicts?: Iterable<string> }): ViewDifference[] {
  const out: ViewDifference[] = [];
  const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);
  for (const c of o.commits) {
    const x = a.firstClaim(c);
    const y = b.firstClaim(c);
    if (x !== y) out.push({ question: 'firstClaim', key: c, a: x, b: y });
  }
  for (const s of o.seqs) {
    const x = a.entry(s);
    const y = b.entry(s);
    if (!same(x, y)) out.push({ question: 'entry', key: String(s), a: x?.seq ?? x, b: y?.seq ?? y });
  }
  for (const d of o.verdicts ?? []) {
    const x = a.verdictBlob(d);
    const y = b.verdictBlob(d);
    if (x !== y) out.push({ question: 'verdictBlob', key: d, a: x, b: y });
  }
  return out;
}
