// Opening the repository a command works on: the work tree, the git dir, csae's state dir under it, and
// the git port bound to them. Part of the git port: nothing outside src/git/ finds repositories itself.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Git } from './git.js';
import type { GitPort } from './port.js';
import { CsaeError } from '../core/errors.js';
import type { Context, Progress } from '../context.js';

export interface Repo {
  git: GitPort;
  top: string;
  gitDir: string;
  stateDir: string; // <gitDir>/csae, never committed
  /** where long work reports progress (the context's, when a terminal shows it) */
  progress?: Progress;
}

/**
 * The work tree and git dir found by walking up to a `.git` directory, as git does: one process fewer
 * on every hook run. Anything unusual (GIT_DIR or GIT_WORK_TREE set, a `.git` file for worktrees and
 * submodules, no `.git` at all) is left to git itself.
 */
function findRepoFast(ctx: Context): { top: string; gitDir: string } | null {
  if (ctx.env.GIT_DIR || ctx.env.GIT_WORK_TREE || ctx.env.GIT_CEILING_DIRECTORIES) return null;
  let d: string;
  try {
    d = realpathSync(ctx.cwd);
  } catch {
    return null;
  }
  for (;;) {
    const g = join(d, '.git');
    try {
      const st = statSync(g);
      if (st.isDirectory() && existsSync(join(g, 'HEAD'))) return { top: d, gitDir: g };
      return null;
    } catch {
      // no .git here: keep walking
    }
    const up = dirname(d);
    if (up === d) return null;
    d = up;
  }
}

export async function openRepo(ctx: Context): Promise<Repo> {
  const fast = findRepoFast(ctx);
  if (fast) return { git: new Git(fast.top, ctx.env), top: fast.top, gitDir: fast.gitDir, stateDir: join(fast.gitDir, 'csae'), ...(ctx.progress ? { progress: ctx.progress } : {}) };
  const git = new Git(ctx.cwd, ctx.env);
  // one process for both answers: this runs on every hook invocation
  const r = await Git.raw(git).run(['rev-parse', '--show-toplevel', '--absolute-git-dir'], { okCodes: [128] });
  const [top, gitDir] = r.stdout.toString().trim().split('\n');
  if (r.code !== 0 || !top || !gitDir) throw new CsaeError('not-initialised', `${ctx.cwd} is not inside a git work tree`, { next: 'cd into your clone, or pass -C DIR' });
  return { git: new Git(top, ctx.env), top, gitDir, stateDir: join(gitDir, 'csae'), ...(ctx.progress ? { progress: ctx.progress } : {}) };
}

/** For hooks run by git inside a bare repository (pre-receive). */
export async function openBareRepo(ctx: Context): Promise<Repo> {
  const git = new Git(ctx.cwd, ctx.env);
  const gitDir = await git.gitDir();
  return { git, top: gitDir, gitDir, stateDir: join(gitDir, 'csae'), ...(ctx.progress ? { progress: ctx.progress } : {}) };
}

