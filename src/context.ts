// The explicit context every domain function receives: where the repository is, the environment, the
// clock, and where human progress lines go. Only src/cli/ builds one from process state.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Git } from './git/git.js';
import { CsaeError } from './core/errors.js';
import type { Clock } from './core/time.js';

export interface Context {
  cwd: string;
  env: Record<string, string | undefined>;
  now: Clock;
  /** progress and narrative for humans (stderr); silent under --quiet */
  info: (line: string) => void;
}

export interface Repo {
  git: Git;
  top: string;
  gitDir: string;
  stateDir: string; // <gitDir>/csae, never committed
}

export async function openRepo(ctx: Context): Promise<Repo> {
  const git = new Git(ctx.cwd, ctx.env);
  // one process for both answers: this runs on every hook invocation
  const r = await git.run(['rev-parse', '--show-toplevel', '--absolute-git-dir'], { okCodes: [128] });
  const [top, gitDir] = r.stdout.toString().trim().split('\n');
  if (r.code !== 0 || !top || !gitDir) throw new CsaeError('not-initialised', `${ctx.cwd} is not inside a git work tree`, { next: 'cd into your clone, or pass -C DIR' });
  return { git: new Git(top, ctx.env), top, gitDir, stateDir: join(gitDir, 'csae') };
}

/** For hooks run by git inside a bare repository (pre-receive). */
export async function openBareRepo(ctx: Context): Promise<Repo> {
  const git = new Git(ctx.cwd, ctx.env);
  const gitDir = await git.gitDir();
  return { git, top: gitDir, gitDir, stateDir: join(gitDir, 'csae') };
}

export function ensureDir(p: string): string {
  mkdirSync(p, { recursive: true });
  return p;
}
