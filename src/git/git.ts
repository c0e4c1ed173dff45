// The one way in to git. Domain code calls these operations; nothing else spawns git.
// Every call is an argument array (never a shell string); ids are validated by callers before they get
// here, and revision arguments that come from users are passed after `--end-of-options` where git allows.
// Depends on: node:child_process. Must not: read process.env or process.cwd() (the caller passes them).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { CsaeError } from '../core/errors.js';
import type { GitPort, PushOutcome } from './port.js';
import { MIRROR_LOG_ARGS, parseMirrorLog, type MirrorCommit } from './log.js';
import { BatchReader } from './batch.js';
import { readRefsUnder } from './localrefs.js';

export interface CommitObject {
  id: string;
  tree: string;
  parents: string[];
  author: string; // "Name <email>"
  authorTime: number;
  committer: string;
  committerTime: number;
  message: string;
}

export interface RunOptions {
  input?: string | Buffer;
  /** exit codes that are not errors (the result carries the code) */
  okCodes?: number[];
  env?: Record<string, string>;
}

export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

// Variables that point git at a repository; stripped for repos we address by path (the mirror),
// kept for the repo git invoked us on (pre-receive quarantine lives in GIT_OBJECT_DIRECTORY).
const LOCATING = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_PREFIX', 'GIT_COMMON_DIR', 'GIT_QUARANTINE_PATH'];

/** the longest first-parent chain a ref update is listed by walking commit objects (longer: rev-list) */
const LINEAR_MAX = 256;

/** git commands that write neither objects nor refs (anything else closes the reader after it) */
const READ_ONLY = new Set(['rev-list', 'rev-parse', 'log', 'cat-file', 'merge-base', 'for-each-ref', 'config', 'status', 'symbolic-ref', 'var', 'remote', 'diff-tree', 'patch-id', 'ls-tree']);

/**
 * The adapter behind the git port: the git binary, spawned with argument arrays. `run`, `text` and
 * `lines` are for src/git/ only — domain code holds a GitPort, which does not have them.
 */
/** Why git could not run at all (not how it failed): missing from PATH, or refused by the OS. */
function spawnError(args: readonly string[], e: NodeJS.ErrnoException): CsaeError {
  return e.code === 'ENOENT'
    ? new CsaeError('git-missing', 'git was not found on PATH: install git 2.38 or newer', { cause: e })
    : new CsaeError('git-failed', `could not run git ${args[0]}: ${e.message}`, { cause: e });
}

interface TreeEntry {
  mode: string;
  id: string;
}

/** a tree object's entries: "<mode> <name>\0<raw id>" each */
function parseTree(body: Buffer, idBytes: number): Map<string, TreeEntry> {
  const out = new Map<string, TreeEntry>();
  let at = 0;
  while (at < body.length) {
    const sp = body.indexOf(0x20, at);
    const nul = body.indexOf(0, sp);
    if (sp < 0 || nul < 0 || nul + 1 + idBytes > body.length) throw new CsaeError('git-failed', 'a tree object could not be read');
    out.set(body.toString('utf8', sp + 1, nul), { mode: body.toString('latin1', at, sp), id: body.toString('hex', nul + 1, nul + 1 + idBytes) });
    at = nul + 1 + idBytes;
  }
  return out;
}

/** git's tree order: by name, a directory compared as if its name ended in "/" */
function serializeTree(entries: ReadonlyMap<string, TreeEntry>): Buffer {
  const key = (name: string, e: TreeEntry): Buffer => Buffer.from(e.mode === '40000' ? name + '/' : name, 'utf8');
  const sorted = [...entries].sort(([a, x], [b, y]) => Buffer.compare(key(a, x), key(b, y)));
  return Buffer.concat(sorted.flatMap(([name, e]) => [Buffer.from(`${e.mode} ${name}\0`, 'utf8'), Buffer.from(e.id, 'hex')]));
}

/** a config key as `git config --list` prints it: section and name lower-cased, a subsection kept */
function configKey(key: string): string {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  if (first < 0) return key.toLowerCase();
  return key.slice(0, first).toLowerCase() + key.slice(first, last) + key.slice(last).toLowerCase();
}

export class Git implements GitPort {
  readonly dir: string;
  private readonly env: Record<string, string>;
  private readonly bare: boolean;
  /** where a shallow clone's history was cut (read once; reset when a fetch deepens it) */
  private shallow: ReadonlySet<string> | null = null;
  /** the one `cat-file --batch-command` every object read of this handle goes through (started on first use) */
  private reader: BatchReader | null = null;

  /** @param dir work tree (or bare git dir when bare) @param env the environment git runs with */
  constructor(dir: string, env: Record<string, string | undefined>, opts: { bare?: boolean; isolated?: boolean } = {}) {
    this.dir = dir;
    this.bare = opts.bare ?? false;
    const e: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined) e[k] = v;
    if (opts.isolated) for (const k of LOCATING) delete e[k];
    e.GIT_TERMINAL_PROMPT = '0';
    e.LC_ALL = 'C';
    this.env = e;
  }

  /**
   * The raw commands, for src/git/ itself (openRepo, the demo's scratch porcelain) and tests: the domain
   * asks through the named operations of GitPort, and check-imports keeps this class inside src/git/.
   */
  static raw(g: Git): { run: (args: readonly string[], opts?: RunOptions) => Promise<RunResult>; text: (args: readonly string[], opts?: RunOptions) => Promise<string>; lines: (args: readonly string[], opts?: RunOptions) => Promise<string[]> } {
    return { run: (a, o) => g.run(a, o), text: (a, o) => g.text(a, o), lines: (a, o) => g.lines(a, o) };
  }

  withDir(dir: string, opts: { bare?: boolean } = {}): Git {
    return new Git(dir, this.env, { bare: opts.bare, isolated: true });
  }

  /** @internal the adapter's own: the domain asks through the named operations of GitPort */
  private async run(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const full = this.bare ? ['--git-dir', this.dir, ...args] : ['-C', this.dir, ...args];
    // a command that may write objects or refs: later reads start a fresh reader (git rescans packs on
    // a miss anyway; this keeps ref names current too)
    if (!READ_ONLY.has(args[0]!)) this.reader?.close();
    const trace = this.env.CSAE_TRACE ? performance.now() : 0;
    if (trace) process.stderr.write(`csae-trace: @${trace.toFixed(1)} git ${args.join(' ').slice(0, 100)}\n`);
    return new Promise((resolve, reject) => {
      let child;
      try {
        child = spawn('git', full, { env: { ...this.env, ...(opts.env ?? {}) }, stdio: ['pipe', 'pipe', 'pipe'] });
      } catch (e) {
        reject(new CsaeError('git-missing', 'could not start git: is it installed and on PATH?', { cause: e }));
        return;
      }
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', (e: NodeJS.ErrnoException) => reject(spawnError(args, e)));
      child.stdin.on('error', () => {}); // EPIPE when git exits early; the exit code tells
      child.on('close', (code) => {
        if (trace) process.stderr.write(`csae-trace:   ${(performance.now() - trace).toFixed(1)} ms\n`);
        const res = { code: code ?? 128, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
        if (res.code === 0 || opts.okCodes?.includes(res.code)) resolve(res);
        else reject(new CsaeError('git-failed', `git ${args.slice(0, 2).join(' ')} failed: ${res.stderr.trim().split('\n').slice(-3).join(' / ') || 'exit ' + res.code}`, { data: { args, exit: res.code } }));
      });
      if (opts.input !== undefined) child.stdin.end(opts.input);
      else child.stdin.end();
    });
  }

  private async text(args: readonly string[], opts: RunOptions = {}): Promise<string> {
    return (await this.run(args, opts)).stdout.toString('utf8');
  }

  private async lines(args: readonly string[], opts: RunOptions = {}): Promise<string[]> {
    const t = await this.text(args, opts);
    return t.split('\n').filter((l) => l !== '');
  }

  // ---- repository facts ----

  async gitDir(): Promise<string> {
    return (await this.text(['rev-parse', '--absolute-git-dir'])).trim();
  }

  async objectFormat(): Promise<'sha1' | 'sha256'> {
    const r = await this.run(['rev-parse', '--show-object-format'], { okCodes: [128] });
    return r.stdout.toString().trim() === 'sha256' ? 'sha256' : 'sha1';
  }

  /** every configured value, read once per handle (`git config --list`): a command asks for several */
  private config: Map<string, string> | null = null;

  async configGet(key: string): Promise<string | null> {
    if (!this.config) {
      const r = await this.run(['config', '--list', '-z'], { okCodes: [1, 128] });
      if (r.code !== 0) {
        // no config readable as a list (git refuses a broken file): ask for this key alone, as git would
        const one = await this.run(['config', '--get', key], { okCodes: [1] });
        return one.code === 0 ? one.stdout.toString().trim() : null;
      }
      const m = new Map<string, string>();
      for (const item of r.stdout.toString('utf8').split('\0')) {
        if (!item) continue;
        const nl = item.indexOf('\n');
        // the last value wins, as with --get; a key without "=" (a bare boolean) reads as --get prints it: empty
        m.set(nl < 0 ? item : item.slice(0, nl), nl < 0 ? '' : item.slice(nl + 1));
      }
      this.config = m;
    }
    const v = this.config.get(configKey(key));
    return v === undefined ? null : v.trim();
  }

  async configSet(key: string, value: string): Promise<void> {
    this.config = null;
    await this.run(['config', '--local', key, value]);
  }

  async remoteUrl(name: string): Promise<string | null> {
    return this.configGet(`remote.${name}.url`);
  }

  /** Resolve a revision to a commit id, or null when it does not name a commit. */
  async resolveCommit(rev: string): Promise<string | null> {
    if (rev && !/[\s]/.test(rev)) {
      const [a] = await this.objects().ask([{ op: 'info', spec: `${rev}^{commit}` }]);
      return a?.type === 'commit' ? a.oid : null;
    }
    const r = await this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { okCodes: [1, 128] });
    const s = r.stdout.toString().trim();
    return r.code === 0 && s ? s : null;
  }

  /**
   * A ref of a bare repository read from its files (loose, then packed-refs) without a process: the
   * mirror's tracking ref is read on every push. Symbolic or unusual refs fall back to git.
   */
  async readRefFast(name: string): Promise<string | null> {
    if (!this.bare || !/^refs\/[A-Za-z0-9._/-]+$/.test(name) || name.includes('..')) return this.resolveCommit(name);
    try {
      const loose = readFileSync(join(this.dir, name), 'utf8').trim();
      if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(loose)) return loose;
      return this.resolveCommit(name);
    } catch {
      // not loose: packed, or absent
    }
    try {
      for (const line of readFileSync(join(this.dir, 'packed-refs'), 'utf8').split('\n')) {
        const sp = line.indexOf(' ');
        if (sp > 0 && line.slice(sp + 1) === name && !line.startsWith('#') && !line.startsWith('^')) return line.slice(0, sp);
      }
    } catch {
      // no packed-refs
    }
    return null;
  }

  async hasObject(id: string): Promise<boolean> {
    if (!id || /\s/.test(id)) return (await this.run(['cat-file', '-e', id], { okCodes: [1, 128] })).code === 0;
    const [a] = await this.objects().ask([{ op: 'info', spec: id }]);
    return a !== null;
  }

  private objects(): BatchReader {
    return (this.reader ??= new BatchReader(this.bare ? ['--git-dir', this.dir] : ['-C', this.dir], this.env, !!this.env.CSAE_TRACE));
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const r = await this.run(['merge-base', '--is-ancestor', ancestor, descendant], { okCodes: [1] });
    return r.code === 0;
  }

  async isClean(): Promise<boolean> {
    const t = await this.text(['status', '--porcelain', '--untracked-files=no']);
    return t.trim() === '';
  }

  async symbolicFullName(name: string): Promise<string | null> {
    // NOTE: git 2.39's rev-parse echoes --end-of-options instead of honouring it: refuse option-like
    // names here instead
    if (name.startsWith('-')) return null;
    const r = await this.run(['rev-parse', '--symbolic-full-name', name], { okCodes: [128] });
    const full = r.code === 0 ? r.stdout.toString().trim() : '';
    return full || null;
  }

  async refTips(prefix: string): Promise<Array<{ id: string; ref: string }>> {
    const out: Array<{ id: string; ref: string }> = [];
    for (const l of await this.lines(['for-each-ref', '--format=%(objectname) %(refname)', prefix])) {
      const sp = l.indexOf(' ');
      if (sp > 0) out.push({ id: l.slice(0, sp), ref: l.slice(sp + 1) });
    }
    return out;
  }

  async hooksPath(): Promise<string> {
    const p = (await this.text(['rev-parse', '--git-path', 'hooks'])).trim();
    return p.startsWith('/') ? p : join(this.dir, p);
  }

  async operatorIdentity(): Promise<string> {
    const name = await this.configGet('user.name');
    const email = await this.configGet('user.email');
    if (name && email) return `${name} <${email}>`;
    const ident = (await this.text(['var', 'GIT_COMMITTER_IDENT'])).trim();
    const m = /^(.*>) \d+ [+-]\d{4}$/.exec(ident);
    if (m) return m[1]!;
    throw new CsaeError('config', 'cannot tell who you are: set git config user.name and user.email, or pass --operator "Name <email>"');
  }

  async grepCommits(text: string, o: { all?: boolean; rev?: string; max?: number } = {}): Promise<string[]> {
    const args = ['log', '--format=%H', '--fixed-strings', `--grep=${text}`, ...(o.max ? ['-n', String(o.max)] : [])];
    return this.lines(o.all ? [...args, '--all'] : [...args, '--end-of-options', o.rev ?? 'HEAD']);
  }

  async currentBranch(): Promise<string | null> {
    const r = await this.run(['symbolic-ref', '--quiet', 'HEAD'], { okCodes: [1, 128] });
    return r.code === 0 ? r.stdout.toString().trim() : null;
  }

  // ---- history, batched ----

  /**
   * Commits reachable from `include` and not from `exclude`, oldest first (topological), with parents.
   * One process however long the range.
   */
  async revList(include: readonly string[], exclude: readonly string[] = [], opts: { topoOrder?: boolean } = {}): Promise<Array<{ id: string; parents: string[] }>> {
    if (include.length === 0) return [];
    const input = [...include, ...exclude.map((e) => '^' + e)].join('\n') + '\n';
    // NOTE: --topo-order makes git walk down to the oldest excluded commit (100 ms at 100k commits for a
    // ten-commit range below an old cutover); small ranges are ordered here instead
    const topo = opts.topoOrder ?? true;
    const t = await this.text(['rev-list', ...(topo ? ['--topo-order'] : []), '--reverse', '--parents', '--stdin'], { input });
    const out: Array<{ id: string; parents: string[] }> = [];
    for (const line of t.split('\n')) {
      if (!line) continue;
      const [id, ...parents] = line.split(' ');
      out.push({ id: id!, parents });
    }
    await this.refuseTruncated(out.map((c) => c.id));
    return topo ? out : topoSort(out);
  }


  /**
   * One `cat-file --batch` for many object specs (ids or `<rev>:<path>`): each found object of type
   * `type`, by the spec that asked for it. Missing or other-typed objects are absent.
   */
  private async catBatch(specs: readonly string[], type: 'commit' | 'blob'): Promise<Map<string, { oid: string; body: Buffer }>> {
    const map = new Map<string, { oid: string; body: Buffer }>();
    // a name with a line break cannot be asked on one line: it names nothing here
    const asked = specs.filter((s) => s !== '' && !/[\n\r]/.test(s));
    if (asked.length === 0) return map;
    // git's output is parsed as it arrives (batch.ts): each wanted body is copied once into its own
    // buffer, and the whole output (55 MB for a cold 10,000-entry mirror) never sits in memory at once
    const answers = await this.objects().ask(asked.map((spec) => ({ op: 'contents' as const, spec })));
    asked.forEach((spec, i) => {
      const a = answers[i];
      if (a?.body && a.type === type) map.set(spec, { oid: a.oid, body: a.body });
    });
    return map;
  }

  /**
   * A ref update old -> new in one process: the commits new adds (rev-list new ^old, oldest first) and
   * whether it is a fast-forward (no commit of old is lost: the left side of old...new is empty).
   */
  async updateRange(oldId: string, newId: string): Promise<{ fastForward: boolean; commits: Array<{ id: string; parents: string[] }> }> {
    const linear = await this.linearUpdate(oldId, newId);
    if (linear) return linear;
    const t = await this.text(['rev-list', '--left-right', '--topo-order', '--reverse', '--parents', `${oldId}...${newId}`]);
    let fastForward = true;
    const commits: Array<{ id: string; parents: string[] }> = [];
    for (const line of t.split('\n')) {
      if (!line) continue;
      if (line[0] === '<') {
        fastForward = false;
        continue;
      }
      const [id, ...parents] = line.slice(1).split(' ');
      commits.push({ id: id!, parents });
    }
    // NOTE: a cut on the old side would read as a non-fast-forward: refuse that walk too
    await this.refuseTruncated(t.split('\n').filter((l) => l).map((l) => l.slice(1).split(' ')[0]!));
    return { fastForward, commits };
  }

  /**
   * The common push, answered from the reader without a `rev-list`: new's first parents lead back to
   * old in at most LINEAR_MAX single-parent commits. Then `rev-list new ^old` is exactly that chain and
   * the update is a fast-forward. Anything else (a merge, a root, a missing object, a longer walk) is
   * null, and rev-list answers; a walk through a shallow cut is refused as rev-list's would be.
   */
  private async linearUpdate(oldId: string, newId: string): Promise<{ fastForward: boolean; commits: Array<{ id: string; parents: string[] }> } | null> {
    const ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
    if (!ID.test(oldId) || !ID.test(newId)) return null;
    const chain: Array<{ id: string; parents: string[] }> = [];
    let cur = newId;
    while (cur !== oldId) {
      if (chain.length >= LINEAR_MAX) return null;
      const c = (await this.readCommits([cur])).get(cur);
      if (!c || c.id !== cur || c.parents.length !== 1) return null;
      chain.push({ id: cur, parents: c.parents });
      cur = c.parents[0]!;
    }
    if (!(await this.hasObject(oldId))) return null;
    await this.refuseTruncated(chain.map((c) => c.id));
    return { fastForward: true, commits: chain.reverse() };
  }

  /** Read many commit objects through one `cat-file --batch`. Missing ids are absent from the map. */
  async readCommits(ids: readonly string[]): Promise<Map<string, CommitObject>> {
    const map = new Map<string, CommitObject>();
    for (const [spec, o] of await this.catBatch(ids, 'commit')) map.set(spec, parseCommit(o.oid, o.body.toString('utf8')));
    return map;
  }

  async readCommit(id: string): Promise<CommitObject | null> {
    return (await this.readCommits([id])).get(id) ?? null;
  }

  /** Read many blobs by `<rev>:<path>` or id through one `cat-file --batch`. */
  async treeBlobs(commit: string, dir: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit)) return out;
    const r = await this.run(['ls-tree', '-r', '-z', '--full-tree', commit, '--', dir], { okCodes: [128] });
    if (r.code !== 0) return out;
    for (const rec of r.stdout.toString('utf8').split('\0')) {
      // "<mode> SP <type> SP <object> TAB <path>"
      const tab = rec.indexOf('\t');
      if (tab < 0) continue;
      const [, type, id] = rec.slice(0, tab).split(' ');
      if (type === 'blob' && id) out.set(rec.slice(tab + 1), id);
    }
    return out;
  }

  async readBlobs(specs: readonly string[]): Promise<Map<string, Buffer>> {
    const map = new Map<string, Buffer>();
    for (const [spec, o] of await this.catBatch(specs, 'blob')) map.set(spec, o.body);
    return map;
  }

  async readFileAt(rev: string, path: string): Promise<Buffer | null> {
    return (await this.readBlobs([`${rev}:${path}`])).get(`${rev}:${path}`) ?? null;
  }

  /**
   * Write git's commit-graph when the repository has none: a derived
   * cache git maintains itself (`git gc`, `git maintenance`), which turns whole-history walks — is X an
   * ancestor of Y, which commit first added the policy — from ~1 s into ~0.1 s at 100k commits. Never
   * inside a pre-receive quarantine, where the pushed commits may yet be thrown away.
   */
  async logChanges(spec: string): Promise<MirrorCommit[]> {
    return parseMirrorLog(await this.text([...MIRROR_LOG_ARGS, '--end-of-options', spec]));
  }

  async firstParents(spec: string): Promise<string[]> {
    return this.lines(['rev-list', '--first-parent', '--reverse', '--end-of-options', spec]);
  }

  async walkFirstParents(head: string, o: { exclude?: readonly string[]; max?: number } = {}): Promise<string[]> {
    return this.lines(['rev-list', '--first-parent', ...(o.max ? ['-n', String(o.max)] : []), '--end-of-options', head, ...(o.exclude ?? []).map((x) => '^' + x)]);
  }

  async countCommits(spec: string): Promise<number> {
    return Number((await this.text(['rev-list', '--count', '--end-of-options', spec])).trim());
  }

  async ensureCommitGraph(): Promise<void> {
    if (this.env.GIT_QUARANTINE_PATH) return;
    // the common layouts are looked at directly: no process when the graph is there (every warm run)
    if (!this.env.GIT_DIR && !this.env.GIT_COMMON_DIR && !this.env.GIT_OBJECT_DIRECTORY) {
      const gitDir = this.bare ? this.dir : join(this.dir, '.git');
      const info = join(gitDir, 'objects', 'info');
      if (existsSync(join(gitDir, 'HEAD')) && (existsSync(join(info, 'commit-graph')) || existsSync(join(info, 'commit-graphs')))) return;
    }
    const r = await this.run(['rev-parse', '--git-path', 'objects/info'], { okCodes: [128] });
    if (r.code !== 0) return;
    const info = r.stdout.toString().trim();
    const base = info.startsWith('/') ? info : join(this.dir, info);
    if (existsSync(join(base, 'commit-graph')) || existsSync(join(base, 'commit-graphs'))) return;
    // NOTE: no --changed-paths: the Bloom filters cost ~3 s more in a fresh 100k-commit clone than they
    // save (the policy's first commit is remembered in .git/csae/cutover.json)
    await this.run(['commit-graph', 'write', '--reachable'], { okCodes: [1, 128] });
  }

  /** The commit that first added `path` in the history of `rev` (oldest first), or null. */
  async firstAdding(rev: string, path: string): Promise<string | null> {
    const t = await this.text(['log', '--format=%H', '--diff-filter=A', '--reverse', '--end-of-options', rev, '--', path]);
    // NOTE: below a shallow cut the oldest commit "adds" every file it has: with any cut in rev's
    // history the first adder is unknowable, so the answer is refused rather than guessed
    if ((await this.shallowCommits()).size) await this.refuseTruncated(await this.lines(['rev-list', '--end-of-options', rev]));
    return t.split('\n')[0] || null;
  }

  /**
   * Commits (oldest first) in `include ^exclude` that change `path`. With firstParent, only the
   * first-parent chain, each commit (a merge too) compared with its first parent: the versions a
   * branch itself held, in order.
   */
  async pathChanges(include: readonly string[], exclude: readonly string[], path: string, o: { firstParent?: boolean } = {}): Promise<Array<{ id: string; parents: string[] }>> {
    const t = await this.text(['log', '--format=%H %P', '--reverse', '--no-renames', ...(o.firstParent ? ['--first-parent'] : []), '--end-of-options', ...include, ...exclude.map((x) => '^' + x), '--', path]);
    return t.split('\n').filter(Boolean).map((l) => {
      const [id, ...parents] = l.trim().split(' ');
      return { id: id!, parents };
    });
  }

  /** Tree git would write for merging the given commits, or null on conflict. */
  async mergeTree(parents: readonly string[]): Promise<string | null> {
    if (parents.length !== 2) return null;
    const r = await this.run(['merge-tree', '--write-tree', '--no-messages', parents[0]!, parents[1]!], { okCodes: [1] });
    return r.code === 0 ? r.stdout.toString().split('\n')[0]!.trim() : null;
  }

  /**
   * Patch ids of commits against their first parent (`git diff-tree -p | git patch-id --verbatim`):
   * stable across a rebase (no line numbers, files in a fixed order) but, unlike plain `--stable`,
   * whitespace-exact (`rm -rf /tmp/x` and `rm -rf / tmp/x` differ), with full blob ids for binary files.
   * Empty and merge commits have none and are absent from the map.
   */
  async patchIds(ids: readonly string[]): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    if (ids.length === 0) return map;
    const diff = (await this.run(['diff-tree', '--stdin', '-p', '--root', '--full-index', '--binary', '--no-renames', '--no-ext-diff', '--no-textconv'], { input: ids.join('\n') + '\n' })).stdout;
    if (diff.length === 0) return map;
    const t = await this.text(['patch-id', '--verbatim'], { input: diff });
    for (const line of t.split('\n')) {
      const [pid, commit] = line.split(' ');
      if (pid && commit) map.set(commit, pid);
    }
    return map;
  }

  // ---- shallow clones ----

  /**
   * The commits where a shallow clone's history was cut (`$GIT_DIR/shallow`); empty for a complete
   * repository. Read from the file without a process in the common layout (a `.git` directory, or a
   * bare repository), from `git rev-parse --git-path shallow` otherwise (worktrees, GIT_DIR).
   */
  async shallowCommits(): Promise<ReadonlySet<string>> {
    if (this.shallow) return this.shallow;
    let file: string;
    const dotGit = join(this.dir, '.git');
    if (this.bare && !this.env.GIT_DIR && !this.env.GIT_COMMON_DIR) file = join(this.dir, 'shallow');
    else if (!this.bare && !this.env.GIT_DIR && !this.env.GIT_COMMON_DIR && existsSync(join(dotGit, 'HEAD'))) file = join(dotGit, 'shallow');
    else {
      const p = (await this.text(['rev-parse', '--git-path', 'shallow'])).trim();
      file = p.startsWith('/') ? p : join(this.dir, p);
    }
    let ids: string[] = [];
    try {
      ids = readFileSync(file, 'utf8').split('\n').filter((l) => /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(l));
    } catch {
      // no shallow file: a complete repository
    }
    this.shallow = new Set(ids);
    return this.shallow;
  }

  /** Names of the configured remotes. */
  async remotes(): Promise<string[]> {
    return this.lines(['remote']);
  }

  /**
   * Fetch the commits `wants` (ids) with their complete history from `remote`, and no tags: in a shallow
   * clone `git fetch --unshallow` (wants are then the cuts, or commits a CI event names that the
   * checkout lacks); when the remote refuses to serve a commit by id, its configured refs instead.
   * Returns git's complaint, or null when the fetch succeeded.
   */
  async fetchHistory(remote: string, wants: readonly string[]): Promise<string | null> {
    if (!/^[A-Za-z0-9._-]+$/.test(remote) || remote.startsWith('-')) return `${JSON.stringify(remote)} is not a remote name`;
    if (wants.some((w) => !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(w))) return 'only full commit ids can be fetched';
    const shallow = (await this.shallowCommits()).size > 0;
    this.shallow = null;
    const cuts = wants;
    const base = ['fetch', '--quiet', ...(shallow ? ['--unshallow'] : []), '--no-tags', '--no-write-fetch-head', '--no-recurse-submodules'];
    const byId = await this.run([...base, '--end-of-options', remote, ...cuts], { okCodes: [1, 128] });
    if (byId.code === 0) return null;
    const byRef = await this.run([...base, '--end-of-options', remote], { okCodes: [1, 128] });
    return byRef.code === 0 ? null : byRef.stderr.trim().split('\n').slice(-2).join(' / ') || `git fetch exited ${byRef.code}`;
  }

  /** Refuse a walk that reached a shallow cut: what lies below it is unknown, so no answer is complete. */
  private async refuseTruncated(listed: readonly string[]): Promise<void> {
    const cuts = await this.shallowCommits();
    if (cuts.size === 0) return;
    const hit = listed.filter((id) => cuts.has(id));
    if (hit.length) throw shallowError(hit);
  }

  /**
   * The paths `to` changes relative to `from` (`diff-tree -r`, no rename detection), each with the blob id
   * `to` has there, or null where `to` deletes it.
   */
  async changedPaths(from: string, to: string): Promise<Array<{ path: string; id: string | null }>> {
    const out = (await this.run(['diff-tree', '-r', '-z', '--no-renames', '--no-ext-diff', from, to])).stdout.toString('utf8').split('\0');
    const res: Array<{ path: string; id: string | null }> = [];
    for (let i = 0; i + 1 < out.length; i += 2) {
      const meta = out[i]!.split(' '); // ":old-mode new-mode old-id new-id status"
      const status = meta[4] ?? '';
      res.push({ path: out[i + 1]!, id: status.startsWith('D') ? null : meta[3]! });
    }
    return res;
  }

  /** The object ids at `paths` in `rev`'s tree, through one `cat-file --batch-check`; absent paths are absent. */
  async idsAt(rev: string, paths: readonly string[]): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    const asked = paths.filter((p) => !p.includes('\n'));
    if (asked.length === 0) return map;
    const t = await this.text(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: asked.map((p) => `${rev}:${p}`).join('\n') + '\n' });
    const lines = t.split('\n');
    asked.forEach((p, k) => {
      const m = /^([0-9a-f]{40,64}) (blob|tree|commit)$/.exec(lines[k] ?? '');
      if (m) map.set(p, m[1]!);
    });
    return map;
  }

  // ---- other repositories (the audit mirror) ----

  async initBare(path: string, o: { format?: 'sha1' | 'sha256'; branch?: string } = {}): Promise<string | null> {
    const r = await this.run(['init', '--quiet', '--bare', ...(o.format ? [`--object-format=${o.format}`] : []), ...(o.branch ? ['--initial-branch', o.branch] : []), '--', path], { okCodes: [128] });
    return r.code === 0 ? null : r.stderr.trim() || `git init exited ${r.code}`;
  }

  async cloneBare(url: string, path: string): Promise<string | null> {
    const r = await this.run(['clone', '--bare', '--quiet', '--no-tags', '--', url, path], { okCodes: [128] });
    return r.code === 0 ? null : r.stderr.trim() || `git clone exited ${r.code}`;
  }

  async fetchBranches(url: string, into: string): Promise<{ ok: boolean; transient: boolean; stderr: string }> {
    // a mirror on this machine whose branches are exactly what this clone holds already: there is
    // nothing to fetch, and reading its refs is what `git fetch` would do first (no process). Any
    // difference, or anything not plainly readable, fetches.
    if (this.bare && isAbsolute(url) && !this.env.GIT_DIR && !this.env.GIT_OBJECT_DIRECTORY) {
      const theirs = readRefsUnder(url, 'refs/heads/');
      const ours = theirs && theirs.size > 0 ? readRefsUnder(this.dir, into) : null;
      if (theirs && ours && ours.size === theirs.size && [...theirs].every(([b, id]) => ours.get(b) === id)) return { ok: true, transient: false, stderr: '' };
    }
    const r = await this.run(['fetch', '--quiet', '--no-tags', '--prune', '--', url, `+refs/heads/*:${into}*`], { okCodes: [1, 128] });
    return { ok: r.code === 0, transient: r.code !== 0 && isTransientGitFailure(r.stderr), stderr: r.stderr };
  }

  async pushCommit(url: string, commit: string, ref: string): Promise<PushOutcome> {
    const r = await this.run(['push', '--quiet', '--porcelain', '--', url, `${commit}:${ref}`], { okCodes: [1, 128] });
    if (r.code === 0) return { outcome: 'pushed', remoteSaid: '', detail: '' };
    const out = r.stdout.toString() + r.stderr;
    const remoteSaid = r.stderr.split('\n').filter((l) => l.startsWith('remote:')).map((l) => l.slice(7).trim()).filter(Boolean).join(' / ');
    // NOTE: a lost race first: a racing push shows up as "remote rejected (failed to update ref)" or,
    // through the mirror guard, as a declined non-fast-forward
    if (isTransientGitFailure(out)) return { outcome: 'race', remoteSaid, detail: out };
    if (/remote rejected|hook declined/.test(out)) return { outcome: 'refused', remoteSaid, detail: out };
    return { outcome: 'unreachable', remoteSaid, detail: out };
  }

  async updateRef(ref: string, id: string): Promise<void> {
    await this.run(['update-ref', ref, id]);
  }

  // ---- writing ----

  /** Commit with no tree change on top of HEAD, honouring the user's signing config. */
  async commitEmpty(message: string): Promise<string> {
    // NOTE: --only with no paths: staged changes stay staged instead of sneaking into the empty commit
    await this.run(['commit', '--allow-empty', '--only', '--no-verify', '--cleanup=verbatim', '-q', '-F', '-'], { input: message });
    return (await this.resolveCommit('HEAD'))!;
  }

  /** Write blobs; their ids in order. One process for all of them (each from a private temporary file). */
  async hashObjects(contents: readonly Buffer[]): Promise<string[]> {
    return this.writeObjects(contents, 'blob');
  }

  private async writeObjects(contents: readonly Buffer[], type: 'blob' | 'tree'): Promise<string[]> {
    if (contents.length === 0) return [];
    if (contents.length === 1) return [(await this.text(['hash-object', '-w', '-t', type, '--stdin'], { input: contents[0]! })).trim()];
    const dir = mkdtempSync(join(tmpdir(), 'csae-objects-'));
    try {
      const paths = contents.map((c, i) => {
        const p = join(dir, String(i));
        writeFileSync(p, c);
        return p;
      });
      const ids = (await this.text(['hash-object', '-w', '-t', type, '--no-filters', '--stdin-paths'], { input: paths.join('\n') + '\n' })).split('\n').filter(Boolean);
      if (ids.length !== contents.length) throw new CsaeError('git-failed', `git hash-object wrote ${ids.length} of ${contents.length} objects`);
      return ids;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * Write a commit whose tree is `parent`'s tree plus `files` (path -> blob id). Only the trees on the
   * way to the added files are read (one batch) and written (one process): a mirror of 10,000 entries is
   * not read into an index to add three files. Nothing in the work tree or the user's index is touched.
   */
  async commitAdding(parent: string | null, files: ReadonlyMap<string, string>, message: string, env: Record<string, string>): Promise<string> {
    const format = parent ? (parent.length === 64 ? 'sha256' : 'sha1') : await this.objectFormat();
    // every directory on the way to an added file ('' is the root), with its entries in the parent
    const dirs = new Set<string>(['']);
    for (const p of files.keys()) {
      if (!p || p.startsWith('/') || p.endsWith('/') || p.split('/').some((x) => x === '' || x === '.' || x === '..' || x === '.git') || /[\0\n]/.test(p)) throw new CsaeError('git-failed', `refusing to add ${JSON.stringify(p)}: not a plain relative path`);
      const parts = p.split('/');
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    }
    const trees = new Map<string, Map<string, TreeEntry>>();
    const list = [...dirs];
    const answers = parent ? await this.objects().ask(list.map((d) => ({ op: 'contents' as const, spec: d === '' ? `${parent}^{tree}` : `${parent}:${d}` }))) : [];
    list.forEach((d, i) => {
      const a = answers[i];
      if (a && a.type !== 'tree') throw new CsaeError('git-failed', `cannot add under ${d}: it is a ${a.type} in ${parent!.slice(0, 12)}`);
      trees.set(d, a?.body ? parseTree(a.body, format === 'sha256' ? 32 : 20) : new Map());
    });
    for (const [p, id] of files) {
      const i = p.lastIndexOf('/');
      trees.get(i < 0 ? '' : p.slice(0, i))!.set(p.slice(i + 1), { mode: '100644', id });
    }
    // deepest first: each new tree's id goes into its parent directory
    const depth = (d: string): number => (d === '' ? 0 : d.split('/').length);
    const bodies: Buffer[] = [];
    const ids: string[] = [];
    let root = '';
    for (const d of list.sort((x, y) => depth(y) - depth(x))) {
      const body = serializeTree(trees.get(d)!);
      const id = createHash(format === 'sha256' ? 'sha256' : 'sha1').update(`tree ${body.length}\0`).update(body).digest('hex');
      bodies.push(body);
      ids.push(id);
      if (d === '') root = id;
      else {
        const i = d.lastIndexOf('/');
        trees.get(i < 0 ? '' : d.slice(0, i))!.set(d.slice(i + 1), { mode: '40000', id });
      }
    }
    const written = await this.writeObjects(bodies, 'tree');
    // git hashed what it wrote: the ids must be the ones computed here, or the trees are not what was meant
    if (written.join() !== ids.join()) throw new CsaeError('git-failed', 'git wrote the mirror trees under other ids than computed; nothing was committed');
    const args = ['commit-tree', root, ...(parent ? ['-p', parent] : []), '-F', '-'];
    return (await this.text(args, { input: message, env })).trim();
  }
}

/**
 * git's words for a failure another process caused for a moment — a lock held, a ref moved under a push
 * or fetch — worth a retry after a pause, unlike a refusal or an unreachable remote.
 */
export function isTransientGitFailure(text: string): boolean {
  return /cannot lock ref|failed to update ref|unable to update local ref|Unable to create '[^']*\.lock'|non-fast-forward|fetch first|stale info|incorrect old value|but expected|failed to lock/i.test(text);
}

/** The walk reached where a shallow clone's history was cut (exit 3): `data.cuts` are the commits to deepen. */
export function shallowError(cuts: readonly string[], tried?: string): CsaeError {
  return new CsaeError(
    'shallow-history',
    `this clone is shallow: its history is cut off below ${cuts[0]!.slice(0, 12)}${cuts.length > 1 ? ` (and ${cuts.length - 1} more)` : ''}, so a check here cannot see every commit and will not pass on what it cannot see${tried ? `; deepening failed: ${tried}` : ''}`,
    { next: 'fetch the whole history: actions/checkout with `fetch-depth: 0` (GitLab CI: `GIT_DEPTH: 0`), or `git fetch --unshallow`', data: { cuts: [...cuts] } },
  );
}

export function parseCommit(id: string, raw: string): CommitObject {
  const split = raw.indexOf('\n\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const message = split < 0 ? '' : raw.slice(split + 2);
  let tree = '';
  const parents: string[] = [];
  let author = '';
  let authorTime = 0;
  let committer = '';
  let committerTime = 0;
  for (const line of head.split('\n')) {
    if (line.startsWith('tree ')) tree = line.slice(5);
    else if (line.startsWith('parent ')) parents.push(line.slice(7));
    else if (line.startsWith('author ')) [author, authorTime] = ident(line.slice(7));
    else if (line.startsWith('committer ')) [committer, committerTime] = ident(line.slice(10));
  }
  return { id, tree, parents, author, authorTime, committer, committerTime, message };
}

function ident(s: string): [string, number] {
  const m = /^(.*>) (\d+) [+-]\d{4}$/.exec(s);
  return m ? [m[1]!, Number(m[2])] : [s, 0];
}

/** Parents before children (Kahn), keeping git's order among independent commits. */
export function topoSort<T extends { id: string; parents: string[] }>(list: readonly T[]): T[] {
  const byId = new Map(list.map((c) => [c.id, c]));
  const pending = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const c of list) {
    let n = 0;
    for (const p of c.parents) {
      if (!byId.has(p)) continue;
      n++;
      const l = children.get(p);
      if (l) l.push(c.id);
      else children.set(p, [c.id]);
    }
    pending.set(c.id, n);
  }
  const out: T[] = [];
  const ready = list.filter((c) => pending.get(c.id) === 0).map((c) => c.id);
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i]!;
    out.push(byId.get(id)!);
    for (const ch of children.get(id) ?? []) {
      const left = pending.get(ch)! - 1;
      pending.set(ch, left);
      if (left === 0) ready.push(ch);
    }
  }
  return out;
}
