// Shallow clones (CI checkouts default to depth 1). Every history walk of the git port refuses to answer
// past a shallow cut (Git.refuseTruncated → code shallow-history, exit 3); this module turns that refusal
// into a deepening when the caller allows it: fetch the history below exactly the cuts the check reached
// from the remote that has it, then run the check again. A pass is never computed on truncated history.
// Depends on: the git port. Must not: read process.env (the caller says whether and where to fetch).
import { isCsaeError } from '../core/errors.js';
import { shallowError } from './git.js';
import type { GitPort } from './port.js';

export interface DeepenOptions {
  /** the remote to fetch the missing history from (resolved only when needed); null: none known */
  remote: string | null | (() => Promise<string | null>);
  /** false: never fetch (`--no-deepen`, or a server-side hook) */
  deepen: boolean;
  info?: (line: string) => void;
}

/**
 * Run `check`; when one of its walks reaches a shallow cut, deepen below the cuts it reached and run it
 * again (a few times at most: another ref's cut may show up after the first). Anything else it throws,
 * and every refusal that cannot be fixed by fetching, propagates.
 */
export async function withCompleteHistory<T>(git: GitPort, o: DeepenOptions, check: () => Promise<T>): Promise<T> {
  const tried = new Set<string>();
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (!isCsaeError(e) || e.code !== 'shallow-history') throw e;
      const cuts = Array.isArray(e.data?.cuts) ? (e.data.cuts as string[]) : [];
      if (!o.deepen || cuts.length === 0) throw e;
      const remote = typeof o.remote === 'function' ? await o.remote() : o.remote;
      if (!remote) throw shallowError(cuts, 'no remote to fetch it from');
      // a cut that survives a successful fetch is one the remote cannot complete (it is shallow itself)
      if (cuts.some((c) => tried.has(c)) || tried.size > 64) throw shallowError(cuts, `${remote} did not complete it`);
      for (const c of cuts) tried.add(c);
      o.info?.(`csae: shallow clone: fetching the history below ${cuts[0]!.slice(0, 12)} from ${remote} (git fetch --unshallow)`);
      const err = await git.fetchHistory(remote, cuts);
      if (err) throw shallowError(cuts, `git fetch --unshallow ${remote}: ${err}`);
    }
  }
}

/**
 * The remote to deepen from for a check of `revs`: the remote a remote-tracking name belongs to
 * (origin/main → origin), else `origin` when configured, else the only remote; null when none.
 */
export async function remoteFor(git: GitPort, revs: readonly string[]): Promise<string | null> {
  const remotes = await git.remotes();
  for (const rev of revs) {
    if (!/^[A-Za-z0-9_./@{}~^:+-]{1,200}$/.test(rev) || rev.startsWith('-')) continue;
    const m = /^refs\/remotes\/([^/]+)\//.exec((await git.symbolicFullName(rev)) ?? '');
    if (m && remotes.includes(m[1]!)) return m[1]!;
  }
  if (remotes.includes('origin')) return 'origin';
  return remotes.length === 1 ? remotes[0]! : null;
}
