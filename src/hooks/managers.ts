// Hook managers (husky 9, lefthook 2): csae joins them through their own configuration and never touches
// the files they generate. husky runs `.husky/<hook>` from its generated `.husky/_/<hook>`; csae adds a
// marked block to `.husky/pre-push` (creating the file if needed). lefthook runs what lefthook.yml lists;
// csae adds a marked command to its `pre-push` (and `pre-commit`). Both survive `npx husky` / `lefthook
// install`, which rewrite only the generated files, and uninstall removes exactly the marked lines.
//
// lefthook skips a pre-push command when it finds no "push files" (an explicit-refspec push, or a push
// from a branch without upstream): a silent pass. The command therefore names `{files}` (in a shell
// comment) with a `files:` command that lists the config file itself, which makes lefthook always run it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { CsaeError } from '../core/errors.js';
import type { Repo } from '../git/repo.js';

export type ManagerName = 'husky' | 'lefthook';

export interface Manager {
  name: ManagerName;
  /** husky: the directory of the user's hook scripts (.husky); lefthook: the config file */
  path: string;
  /** whether the manager's generated hooks are what git runs in this clone now */
  active: boolean;
  /** how to activate it when it is not */
  activate: string;
}

export const LEFTHOOK_CONFIGS = ['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml', '.config/lefthook.yml', '.config/lefthook.yaml'];
const LEFTHOOK_OTHER = ['lefthook.toml', '.lefthook.toml', 'lefthook.json', '.lefthook.json'];

const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/**
 * The hook manager this clone uses, if any: husky when core.hooksPath points at husky's generated
 * directory (or a `.husky/` directory exists), lefthook when its config exists. The one git runs now
 * wins; husky before lefthook otherwise.
 */
export async function detectManager(repo: Repo, hooksDir: string): Promise<Manager | null> {
  const found: Manager[] = [];
  const hooksPath = await repo.git.configGet('core.hooksPath');
  const huskyGen = hooksPath ? resolve(repo.top, hooksPath) : null;
  if (huskyGen && basename(huskyGen) === '_' && existsSync(join(huskyGen, 'h'))) found.push({ name: 'husky', path: dirname(huskyGen), active: true, activate: 'npx husky' });
  else if (isDir(join(repo.top, '.husky'))) found.push({ name: 'husky', path: join(repo.top, '.husky'), active: false, activate: 'npx husky   (or npm install, whose prepare script runs it)' });
  const lh = LEFTHOOK_CONFIGS.map((f) => join(repo.top, f)).find((f) => existsSync(f));
  if (lh) {
    const gen = join(hooksDir, 'pre-push');
    const active = existsSync(gen) && readFileSync(gen, 'utf8').includes('lefthook');
    found.push({ name: 'lefthook', path: lh, active, activate: 'npx lefthook install' });
  } else if (found.length === 0) {
    const other = LEFTHOOK_OTHER.find((f) => existsSync(join(repo.top, f)));
    if (other) throw new CsaeError('config', `lefthook is configured in ${other}, which csae does not edit (only YAML)`, { next: `add a pre-push command running \`csae hook pre-push\` with use_stdin: true to ${other}, or convert it to lefthook.yml and run csae hooks install again` });
  }
  return found.find((m) => m.active) ?? found[0] ?? null;
}

// ---- husky: a block at the top of .husky/<hook> ----

const begin = (hook: string): string => `# >>> csae ${hook} (added by csae hooks install; csae hooks uninstall removes it)`;
const end = (hook: string): string => `# <<< csae ${hook}`;
const NL_ADDED = ' [newline added]';

/**
 * What the block runs. pre-push: git's ref list is kept in a temporary file so that csae and every line
 * after the block (git lfs pre-push, say) each read all of it; a failing check ends the hook.
 */
function huskyLines(hook: string): string[] {
  if (hook !== 'pre-push') return [`csae hook ${hook}`];
  return [
    'csae_in=$(mktemp) && cat > "$csae_in" || exit 1',
    'csae hook pre-push "$@" < "$csae_in" || { csae_rc=$?; rm -f "$csae_in"; exit $csae_rc; }',
    'exec < "$csae_in"; rm -f "$csae_in"',
  ];
}

/** `text` (the current .husky/<hook>, or null) with csae's block added; unchanged when it is there. */
export function huskyAdd(text: string | null, hook: string): string {
  const block = [begin(hook), ...huskyLines(hook), end(hook)].join('\n') + '\n';
  if (text === null || text === '') return block;
  if (text.includes(begin(hook))) return text;
  // before everything else (pre-push reads git's ref list on stdin first), after a shebang line
  if (text.startsWith('#!')) {
    const nl = text.indexOf('\n');
    if (nl < 0) return text + '\n' + block.replace(begin(hook), begin(hook) + NL_ADDED);
    return text.slice(0, nl + 1) + block + text.slice(nl + 1);
  }
  return block + text;
}

// ---- lefthook: a marked command in the hook's commands (or jobs) ----

export function lefthookRun(hook: string, configName: string): { files: string; run: string } {
  const args = hook === 'pre-push' ? " '{1}'" : '';
  return { files: `echo ${configName}`, run: `PATH=node_modules/.bin:$PATH csae hook ${hook}${args} # {files} makes lefthook run this even when it sees no changed files` };
}

const yamlSingle = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const indentOf = (line: string): number => line.length - line.trimStart().length;
const isContent = (line: string): boolean => line.trim() !== '' && !line.trimStart().startsWith('#');

/** `text` (lefthook's YAML config) with csae's command added to `hook`; unchanged when it is there. */
export function lefthookAdd(text: string, hook: string, configName: string): string {
  if (text.includes(begin(hook))) return text;
  const { files, run } = lefthookRun(hook, configName);
  const name = `csae-${hook}`;
  const entry = (ind: number, asJob: boolean): string[] => {
    const p = ' '.repeat(ind);
    const body = [`files: ${yamlSingle(files)}`, `run: ${yamlSingle(run)}`, ...(hook === 'pre-push' ? ['use_stdin: true'] : [])];
    if (asJob) return [`${p}- name: ${name}`, ...body.map((b) => `${p}  ${b}`)];
    return [`${p}${name}:`, ...body.map((b) => `${p}  ${b}`)];
  };
  const lines = text.split('\n');
  const h = lines.findIndex((l) => new RegExp(`^${hook}:\\s*(#.*)?$`).test(l));
  let out: string[];
  if (h < 0) {
    // a new top-level section at the end
    const add = [begin(hook), `${hook}:`, '  commands:', ...entry(4, false), end(hook)];
    const endsNl = text === '' || text.endsWith('\n');
    if (!endsNl) add[0] += NL_ADDED;
    const base = text === '' ? [] : endsNl ? lines.slice(0, -1) : lines;
    out = [...base, ...add, ''];
  } else {
    let stop = h + 1;
    while (stop < lines.length && !(isContent(lines[stop]!) && indentOf(lines[stop]!) === 0)) stop++;
    const body = lines.slice(h + 1, stop);
    const first = body.find(isContent);
    const ci = first ? indentOf(first) : 2;
    const key = (k: string): number => body.findIndex((l) => indentOf(l) === ci && new RegExp(`^\\s*${k}:\\s*(#.*)?$`).test(l));
    const jobs = key('jobs');
    const commands = key('commands');
    const at = (k: number): number => h + 1 + k;
    /** indentation of the first child of the key at body line k: deeper than it, or a list item level with it */
    const childIndent = (k: number, list: boolean): number => {
      const n = lines.slice(at(k) + 1, stop).find(isContent);
      if (n && (indentOf(n) > ci || (list && indentOf(n) === ci && n.trimStart().startsWith('-')))) return indentOf(n);
      return ci + 2;
    };
    const m = (ind: number): string[] => [' '.repeat(ind) + begin(hook)];
    const e = (ind: number): string[] => [' '.repeat(ind) + end(hook)];
    let insertAfter: number;
    let add: string[];
    if (jobs >= 0) {
      const ji = childIndent(jobs, true);
      insertAfter = at(jobs);
      add = [...m(ji), ...entry(ji, true), ...e(ji)];
    } else if (commands >= 0) {
      const gi = childIndent(commands, false);
      insertAfter = at(commands);
      add = [...m(gi), ...entry(gi, false), ...e(gi)];
    } else {
      insertAfter = h;
      add = [...m(ci), `${' '.repeat(ci)}commands:`, ...entry(ci + 2, false), ...e(ci)];
    }
    out = [...lines.slice(0, insertAfter + 1), ...add, ...lines.slice(insertAfter + 1)];
  }
  const result = out.join('\n');
  checkLefthook(result, hook, name, run, configName);
  return result;
}

function checkLefthook(text: string, hook: string, name: string, run: string, configName: string): void {
  let ok = false;
  try {
    // NOTE: yaml is loaded when a lefthook config is read, not when the CLI starts (~40 ms of every command)
    const { parse: parseYaml } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    const doc = parseYaml(text) as Record<string, any>;
    const sec = doc?.[hook];
    const cmd = sec?.commands?.[name] ?? (Array.isArray(sec?.jobs) ? sec.jobs.find((j: any) => j?.name === name) : undefined);
    ok = cmd?.run === run;
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new CsaeError('config', `could not add csae's ${hook} command to ${configName} safely (its ${hook} section is in a form csae does not edit)`, {
      next: `add it by hand under ${hook}: commands:  ${name}: { files: "echo ${configName}", run: "csae hook ${hook}${hook === 'pre-push' ? " '{1}'" : ''} # {files}"${hook === 'pre-push' ? ', use_stdin: true' : ''} }`,
    });
  }
}

// ---- removal: exactly the marked lines ----

/** `text` without csae's block for `hook` (null when there is none). */
export function removeBlock(text: string, hook: string): string | null {
  const lines = text.split('\n');
  const b = lines.findIndex((l) => l.trim().startsWith(begin(hook)));
  if (b < 0) return null;
  const e = lines.findIndex((l, i) => i > b && l.trim() === end(hook));
  if (e < 0) throw new CsaeError('config', `csae's ${hook} block has no end marker ("${end(hook)}"); not touching it`, { next: 'remove the lines between the csae markers by hand' });
  const nlAdded = lines[b]!.includes(NL_ADDED);
  let rest = [...lines.slice(0, b), ...lines.slice(e + 1)].join('\n');
  if (nlAdded) {
    // the block had been appended after a last line without a newline: take that newline back
    if (rest.endsWith('\n')) rest = rest.slice(0, -1);
  }
  return rest;
}
