// `csae hooks install|uninstall` (and `csae init`): installing the hook shims from the package's hooks/ folder into a clone. A shim only execs
// `csae hook NAME`; the absolute node and csae paths are filled in at install time so the hook works
// without csae on PATH. An existing hand-written hook is kept and chained: it is renamed NAME.local and
// runs first, with the same input. Under a hook manager (husky, lefthook) csae joins the manager's own
// configuration instead and leaves its generated hooks alone (src/hooks/managers.ts).
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { LEFTHOOK_CONFIGS, detectManager, huskyAdd, lefthookAdd, removeBlock, type ManagerName } from '../hooks/managers.js';
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
  return repo.git.hooksPath();
}

export interface HooksInstalled {
  /** the directory git runs hooks from */
  dir: string;
  /** hooks csae now takes part in */
  installed: string[];
  /** hand-written hooks kept as NAME.local and run first */
  chained: string[];
  /** the hook manager csae joined, and the file(s) it edited */
  manager: ManagerName | null;
  edited: string[];
  /** when the manager's hooks are not installed in this clone yet: what activates them */
  next?: string;
}

/** Whether a hook's `csae` resolves: the project's node_modules/.bin (husky and csae's lefthook command put it first) or the PATH. */
function csaeReachable(top: string, pathVar: string | undefined): boolean {
  const dirs = [join(top, 'node_modules', '.bin'), ...(pathVar ?? '').split(':').filter((d) => d !== '')];
  return dirs.some((d) => existsSync(join(resolve(top, d), 'csae')));
}

export async function installHooks(repo: Repo, nodePath: string, names: readonly string[] = CLIENT_HOOKS, pathVar?: string): Promise<HooksInstalled> {
  const dir = await hooksDir(repo);
  const mgr = await detectManager(repo, dir);
  if (mgr) {
    // shims an earlier csae wrote into the manager's generated directory: give it its files back
    removeShims(dir);
    const edited: string[] = [];
    if (mgr.name === 'husky') {
      mkdirSync(mgr.path, { recursive: true });
      for (const name of names) {
        const file = join(mgr.path, name);
        const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
        const after = huskyAdd(before, name);
        if (after !== before) writeFileSync(file, after);
        edited.push(relative(repo.top, file));
      }
    } else {
      const before = readFileSync(mgr.path, 'utf8');
      let after = before;
      for (const name of names) after = lefthookAdd(after, name, relative(repo.top, mgr.path));
      if (after !== before) writeFileSync(mgr.path, after);
      edited.push(relative(repo.top, mgr.path));
    }
    const nexts = [...(mgr.active ? [] : [mgr.activate]), ...(csaeReachable(repo.top, pathVar) ? [] : ['npm install --save-dev csae   (the hook runs csae from node_modules/.bin or the PATH; without it the push fails)'])];
    return { dir, installed: [...names], chained: [], manager: mgr.name, edited, ...(nexts.length ? { next: nexts.join('; then ') } : {}) };
  }
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
  return { dir, installed, chained, manager: null, edited: [] };
}

/** csae's shims in `dir` removed, any hook they chained put back; the names. */
function removeShims(dir: string): string[] {
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

/** Everything `installHooks` added, removed: shims (restoring chained hooks) and the marked lines in husky's and lefthook's files. */
export async function uninstallHooks(repo: Repo): Promise<string[]> {
  const dir = await hooksDir(repo);
  const removed = removeShims(dir);
  const hooksPath = await repo.git.configGet('core.hooksPath');
  const huskyDirs = new Set([join(repo.top, '.husky')]);
  if (hooksPath) huskyDirs.add(dirname(resolve(repo.top, hooksPath)));
  for (const d of huskyDirs) {
    for (const name of CLIENT_HOOKS) {
      const file = join(d, name);
      if (!existsSync(file)) continue;
      const rest = removeBlock(readFileSync(file, 'utf8'), name);
      if (rest === null) continue;
      if (rest.trim() === '') rmSync(file); // csae created it
      else writeFileSync(file, rest);
      removed.push(relative(repo.top, file));
    }
  }
  for (const f of LEFTHOOK_CONFIGS.map((c) => join(repo.top, c)).filter((c) => existsSync(c))) {
    let text = readFileSync(f, 'utf8');
    for (const name of CLIENT_HOOKS) {
      const rest = removeBlock(text, name);
      if (rest === null) continue;
      text = rest;
      removed.push(`${relative(repo.top, f)} (${name})`);
    }
    if (removed.some((r) => r.startsWith(relative(repo.top, f) + ' ('))) writeFileSync(f, text);
  }
  return removed;
}

/** `csae hooks install`: the shims into this clone, calling csae with `nodePath`. */
export async function installShims(ctx: Context, o: { nodePath: string }): Promise<HooksInstalled> {
  return installHooks(await openRepo(ctx), o.nodePath, CLIENT_HOOKS, ctx.env.PATH);
}

/** `csae hooks uninstall`: remove csae's shims, restoring any hook they had chained. */
export async function uninstallShims(ctx: Context): Promise<string[]> {
  return uninstallHooks(await openRepo(ctx));
}
