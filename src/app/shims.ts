// `csae hooks install|uninstall` (and `csae init`): installing the hook shims from the package's hooks/ folder into a clone. A shim only execs
// `csae hook NAME`; the absolute node and csae paths are filled in at install time so the hook works
// without csae on PATH. An existing, foreign hook (husky, lefthook, hand-written) is kept and chained:
// it is renamed NAME.local and runs first, with the same input.
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PKG_ROOT } from '../paths.js';
import type { Context } from '../context.js';
import { openRepo, type Repo } from '../git/repo.js';


const CLI = join(PKG_ROOT, 'dist', 'src', 'cli', 'main.js');
export const MARKER = '# csae hook shim';
export const CLIENT_HOOKS = ['pre-push', 'pre-commit'] as const;

export function shimText(name: string, nodePath: string): string {
  const tpl = readFileSync(join(PKG_ROOT, 'hooks', name), 'utf8');
  return tpl.replace(/@NODE@/g, nodePath).replace(/@CSAE_JS@/g, CLI);
}

export async function hooksDir(repo: Repo): Promise<string> {
  const p = (await repo.git.text(['rev-parse', '--git-path', 'hooks'])).trim();
  return resolve(repo.top, p);
}

export async function installHooks(repo: Repo, nodePath: string, names: readonly string[] = CLIENT_HOOKS): Promise<{ dir: string; installed: string[]; chained: string[] }> {
  const dir = await hooksDir(repo);
  mkdirSync(dir, { recursive: true });
  const installed: string[] = [];
  const chained: string[] = [];
  for (const name of names) {
    const target = join(dir, name);
    if (existsSync(target) && !readFileSync(target, 'utf8').includes(MARKER)) {
      if (!existsSync(target + '.local')) {
        renameSync(target, target + '.local');
        chained.push(name);
      }
    }
    writeFileSync(target, shimText(name, nodePath));
    chmodSync(target, 0o755);
    installed.push(name);
  }
  return { dir, installed, chained };
}

export async function uninstallHooks(repo: Repo): Promise<string[]> {
  const dir = await hooksDir(repo);
  const removed: string[] = [];
  for (const name of CLIENT_HOOKS) {
    const target = join(dir, name);
    if (existsSync(target) && readFileSync(target, 'utf8').includes(MARKER)) {
      rmSync(target);
      if (existsSync(target + '.local')) renameSync(target + '.local', target);
      removed.push(name);
    }
  }
  return removed;
}

/** `csae hooks install`: the shims into this clone, calling csae with `nodePath`. */
export async function installShims(ctx: Context, o: { nodePath: string }): Promise<{ dir: string; installed: string[]; chained: string[] }> {
  return installHooks(await openRepo(ctx), o.nodePath);
}

/** `csae hooks uninstall`: remove csae's shims, restoring any hook they had chained. */
export async function uninstallShims(ctx: Context): Promise<string[]> {
  return uninstallHooks(await openRepo(ctx));
}
