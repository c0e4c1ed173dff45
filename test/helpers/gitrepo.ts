// Test helpers for integration and end-to-end tests: real temporary directories, real git with a fixed
// identity, dates and configuration (so commit ids do not depend on the machine or the clock), and a
// runner for the built `csae` binary. No mocks: everything here spawns the real programs.
//
// Every helper takes the directory it works in explicitly; nothing reads process.cwd().
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Git } from '../../src/git/git.js';

export type ObjectFormat = 'sha1' | 'sha256';

function findRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package root above ${start}`);
    dir = up;
  }
}

/** The project root (holds package.json) and the built binary the tests drive. */
export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const CSAE_BIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export const IDENTITY = {
  GIT_AUTHOR_NAME: 'Olive Operator',
  GIT_AUTHOR_EMAIL: 'olive@example.com',
  GIT_COMMITTER_NAME: 'Olive Operator',
  GIT_COMMITTER_EMAIL: 'olive@example.com',
  GIT_AUTHOR_DATE: '2024-01-02T03:04:05Z',
  GIT_COMMITTER_DATE: '2024-01-02T03:04:05Z',
} as const;
export const OPERATOR = `${IDENTITY.GIT_AUTHOR_NAME} <${IDENTITY.GIT_AUTHOR_EMAIL}>`;

// ---------------------------------------------------------------------------------------------------
// temporary directories

const live = new Set<string>();

/** A fresh temporary directory; removed by the `after` hook of the suite that called useTempDirs(). */
export function mkTemp(prefix = 'csae-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  live.add(d);
  return d;
}

export function rmTemp(d: string): void {
  live.delete(d);
  if (!process.env.CSAE_KEEP_TEMP) rmSync(d, { recursive: true, force: true });
}

/**
 * Call inside a `describe`: every directory made by mkTemp() while this suite runs is removed in its
 * `after` hook (set CSAE_KEEP_TEMP=1 to keep them for a post-mortem).
 */
export function useTempDirs(): void {
  const before0 = new Set<string>();
  before(() => {
    for (const d of live) before0.add(d);
  });
  after(() => {
    for (const d of [...live]) if (!before0.has(d)) rmTemp(d);
  });
}

// ---------------------------------------------------------------------------------------------------
// the environment git and csae run with

/** A gitconfig of our own (init.defaultBranch=main, commit.gpgsign=false) and no system config. */
export function gitEnv(sandbox: string, extra: Record<string, string> = {}): Record<string, string> {
  const cfg = join(sandbox, 'gitconfig');
  if (!existsSync(cfg)) {
    writeFileSync(cfg, '[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n[advice]\n\tdetachedHead = false\n[protocol "file"]\n\tallow = always\n');
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // nothing from the outer git (hooks running tests, CI) may leak in
    // nor the CI system's (csae verify reads GitHub Actions / GitLab CI variables when given no range)
    if (v === undefined || k.startsWith('GIT_') || k === 'NO_COLOR' || k === 'CSAE_DEBUG' || k.startsWith('GITHUB_') || k.startsWith('GITLAB_') || k.startsWith('CI_')) continue;
    env[k] = v;
  }
  return { ...env, ...IDENTITY, GIT_CONFIG_GLOBAL: cfg, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', NO_COLOR: '1', ...extra };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOpts {
  cwd: string;
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
}

/** Spawn a program with an argument array (never a shell string); resolve with its exit code and output. */
export function run(cmd: string, args: readonly string[], o: RunOpts & { env: Record<string, string | undefined> }): Promise<RunResult> {
  return new Promise((res, rej) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.env)) if (v !== undefined) env[k] = v;
    const child = spawn(cmd, args, { cwd: o.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', rej);
    child.stdin.on('error', () => {});
    child.on('close', (code, signal) => res({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(o.input ?? '');
  });
}

/** A git runner bound to one sandbox's environment. */
export class GitRunner {
  constructor(readonly env: Record<string, string>) {}

  /** Run git; never throws on a non-zero exit (the result carries the code). */
  run(cwd: string, args: readonly string[], o: { input?: string | Buffer; env?: Record<string, string | undefined> } = {}): Promise<RunResult> {
    return run('git', args, { cwd, input: o.input, env: { ...this.env, ...(o.env ?? {}) } });
  }

  /** Run git and return trimmed stdout; throws with git's stderr on failure. */
  async ok(cwd: string, args: readonly string[], o: { input?: string | Buffer; env?: Record<string, string | undefined> } = {}): Promise<string> {
    const r = await this.run(cwd, args, o);
    if (r.code !== 0) throw new Error(`git ${args.join(' ')} (in ${cwd}) exited ${r.code}: ${r.stderr.trim()}`);
    return r.stdout.trim();
  }

  rev(cwd: string, rev: string): Promise<string> {
    return this.ok(cwd, ['rev-parse', '--verify', '--end-of-options', rev]);
  }

  /** Write `file` (relative to the work tree), stage everything, commit; returns the new commit id. */
  async commitFile(cwd: string, file: string, content: string, message: string): Promise<string> {
    const p = join(cwd, file);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    await this.ok(cwd, ['add', '-A']);
    await this.ok(cwd, ['commit', '-q', '--no-verify', '-m', message]);
    return this.rev(cwd, 'HEAD');
  }

  /** git init (bare or not) with the chosen object format. */
  async init(dir: string, o: { bare?: boolean; format?: ObjectFormat } = {}): Promise<string> {
    mkdirSync(dir, { recursive: true });
    await this.ok(dir, ['init', '-q', ...(o.bare ? ['--bare'] : []), `--object-format=${o.format ?? 'sha1'}`, '.']);
    return dir;
  }
}

/** Run the built csae binary. */
export function runCsae(args: readonly string[], o: RunOpts): Promise<RunResult> {
  return run(process.execPath, [CSAE_BIN, ...args], { cwd: o.cwd, input: o.input, env: o.env ?? process.env });
}

/** Parse stdout that must be exactly one JSON document. */
export function parseJson<T = any>(r: RunResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch (e) {
    throw new Error(`stdout is not one JSON document (${(e as Error).message}):\n${r.stdout}\n--- stderr:\n${r.stderr}`);
  }
}

/** Human-readable dump of a result for assertion messages. */
export function show(r: RunResult): string {
  return `exit ${r.code}\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`;
}

/** Ed25519 key pair in the files `csae keygen` writes: PATH (PKCS#8 PEM) and PATH.pub (SPKI PEM). */
export function writeKeyPair(path: string): { key: string; pub: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(path + '.pub', publicKey.export({ type: 'spki', format: 'pem' }));
  return { key: path, pub: path + '.pub' };
}

// ---------------------------------------------------------------------------------------------------
// the ceremony fixture

export interface Sandbox {
  root: string;
  env: Record<string, string>;
  git: GitRunner;
  csae(args: readonly string[], o?: Partial<RunOpts>): Promise<RunResult>;
}

/** A temporary directory with its own gitconfig and environment. */
export function sandbox(prefix = 'csae-test-'): Sandbox {
  const root = mkTemp(prefix);
  const env = gitEnv(root);
  const git = new GitRunner(env);
  return { root, env, git, csae: (args, o = {}) => runCsae(args, { cwd: o.cwd ?? root, input: o.input, env: { ...env, ...(o.env ?? {}) } }) };
}

export interface Ceremony extends Sandbox {
  format: ObjectFormat;
  mirrorFormat: ObjectFormat;
  canon: string;
  mirror: string;
  work: string;
  operatorKey: string;
  operatorPub: string;
  reviewerKey: string;
  reviewerPub: string;
  /** the genesis commit on main (adopts the policy) */
  genesis: string;
  /** csae in the worker clone */
  w(args: readonly string[], o?: Partial<RunOpts>): Promise<RunResult>;
  /** git in the worker clone, throwing on failure */
  g(args: readonly string[]): Promise<string>;
  /** git in the worker clone, returning the result */
  gr(args: readonly string[], o?: { input?: string; env?: Record<string, string | undefined> }): Promise<RunResult>;
  rev(rev: string): Promise<string>;
  commit(file: string, content: string, message: string): Promise<string>;
}

export interface CeremonyOptions {
  format?: ObjectFormat;
  /** the audit mirror's object format (default sha1; see the sha256-mirror note in the e2e suite) */
  mirrorFormat?: ObjectFormat;
  /** push the policy commit to main (default true) */
  push?: boolean;
  /** protected refs given to csae init (default refs/heads/main) */
  protect?: string[];
}

/**
 * canon.git (bare), mirror.git (bare), a worker clone with one commit, operator and reviewer keys,
 * `csae init --mirror --key`, both signers trusted, .csae committed and (by default) pushed as the
 * genesis of main. Costs three csae spawns and one hooked push.
 */
export async function ceremony(o: CeremonyOptions = {}): Promise<Ceremony> {
  const format = o.format ?? 'sha1';
  const mirrorFormat = o.mirrorFormat ?? 'sha1';
  const sb = sandbox(`csae-${format}-`);
  const { root, git } = sb;
  const canon = await git.init(join(root, 'canon.git'), { bare: true, format });
  const mirror = await git.init(join(root, 'mirror.git'), { bare: true, format: mirrorFormat });
  // NOTE: not `git clone` of the empty canon: before git 2.4x a clone of an empty repository does not
  // take the remote's object format, so a sha256 canon would get a sha1 clone.
  const work = await git.init(join(root, 'work'), { format });
  await git.ok(work, ['remote', 'add', 'origin', canon]);
  const op = writeKeyPair(join(root, 'operator.key'));
  const rv = writeKeyPair(join(root, 'reviewer.key'));
  await git.commitFile(work, 'README.md', '# demo app\n', 'initial import');
  const c: Ceremony = {
    ...sb,
    format,
    mirrorFormat,
    canon,
    mirror,
    work,
    operatorKey: op.key,
    operatorPub: op.pub,
    reviewerKey: rv.key,
    reviewerPub: rv.pub,
    genesis: '',
    w: (args, ro = {}) => sb.csae(args, { ...ro, cwd: ro.cwd ?? work }),
    g: (args) => git.ok(work, args),
    gr: (args, ro = {}) => git.run(work, args, ro),
    rev: (r) => git.rev(work, r),
    commit: (f, content, m) => git.commitFile(work, f, content, m),
  };
  await must(c.w(['init', '--mirror', mirror, ...(o.protect ?? ['refs/heads/main']).flatMap((p) => ['--protect', p]), '--key', op.key]), 'csae init');
  await must(c.w(['policy', 'trust', '--bundles', '--name', 'olive', '--key', op.pub]), 'policy trust --bundles');
  await must(c.w(['policy', 'trust', '--verdicts', '--name', 'rita', '--key', rv.pub]), 'policy trust --verdicts');
  await git.ok(work, ['add', '.csae']);
  await git.ok(work, ['commit', '-q', '--no-verify', '-m', 'adopt csae policy']);
  c.genesis = await c.rev('HEAD');
  if (o.push !== false) {
    const r = await c.gr(['push', '-q', 'origin', 'main']);
    if (r.code !== 0) throw new Error(`genesis push failed: ${show(r)}`);
  }
  return c;
}

export async function must(p: Promise<RunResult>, what: string): Promise<RunResult> {
  const r = await p;
  if (r.code !== 0) throw new Error(`${what} failed: ${show(r)}`);
  return r;
}

export interface Workstream {
  ws: string;
  base: string;
  a0: string;
  work: string[];
  verdict: string;
  attestation: string;
}

/**
 * On a new branch from the current HEAD: intent register, `n` commits, a passing verdict by the
 * reviewer over base..HEAD, bundle author. Leaves the draft unpublished.
 */
export async function authorWorkstream(c: Ceremony, ws: string, o: { n?: number; branch?: string; publish?: boolean } = {}): Promise<Workstream> {
  if (o.branch) await c.g(['checkout', '-q', '-b', o.branch]);
  const base = await c.rev('HEAD');
  await must(c.w(['-q', 'intent', 'register', '--workstream', ws, '--intent', `Work for ${ws}`]), 'intent register');
  const a0 = await c.rev('HEAD');
  const work: string[] = [];
  for (let i = 1; i <= (o.n ?? 2); i++) work.push(await c.commit(`${ws}/step${i}.txt`, `${ws} step ${i}\n`, `${ws} step ${i}`));
  const v = parseJson(await must(c.w(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', '8', '--floor', '7', '--key', c.reviewerKey, '--json']), 'verdict record'));
  await must(c.w(['-q', 'bundle', 'author', '--workstream', ws, '--verdict', v.path]), 'bundle author');
  const attestation = await c.rev('HEAD');
  if (o.publish) await must(c.w(['-q', 'bundle', 'publish', '--key', c.operatorKey]), 'bundle publish');
  return { ws, base, a0, work, verdict: v.path as string, attestation };
}

/** The zero object id for a format. */
export function zeros(format: ObjectFormat): string {
  return '0'.repeat(format === 'sha256' ? 64 : 40);
}

/** A fresh repository (`repo` in a temp sandbox), a runner for test-side git, and csae's Git on it. */
export async function tempRepo(format: ObjectFormat): Promise<{ dir: string; g: GitRunner; git: Git }> {
  const root = mkTemp();
  const env = gitEnv(root);
  const g = new GitRunner(env);
  const dir = await g.init(join(root, 'repo'), { format });
  return { dir, g, git: new Git(dir, env) };
}

/**
 * Ask the pre-push hook, in --json, about pushing `src` (a revision of the worker clone) to `dst` on the
 * canonical repository — exactly the input git gives it — so a refused `git push` can be checked by
 * diagnosis and error codes, not only by git's exit code.
 */
export async function prePushJson(c: Ceremony, src: string, dst = 'refs/heads/main'): Promise<{ r: RunResult; json: any }> {
  const local = await c.rev(src);
  const remote = await c.git.run(c.canon, ['rev-parse', '--verify', '--quiet', `${dst}^{commit}`]);
  const remoteSha = remote.code === 0 ? remote.stdout.trim() : zeros(c.format);
  const r = await c.w(['hook', 'pre-push', 'origin', c.canon, '--json'], { input: `${src} ${local} ${dst} ${remoteSha}\n` });
  return { r, json: parseJson(r) };
}
