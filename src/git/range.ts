// Parsing user-given ranges "A..B" and resolving them to commits through the git interface.
import { CsaeError } from '../core/errors.js';
import type { GitPort } from './port.js';

const REV_RE = /^[A-Za-z0-9_./@{}~^:+-]{1,200}$/;

export function splitRange(range: string): { from: string; to: string } {
  const m = /^([^.]+(?:\.[^.]+)*)\.\.([^.]+(?:\.[^.]+)*)$/.exec(range);
  if (!m || range.includes('...')) throw new CsaeError('bad-range', `range ${JSON.stringify(range)} is not of the form A..B`, { next: 'e.g. --range main..HEAD or --range <base-commit>..<head-commit>' });
  for (const r of [m[1]!, m[2]!]) if (!REV_RE.test(r) || r.startsWith('-')) throw new CsaeError('bad-range', `revision ${JSON.stringify(r)} is not a plain git revision`);
  return { from: m[1]!, to: m[2]! };
}

export async function resolveRev(git: GitPort, rev: string): Promise<string> {
  if (!REV_RE.test(rev) || rev.startsWith('-')) throw new CsaeError('bad-range', `revision ${JSON.stringify(rev)} is not a plain git revision`);
  const id = await git.resolveCommit(rev);
  if (!id) throw new CsaeError('bad-range', `${rev} does not name a commit in this repository`, { next: 'git fetch, or check the spelling (git log --oneline)' });
  return id;
}

export async function resolveRange(git: GitPort, range: string): Promise<{ base: string; head: string; commits: string[] }> {
  const { from, to } = splitRange(range);
  const base = await resolveRev(git, from);
  const head = await resolveRev(git, to);
  const commits = (await git.revList([head], [base])).map((c) => c.id);
  return { base, head, commits };
}

/** refs/remotes/origin/main -> refs/heads/main: the name a ref has on the canonical remote. */
export async function fullRefName(repo: { git: GitPort }, name: string): Promise<string> {
  if (!REV_RE.test(name) || name.startsWith('-')) throw new CsaeError('bad-range', `${JSON.stringify(name)} is not a ref name`);
  const full = (await repo.git.symbolicFullName(name)) ?? '';
  const m = /^refs\/remotes\/[^/]+\/(.+)$/.exec(full);
  if (m) return `refs/heads/${m[1]}`;
  if (full.startsWith('refs/')) return full;
  if (name === 'HEAD') return 'HEAD';
  // a bare commit id or an expression (main~3): a detached replay, labelled as given
  if (await repo.git.resolveCommit(name)) return name;
  throw new CsaeError('bad-range', `${name} does not name a ref or commit here`, { next: 'git fetch, or pass a branch name like origin/main' });
}
