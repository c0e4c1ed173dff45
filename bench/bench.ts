#!/usr/bin/env node
// `npm run bench`: the performance contract of DESIGN §6, measured. Generates a canonical repository of N
// commits covered by B bundles and its audit mirror (deterministically, two fast-import processes), then
// times the real CLI, whole process, next to a floor measured in the same run:
//   (a) CI replay `csae verify --ref main`, cold (no .git/csae: includes cloning the mirror) and warm
//   (b) the pre-push hook for a 10-commit push made with the real CLI, warm and cold verified index
//       (cold: every cache file under .git/csae removed; the mirror clone and session state kept)
//   (c) `csae audit walk --no-sync` over B entries, cold      (d) `csae audit who COMMIT`, warm
//   (e) peak RSS of every csae process
// Usage: node dist/bench/bench.js [--commits N] [--bundles B] [--runs R] [--keep DIR] [--json]
import { spawnSync } from 'node:child_process';
import { cpus, freemem, totalmem, tmpdir, platform, release } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verify as edVerify } from 'node:crypto';
import { pae } from '../src/core/dsse.js';
import { generate, OPERATOR, REVIEWER, SCORE, FLOOR, idString, type Generated } from './generate.js';
import { writeKeyFile } from './keys.js';
import { fmtMs, median, round, rssSource, timeProcess, timeSync, type ProcResult } from './measure.js';
import { formatTable, type BenchResult, type GrowthPoint, type Measurement } from './report.js';

interface Args {
  commits: number;
  bundles: number;
  runs: number;
  keep: string | null;
  json: boolean;
  /** entry counts for the growth series (commits = 10 x entries), empty: none */
  growth: number[];
}

const USAGE = `usage: npm run bench -- [--commits N] [--bundles B] [--runs R] [--keep DIR] [--json]
  --commits N   commits in the canonical repository (default 100000)
  --bundles B   bundles (mirror entries) covering them (default 10000)
  --runs R      timed runs per measurement; the median is reported (default 3)
  --keep DIR    generate into DIR and keep it (default: a temporary directory, removed at the end)
  --json        machine output on stdout (progress stays on stderr)
  --growth L    also measure growth: cold replay and cold walk at each entry count in the comma list L
                (commits = 10 x entries), reported per commit and per entry (e.g. 1000,10000,30000)`;

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { commits: 100_000, bundles: 10_000, runs: 3, keep: null, json: false, growth: [] };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const num = (): number => {
      const v = argv[++i];
      const n = Number(v);
      if (v === undefined || !Number.isInteger(n) || n < 1) usage(`${k} needs a positive integer, got ${JSON.stringify(v)}`);
      return n;
    };
    if (k === '--commits') a.commits = num();
    else if (k === '--bundles') a.bundles = num();
    else if (k === '--runs') a.runs = num();
    else if (k === '--keep') {
      const v = argv[++i];
      if (!v) usage('--keep needs a directory');
      a.keep = resolve(v);
    } else if (k === '--json') a.json = true;
    else if (k === '--growth') {
      const v = argv[++i] ?? '';
      const list = v.split(',').map(Number);
      if (!v || list.some((n) => !Number.isInteger(n) || n < 2)) usage(`--growth needs a comma list of entry counts (each >= 2), got ${JSON.stringify(v)}`);
      a.growth = list;
    }
    else if (k === '--help' || k === '-h') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else usage(`unknown argument ${JSON.stringify(k)}`);
  }
  return a;
}

function usage(msg: string): never {
  process.stderr.write(`bench: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

/** `csae mirror verify` runs once as a check up to this many bundles (above, audit walk covers the chain) */
const MIRROR_VERIFY_MAX = 1000;
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const log = (s: string): void => void process.stderr.write(s + '\n');

class BenchFailure extends Error {}

function fail(what: string, r?: ProcResult): never {
  const detail = r ? `\n  exit ${r.code}\n  stdout: ${r.stdout.trim().split('\n').slice(0, 30).join('\n          ')}\n  stderr: ${r.stderr.trim().split('\n').slice(0, 30).join('\n          ')}` : '';
  throw new BenchFailure(`${what}${detail}`);
}

function gitSync(args: string[], env: NodeJS.ProcessEnv, cwd?: string): string {
  const r = spawnSync('git', args, { env, cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) fail(`git ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  return r.stdout;
}

function benchEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_PREFIX', 'GIT_COMMON_DIR', 'GIT_QUARANTINE_PATH', 'GIT_AUTHOR_DATE', 'GIT_COMMITTER_DATE', 'CSAE_DEBUG']) delete env[k];
  const cfg = join(dir, 'gitconfig');
  // gc/maintenance off: nothing runs in the background of a timing
  writeFileSync(cfg, `[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n[user]\n\tname = ${OPERATOR.name}\n\temail = ${OPERATOR.email}\n[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n[advice]\n\tdetachedHead = false\n`);
  return { ...env, GIT_CONFIG_GLOBAL: cfg, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', NO_COLOR: '1', LC_ALL: 'C', GIT_AUTHOR_NAME: OPERATOR.name, GIT_AUTHOR_EMAIL: OPERATOR.email, GIT_COMMITTER_NAME: OPERATOR.name, GIT_COMMITTER_EMAIL: OPERATOR.email };
}

function machine(): Record<string, unknown> {
  const git = spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^git version /, '');
  return { nproc: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryMB: Math.round(totalmem() / 2 ** 20), freeMemoryMB: Math.round(freemem() / 2 ** 20), node: process.version, git, os: `${platform()} ${release()}`, rssSource };
}

/**
 * The caches csae keeps in .git/csae: every plain file at its top level (the verified index in whatever
 * files it spans, the remembered cutover and policy). Directories are the mirror clone and session state
 * (intents, drafts, verdicts, published), which a "cold" run keeps.
 */
function cacheFiles(stateDir: string): string[] {
  if (!existsSync(stateDir)) return [];
  return readdirSync(stateDir, { withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(stateDir, d.name));
}

function dropCaches(stateDir: string): void {
  for (const f of cacheFiles(stateDir)) rmSync(f, { force: true });
}

/** Raw Ed25519 verification of stored envelopes, in process: parse, PAE over the payload, verify. */
function verifyEnvelopes(bytes: readonly Buffer[], key: import('node:crypto').KeyObject): number {
  let ok = 0;
  for (const b of bytes) {
    const env = JSON.parse(b.toString('utf8')) as { payloadType: string; payload: string; signatures: Array<{ sig: string }> };
    const data = pae(env.payloadType, Buffer.from(env.payload, 'base64'));
    if (edVerify(null, data, key, Buffer.from(env.signatures[0]!.sig, 'base64'))) ok++;
  }
  if (ok !== bytes.length) fail(`raw verification: only ${ok} of ${bytes.length} envelopes verify`);
  return ok;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const dir = args.keep ?? mkdtempSync(join(tmpdir(), 'csae-bench-'));
  if (args.keep) {
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  const scratch = join(dir, 'scratch');
  mkdirSync(scratch, { recursive: true });
  const env = benchEnv(dir);
  const R = args.runs;
  try {
    const result = await run(args, dir, scratch, env, R);
    if (args.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else process.stdout.write(formatTable(result) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof BenchFailure) {
      log(`bench: FAILED: ${e.message}`);
      log(`bench: the data is kept for inspection in ${dir}`);
      args.keep = dir;
      return 1;
    }
    throw e;
  } finally {
    if (!args.keep) rmSync(dir, { recursive: true, force: true });
  }
}

async function run(args: Args, dir: string, scratch: string, env: NodeJS.ProcessEnv, R: number): Promise<BenchResult> {
  const csae = async (cwd: string, argv: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<ProcResult> => timeProcess(process.execPath, [CLI, ...argv], { cwd, env: { ...env, ...extraEnv }, input, scratch });
  let peakKB = 0;
  const note = (r: ProcResult): ProcResult => {
    if (r.rssKB) peakKB = Math.max(peakKB, r.rssKB);
    return r;
  };
  /** R timed runs of a csae command; `before` runs untimed ahead of each; every run must exit 0 */
  const series = async (what: string, cwd: string, argv: string[], o: { before?: () => void; input?: string; check?: (r: ProcResult) => string | null } = {}): Promise<{ runs: number[]; rssMB: number; last: ProcResult }> => {
    const runs: number[] = [];
    let rss = 0;
    let last: ProcResult | null = null;
    for (let i = 0; i < R; i++) {
      o.before?.();
      const r = note(await csae(cwd, argv, o.input));
      if (r.code !== 0) fail(`${what}: csae ${argv.join(' ')} exited ${r.code} (run ${i + 1})`, r);
      const why = o.check?.(r);
      if (why) fail(`${what}: ${why}`, r);
      runs.push(r.ms);
      rss = Math.max(rss, r.rssKB ?? 0);
      last = r;
    }
    log(`  ${what}: median ${fmtMs(median(runs))} (${runs.map(fmtMs).join(', ')}), peak RSS ${Math.round(rss / 1024)} MB`);
    return { runs, rssMB: rss / 1024, last: last! };
  };
  const procSeries = async (cmd: string, argv: string[], cwd: string, check?: (r: ProcResult) => string | null): Promise<{ ms: number; rssMB: number }> => {
    const runs: number[] = [];
    let rss = 0;
    for (let i = 0; i < R; i++) {
      const r = await timeProcess(cmd, argv, { cwd, env, scratch });
      if (r.code !== 0) fail(`${cmd} ${argv.join(' ')} exited ${r.code}`, r);
      const why = check?.(r);
      if (why) fail(why, r);
      runs.push(r.ms);
      rss = Math.max(rss, r.rssKB ?? 0);
    }
    return { ms: median(runs), rssMB: rss / 1024 };
  };

  log(`bench: ${args.commits} commits, ${args.bundles} bundles, ${R} run(s) each, data in ${dir}`);
  // 1-2. the workload
  log('bench: generating the canonical repository and the audit mirror (git fast-import x2)');
  const g: Generated = await generate({ commits: args.commits, bundles: args.bundles, dir, env, log });
  log(`  generated ${g.totalCommits} commits (${g.workCommits} work, ${g.merges} merges) and ${g.entries.length} entries in ${g.seconds.total.toFixed(1)} s`);
  if (g.totalCommits !== args.commits) fail(`generated ${g.totalCommits} commits, wanted ${args.commits}`);

  // the generator's rev-list order must be git's (it is hashed into every claim)
  for (const s of g.samples) {
    const ids = gitSync(['--git-dir', g.canonicalDir, 'rev-list', '--topo-order', '--reverse', s.head, `^${s.base}`], env).trim().split('\n');
    if (ids.join() !== s.commits.join()) fail(`generator order differs from git rev-list for ${s.workstream}${s.merge ? ' (merge)' : ''}: ${ids.length} vs ${s.commits.length} commits`);
  }
  const mirrorCount = Number(gitSync(['--git-dir', g.mirrorDir, 'rev-list', '--count', 'main'], env).trim());
  if (mirrorCount !== args.bundles) fail(`mirror has ${mirrorCount} commits, wanted ${args.bundles}`);

  const keys = join(dir, 'keys');
  mkdirSync(keys, { recursive: true });
  const operatorPem = writeKeyFile(g.operatorKey, join(keys, 'operator.pem'));
  const reviewerPem = writeKeyFile(g.reviewerKey, join(keys, 'reviewer.pem'));

  // a CI checkout: a real clone (pack protocol, not hard links)
  const ci = join(dir, 'ci');
  let t0 = performance.now();
  gitSync(['clone', '--quiet', '--no-local', g.canonicalDir, ci], env);
  const cloneSeconds = (performance.now() - t0) / 1000;
  const stateDir = join(ci, '.git', 'csae');

  // floors
  log('bench: floors');
  const countCheck = (r: ProcResult): string | null => (Number(r.stdout.trim()) === g.totalCommits ? null : `git rev-list --count main says ${r.stdout.trim()}, wanted ${g.totalCommits}`);
  const revList = await procSeries('git', ['rev-list', '--count', 'main'], ci, countCheck);
  const sigRuns: number[] = [];
  const verdictSigRuns: number[] = [];
  for (let i = 0; i < R; i++) {
    sigRuns.push(timeSync(() => verifyEnvelopes(g.entries, g.operatorKey.publicKey)));
    verdictSigRuns.push(timeSync(() => verifyEnvelopes(g.verdicts, g.reviewerKey.publicKey)));
  }
  const sigMs = median(sigRuns);
  const verdictSigMs = median(verdictSigRuns);
  const nodeStart = await procSeries(process.execPath, ['-e', '0'], ci);
  log(`  git rev-list --count main ${fmtMs(revList.ms)}; raw Ed25519 verify of ${g.entries.length} entries ${fmtMs(sigMs)} (+ ${g.verdicts.length} verdicts ${fmtMs(verdictSigMs)}); node startup ${fmtMs(nodeStart.ms)}, ${Math.round(nodeStart.rssMB)} MB`);

  // (a) CI replay
  log('bench: (a) CI replay: csae verify --ref main');
  const coveredRe = /ok: (\d+) commit\(s\) covered/;
  const checkVerify = (r: ProcResult): string | null => {
    const m = coveredRe.exec(r.stdout + r.stderr);
    return m && Number(m[1]) === g.coveredCommits ? null : `csae verify did not report all ${g.coveredCommits} commits covered`;
  };
  // cold = the state of a fresh CI checkout: no .git/csae, and none of the derived caches git keeps beside
  // the objects (a commit-graph csae may write on first use)
  const freshCheckout = (): void => {
    rmSync(stateDir, { recursive: true, force: true });
    for (const f of ['commit-graph', 'commit-graphs']) rmSync(join(ci, '.git', 'objects', 'info', f), { recursive: true, force: true });
  };
  const verifyCold = await series('verify cold', ci, ['verify', '--ref', 'main'], { before: freshCheckout, check: checkVerify });
  const verifyWarm = await series('verify warm', ci, ['verify', '--ref', 'main'], { check: checkVerify });
  // the floor again, in the state the warm runs saw (with whatever csae left beside the objects)
  const revListWarm = await procSeries('git', ['rev-list', '--count', 'main'], ci, countCheck);

  // the mirror as a whole verifies (one run, small sizes only: it is audit walk's chain work plus a fetch)
  let mirrorVerifyMs: number | null = null;
  if (args.bundles <= MIRROR_VERIFY_MAX) {
    t0 = performance.now();
    const mv = note(await csae(ci, ['mirror', 'verify']));
    mirrorVerifyMs = performance.now() - t0;
    if (mv.code !== 0 || !new RegExp(`${args.bundles} entries, chain intact`).test(mv.stdout)) fail('csae mirror verify did not pass', mv);
  }

  // (c) audit walk, cold
  log('bench: (c) csae audit walk --no-sync, cold');
  const walk = await series('audit walk cold', ci, ['audit', 'walk', '--no-sync'], {
    before: () => dropCaches(stateDir),
    check: (r) => (new RegExp(`— ${args.bundles} entries, chain intact`).test(r.stdout) ? null : `audit walk did not list ${args.bundles} intact entries`),
  });
  // (d) audit who, warm
  log('bench: (d) csae audit who COMMIT, warm');
  if (cacheFiles(stateDir).length === 0) fail('no verified index under .git/csae after audit walk');
  const who = await series('audit who warm', ci, ['audit', 'who', g.whoCommit], { check: (r) => (/covered:\s+yes/.test(r.stdout) && r.stdout.includes(idString(OPERATOR)) ? null : 'audit who did not answer "covered: yes" with the operator') });

  // (b) the pre-push hook for a 10-commit push made with the real CLI
  log('bench: (b) pre-push hook, 10-commit push');
  const worker = join(dir, 'worker');
  gitSync(['clone', '--quiet', '--no-local', g.canonicalDir, worker], env);
  let clock = g.lastTime + 60;
  const dated = (): NodeJS.ProcessEnv => {
    const d = `@${clock++} +0000`;
    return { GIT_AUTHOR_DATE: d, GIT_COMMITTER_DATE: d };
  };
  const ceremony: Record<string, number> = {};
  const step = async (name: string, argv: string[]): Promise<ProcResult> => {
    const r = note(await csae(worker, argv, undefined, dated()));
    if (r.code !== 0) fail(`ceremony step ${name}: csae ${argv.join(' ')} exited ${r.code}`, r);
    ceremony[name] = r.ms;
    return r;
  };
  const base = gitSync(['rev-parse', 'HEAD'], env, worker).trim();
  await step('intentRegisterMs', ['intent', 'register', '--workstream', 'ws-bench-push', '--intent', 'Bench push: ten commits through the pre-push hook']);
  mkdirSync(join(worker, 'src'), { recursive: true });
  for (let j = 1; j <= 8; j++) {
    writeFileSync(join(worker, 'src', 'push.txt'), `bench push step ${j}\n`);
    gitSync(['add', 'src/push.txt'], env, worker);
    const r = spawnSync('git', ['commit', '--quiet', '--no-verify', '-m', `bench push step ${j}`], { cwd: worker, env: { ...env, ...dated() }, encoding: 'utf8' });
    if (r.status !== 0) fail(`git commit in the worker failed: ${r.stderr}`);
  }
  const vr = await step('verdictRecordMs', ['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', String(SCORE), '--floor', String(FLOOR), '--reviewer', idString(REVIEWER), '--key', reviewerPem, '--json']);
  const verdictFile = (JSON.parse(vr.stdout) as { path?: string }).path;
  if (!verdictFile) fail('csae verdict record --json named no verdict file', vr);
  // the first csae command in this fresh clone that needs the verified chain: it pays for verifying it cold
  const authorFirst = await step('bundleAuthorMs', ['bundle', 'author', '--workstream', 'ws-bench-push', '--verdict', verdictFile]);
  await step('bundlePublishMs', ['bundle', 'publish', '--key', operatorPem]);
  const pushed = gitSync(['rev-parse', 'HEAD'], env, worker).trim();
  const pushCount = Number(gitSync(['rev-list', '--count', `${base}..${pushed}`], env, worker).trim());
  if (pushCount !== 10) fail(`the push carries ${pushCount} commits, wanted 10`);
  const hookInput = `refs/heads/main ${pushed} refs/heads/main ${base}\n`;
  const hookArgs = ['hook', 'pre-push', 'origin', g.canonicalDir];
  const workerState = join(worker, '.git', 'csae');
  const checkHook = (r: ProcResult): string | null => (/refs\/heads\/main ok: 10 commit\(s\) covered/.test(r.stderr + r.stdout) ? null : 'the pre-push hook did not report 10 commits covered');
  if (cacheFiles(workerState).length === 0) fail('no verified index under .git/csae in the worker clone after publishing');
  const hookWarm = await series('pre-push warm', worker, hookArgs, { input: hookInput, check: checkHook });
  const hookCold = await series('pre-push cold', worker, hookArgs, { input: hookInput, before: () => dropCaches(workerState), check: checkHook });
  const pushRevList = await procSeries('git', ['rev-list', '--count', `${base}..${pushed}`], worker);

  // bundle author and publish, warm: a second workstream in the same clone, whose index is now current
  log('bench: (e) bundle author / bundle publish, warm (a second workstream)');
  const base2 = pushed;
  await step('intentRegister2Ms', ['intent', 'register', '--workstream', 'ws-bench-warm', '--intent', 'Bench: a second workstream in a warm clone']);
  for (let j = 1; j <= 2; j++) {
    writeFileSync(join(worker, 'src', 'warm.txt'), `bench warm step ${j}\n`);
    gitSync(['add', 'src/warm.txt'], env, worker);
    const r = spawnSync('git', ['commit', '--quiet', '--no-verify', '-m', `bench warm step ${j}`], { cwd: worker, env: { ...env, ...dated() }, encoding: 'utf8' });
    if (r.status !== 0) fail(`git commit in the worker failed: ${r.stderr}`);
  }
  const vr2 = await step('verdictRecord2Ms', ['verdict', 'record', '--range', `${base2}..HEAD`, '--status', 'pass', '--score', String(SCORE), '--floor', String(FLOOR), '--reviewer', idString(REVIEWER), '--key', reviewerPem, '--json']);
  const verdictFile2 = (JSON.parse(vr2.stdout) as { path?: string }).path;
  if (!verdictFile2) fail('csae verdict record --json named no verdict file', vr2);
  const author2 = await step('bundleAuthorWarmMs', ['bundle', 'author', '--workstream', 'ws-bench-warm', '--verdict', verdictFile2]);
  const publish2 = await step('bundlePublishWarmMs', ['bundle', 'publish', '--key', operatorPem]);
  const growth = args.growth.length ? await growthSeries(args, dir, env, csae, note) : [];

  // the table
  const m = (label: string, command: string, s: { runs: number[]; rssMB: number }, floorMs: number, floorLabel: string, target: string, met: (ms: number, ratio: number) => boolean | null): Measurement => {
    const ms = median(s.runs);
    const ratio = ms / floorMs;
    return { label, command, medianMs: round(ms), runsMs: s.runs.map(round), peakRssMB: round(s.rssMB), floorMs: round(floorMs), floorLabel, ratio: round(ratio, 2), target, met: met(ms, ratio) };
  };
  const replayFloor = revList.ms + sigMs;
  const replayFloorLabel = `git rev-list --count main in a fresh clone (${fmtMs(revList.ms)}) + raw Ed25519 verify of ${g.entries.length} entries (${fmtMs(sigMs)})`;
  const replayFloorWarm = revListWarm.ms + sigMs;
  const replayFloorWarmLabel = `git rev-list --count main after the warm runs (${fmtMs(revListWarm.ms)}) + raw Ed25519 verify of ${g.entries.length} entries (${fmtMs(sigMs)})`;
  const one = (r: ProcResult): { runs: number[]; rssMB: number } => ({ runs: [r.ms], rssMB: (r.rssKB ?? 0) / 1024 });
  const node = nodeStart.ms;
  const nodeLabel = `node startup (${fmtMs(node)})`;
  const plus = (budget: number) => (ms: number): boolean => ms <= node + budget;
  const sigFloor = sigMs + verdictSigMs;
  const measurements: Record<string, Measurement> = {
    ciReplayCold: m('CI replay, cold (fresh checkout)', 'csae verify --ref main', verifyCold, replayFloor, replayFloorLabel, '<= 2x floor', (_, r) => r <= 2),
    ciReplayWarm: m('CI replay, warm (verified index)', 'csae verify --ref main', verifyWarm, replayFloorWarm, replayFloorWarmLabel, '<= 1.2x floor', (_, r) => r <= 1.2),
    prePushWarm: m('pre-push, 10 commits, warm index', 'csae hook pre-push origin URL', hookWarm, node, `${nodeLabel}; git rev-list of the push ${fmtMs(pushRevList.ms)}`, '<= node + 40 ms', plus(40)),
    prePushCold: m('pre-push, 10 commits, cold (no caches)', 'csae hook pre-push origin URL', hookCold, median(verifyCold.runs), 'the cold CI replay (csae verify, fresh checkout)', '<= cold replay', (_, r) => r <= 1),
    firstCommandCold: m('first command in a fresh clone (bundle author)', 'csae bundle author (worker clone)', one(authorFirst), median(verifyCold.runs), 'the cold CI replay (csae verify, fresh checkout)', '<= cold replay', (_, r) => r <= 1),
    auditWalkCold: m(`audit walk, ${args.bundles} entries, cold`, 'csae audit walk --no-sync', walk, sigFloor, `raw single-thread Ed25519 verify of ${g.entries.length} entries (${fmtMs(sigMs)}) and ${g.verdicts.length} verdicts (${fmtMs(verdictSigMs)})`, '<= 1.5x floor', (_, r) => r <= 1.5),
    auditWhoWarm: m('audit who, warm', 'csae audit who COMMIT', who, node, nodeLabel, '<= node + 30 ms', plus(30)),
    bundleAuthorWarm: m('bundle author, warm', 'csae bundle author (second workstream)', one(author2), node, nodeLabel, '<= node + 150 ms', plus(150)),
    bundlePublishWarm: m('bundle publish, warm', 'csae bundle publish (second workstream)', one(publish2), node, nodeLabel, '<= node + 150 ms', plus(150)),
  };
  const peakMB = peakKB / 1024;
  measurements.peakMemory = { label: 'peak RSS, any csae process', command: '(all of the above)', medianMs: round(peakMB), runsMs: [], peakRssMB: round(peakMB), floorMs: round(nodeStart.rssMB), floorLabel: 'RSS of node -e 0 (MB)', ratio: round(peakMB / nodeStart.rssMB, 2), target: '< 250 MB', met: peakMB < 250 };
  // every figure above node's startup says how far it is from the floor in milliseconds too
  for (const k of ['prePushWarm', 'auditWhoWarm', 'bundleAuthorWarm', 'bundlePublishWarm']) measurements[k]!.overFloorMs = round(measurements[k]!.medianMs - node);

  return {
    bench: 'csae',
    version: 1,
    config: { commits: args.commits, bundles: args.bundles, runs: R, dataDir: dir, kept: !!args.keep },
    machine: machine(),
    generation: {
      seconds: round(g.seconds.total, 2),
      signAndMirrorSeconds: round(g.seconds.mirror, 2),
      cloneSeconds: round(cloneSeconds, 2),
      commits: g.totalCommits,
      workCommits: g.workCommits,
      merges: g.merges,
      entries: g.entries.length,
      canonicalHead: g.head,
      cutover: g.cutover,
      mirrorHead: g.mirrorHead,
    },
    checks: {
      verifyCovered: g.coveredCommits,
      verifyPassed: true,
      mirrorVerifyPassed: mirrorVerifyMs === null ? null : true,
      mirrorVerifyMs: mirrorVerifyMs === null ? null : round(mirrorVerifyMs),
      prePushPassed: true,
      orderSamplesChecked: g.samples.length,
      whoCommit: g.whoCommit,
    },
    floors: { revListCountMs: round(revList.ms), revListCountWarmMs: round(revListWarm.ms), entrySigVerifyMs: round(sigMs), verdictSigVerifyMs: round(verdictSigMs), nodeStartupMs: round(nodeStart.ms), nodeRssMB: round(nodeStart.rssMB), pushRevListMs: round(pushRevList.ms) },
    ceremony: Object.fromEntries(Object.entries(ceremony).map(([k, v]) => [k, round(v)])),
    measurements,
    growth,
    ok: true,
  };
}

/**
 * Growth: the same workload shape at several sizes (commits = 10 x entries), each generated into its own
 * directory and measured once cold: `csae verify` (per commit) and `csae audit walk` (per entry). Flat
 * means the per-unit cost at the largest size stays within 1.5x of the smallest.
 */
async function growthSeries(args: Args, dir: string, env: NodeJS.ProcessEnv, csae: (cwd: string, argv: string[]) => Promise<ProcResult>, note: (r: ProcResult) => ProcResult): Promise<GrowthPoint[]> {
  const out: GrowthPoint[] = [];
  for (const entries of args.growth) {
    const commits = entries * 10;
    const gdir = join(dir, `growth-${entries}`);
    mkdirSync(gdir, { recursive: true });
    log(`bench: growth at ${entries} entries, ${commits} commits`);
    const g = await generate({ commits, bundles: entries, dir: gdir, env, log });
    const ci = join(gdir, 'ci');
    gitSync(['clone', '--quiet', '--no-local', g.canonicalDir, ci], env);
    const replay = note(await csae(ci, ['verify', '--ref', 'main']));
    if (replay.code !== 0) fail(`growth ${entries}: csae verify exited ${replay.code}`, replay);
    for (const f of readdirSync(join(ci, '.git', 'csae'), { withFileTypes: true })) if (f.isFile()) rmSync(join(ci, '.git', 'csae', f.name), { force: true });
    const walk = note(await csae(ci, ['audit', 'walk', '--no-sync']));
    if (walk.code !== 0) fail(`growth ${entries}: csae audit walk exited ${walk.code}`, walk);
    const p: GrowthPoint = { entries, commits, replayColdMs: round(replay.ms), perCommitUs: round((replay.ms * 1000) / commits), walkColdMs: round(walk.ms), perEntryUs: round((walk.ms * 1000) / entries), peakRssMB: round(Math.max(replay.rssKB ?? 0, walk.rssKB ?? 0) / 1024) };
    log(`  replay ${fmtMs(p.replayColdMs)} (${p.perCommitUs} us/commit), walk ${fmtMs(p.walkColdMs)} (${p.perEntryUs} us/entry), peak ${p.peakRssMB} MB`);
    out.push(p);
    if (!args.keep) rmSync(gdir, { recursive: true, force: true });
  }
  return out;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
