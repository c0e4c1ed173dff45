// Which entries list which commit: a derived index of the verified chain. Check 5 removes commits
// listed by earlier entries from every later range, so only a commit's first claimant can cover it.
import type { ChainResult, VerifiedEntry } from './chain.js';

/** Every entry listing each commit (in seq order), and the first one's seq. */
export function claimIndex(chain: ChainResult): { byCommit: Map<string, VerifiedEntry[]>; firstClaim: Map<string, number> } {
  const byCommit = new Map<string, VerifiedEntry[]>();
  const firstClaim = new Map<string, number>();
  for (const e of chain.entries) {
    for (const c of e.predicate.range.commits) {
      const l = byCommit.get(c);
      if (l) l.push(e);
      else byCommit.set(c, [e]);
      if (!firstClaim.has(c)) firstClaim.set(c, e.seq);
    }
  }
  return { byCommit, firstClaim };
}
