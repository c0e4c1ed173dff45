// Which entries list which commit: a derived index of the verified chain. Check 5 removes commits
// listed by earlier entries from every later range, so only a commit's first claimant can cover it.
import type { ChainResult, VerifiedEntry } from './chain.js';

/** Every entry listing each commit (in seq order), and the first one's seq. */
export function claimIndex(chain: ChainResult): { byCommit: Map<string, VerifiedEntry[]>; firstClaim: Map<string, number> } {
  const byCommit = new Map<string, VerifiedEntry[]>();
  for (const e of chain.entries) {
    for (const c of e.predicate.range.commits) {
      const l = byCommit.get(c);
      if (l) l.push(e);
      else byCommit.set(c, [e]);
    }
  }
  return { byCommit, firstClaim: firstClaims(chain.entries) };
}

/** The seq of the first entry (in the order given: seq order) listing each commit. */
export function firstClaims(entries: readonly VerifiedEntry[]): Map<string, number> {
  const first = new Map<string, number>();
  for (const e of entries) for (const c of e.predicate.range.commits) if (!first.has(c)) first.set(c, e.seq);
  return first;
}
