// The bench workload, generated deterministically: a canonical repository of N commits covered by B
// standard bundles, and the audit mirror holding those B signed entries. Two `git fast-import` processes
// (one per repository) fed from memory; git computes every id; csae's own formatting and signing code
// (intentMessage, attestationMessage, claimDigest, predicateFromDraft, storedBytes, entryPath, ...) makes
// every message and file byte-for-byte what the CLI would write.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { claimDigest } from '../src/core/claim.js';
import { storedBytes } from '../src/core/jcs.js';
import { sha256Hex } from '../src/core/digest.js';
import { fromUnixSeconds } from '../src/core/time.js';
import { BUNDLE_PREDICATE, STATEMENT_TYPE, VERDICT_PREDICATE, subjectsFor, type BundlePredicate, type Claim, type Statement, type VerdictPredicate, type VerdictRef } from '../src/core/statement.js';
import { intentMessage } from '../src/intent/intent.js';
import { attestationMessage } from '../src/bundle/author.js';
import { predicateFromDraft } from '../src/bundle/publish.js';
import { renderEntry } from '../src/bundle/render.js';
import { entryPath, markerBytes, MARKER_PATH, renderingPath, verdictPath } from '../src/mirror/layout.js';
import { POLICY_PATH, parsePolicy, serializePolicy, type Policy } from '../src/policy/policy.js';
import { signStatement } from '../src/sign/envelope.js';
import { assertSchema } from '../src/schema/validate.js';
import { FastImport, type Ident } from './fastimport.js';
import { seededKey, type BenchKey } from './keys.js';

export const OPERATOR: Ident = { name: 'Bench Operator', email: 'operator@bench.example' };
export const REVIEWER: Ident = { name: 'Rita Reviewer', email: 'rita@bench.example' };
export const REPOSITORY = 'bench.example/csae/canonical';
export const T0 = 1_700_000_000; // first commit time; every event after it takes the next second
export const SCORE = 8;
export const FLOOR = 7;
const FILES = 50; // work commits edit src/f<k>.txt (and src/side<k>.txt on a merge's second line): small trees
const MERGE_EVERY = 10; // every tenth workstream branches after A0 and merges back

export const idString = (i: Ident): string => `${i.name} <${i.email}>`;

export interface GenOptions {
  commits: number;
  bundles: number;
  dir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export interface SampleRange {
  workstream: string;
  base: string;
  head: string; // An: the last work commit (what a verdict reviews)
  commits: string[]; // A0..An as the generator ordered them (git rev-list --topo-order --reverse)
  merge: boolean;
}

export interface Generated {
  canonicalDir: string;
  mirrorDir: string;
  policy: Policy;
  operatorKey: BenchKey;
  reviewerKey: BenchKey;
  root: string;
  cutover: string; // the commit adding .csae/policy.yaml
  head: string; // main's tip: the last attestation commit
  mirrorHead: string;
  totalCommits: number;
  coveredCommits: number; // every commit after the cutover
  workCommits: number;
  merges: number;
  entries: Buffer[]; // stored bytes of entry seq 1..B
  verdicts: Buffer[]; // stored bytes of each bundle's verdict
  samples: SampleRange[]; // a few bundles (including merges) to cross-check against git rev-list
  whoCommit: string; // a work commit in the middle of history
  lastTime: number; // the last timestamp used
  seconds: { total: number; canonical: number; mirror: number };
}

interface Pending {
  seq: number;
  ws: string;
  claim: Claim;
  digest: string;
  attMark: number;
  verdictBytes: Buffer;
  verdictDigest: string;
  createdAt: number;
}

function git(args: string[], env: NodeJS.ProcessEnv, cwd?: string): string {
  const r = spawnSync('git', args, { env, cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Work commits per bundle so that 2 (root, policy) + B * (intent + attestation) + sum(work) = N. */
export function workPlan(commits: number, bundles: number): number[] {
  if (!Number.isInteger(commits) || !Number.isInteger(bundles) || bundles < 1) throw new Error('--commits and --bundles must be positive integers');
  const work = commits - 2 - 2 * bundles;
  if (work < 0) throw new Error(`--commits ${commits} is too few for ${bundles} bundles: each bundle needs an intent and an attestation commit, plus the root and policy commits (at least ${2 + 2 * bundles})`);
  const per = Math.floor(work / bundles);
  const extra = work % bundles;
  return Array.from({ length: bundles }, (_, i) => per + (i < extra ? 1 : 0));
}

export async function generate(o: GenOptions): Promise<Generated> {
  const started = performance.now();
  const plan = workPlan(o.commits, o.bundles);
  const canonicalDir = join(o.dir, 'canonical.git');
  const mirrorDir = join(o.dir, 'mirror.git');
  mkdirSync(o.dir, { recursive: true });
  git(['init', '--quiet', '--bare', '--initial-branch=main', canonicalDir], o.env);
  git(['init', '--quiet', '--bare', '--initial-branch=main', mirrorDir], o.env);

  const operatorKey = seededKey('operator');
  const reviewerKey = seededKey('reviewer');
  const policy: Policy = parsePolicy(
    serializePolicy({
      version: 1,
      repository: REPOSITORY,
      mirror: { url: mirrorDir, branch: 'main' },
      protect: ['refs/heads/main'],
      signers: { bundles: [{ name: 'bench-operator', key: operatorKey.policyKey }], verdicts: [{ name: 'bench-reviewer', key: reviewerKey.policyKey }], bypass: [], checkpoints: [] },
      require: { verdict: 'required', twoParty: true, floor: FLOOR },
      mergeCommits: 'none',
      rewrites: 'none',
      intentGuard: 'warn',
    }),
    'generated policy',
  );
  const policyText = serializePolicy(policy);
  const operator = idString(OPERATOR);
  const reviewer = idString(REVIEWER);

  const canon = new FastImport(canonicalDir, o.env);
  const mirror = new FastImport(mirrorDir, o.env);
  let t = T0;
  let mark = 0;
  const REF = 'refs/heads/main';
  const commit = async (message: string, from: number | null, files: Array<{ path: string; data: string }> = [], merge: number[] = []): Promise<{ mark: number; time: number }> => {
    const m = ++mark;
    const time = t++;
    await canon.commit({ ref: REF, mark: m, author: OPERATOR, time, message, from, files, merge });
    return { mark: m, time };
  };

  const root = await commit('bench: initial import\n', null, [{ path: 'README.md', data: '# csae bench canonical repository\n' }]);
  const pol = await commit('csae: adopt policy\n', root.mark, [{ path: POLICY_PATH, data: policyText }]);
  const [rootId, cutoverId] = await canon.getMarks([root.mark, pol.mark]);

  const entries: Buffer[] = [];
  const verdicts: Buffer[] = [];
  const samples: SampleRange[] = [];
  let lastDigest: string | null = null;
  let baseMark = pol.mark;
  let baseId = cutoverId!;
  let pending: Pending | null = null;
  let workCommits = 0;
  let merges = 0;
  let whoCommit = '';
  let mirrorHeadMark = 0;
  let mirrorMark = 0;
  let mirrorSeconds = 0;

  // sign the entry for a bundle whose attestation id is now known, and append it to the mirror
  const publish = async (p: Pending, attId: string): Promise<void> => {
    const m0 = performance.now();
    const createdAt = fromUnixSeconds(p.createdAt);
    const predecessor = p.seq === 1 ? null : { seq: p.seq - 1, digest: lastDigest! };
    const predicate: BundlePredicate = predicateFromDraft({ version: 1, kind: 'standard', claim: p.claim, claimDigest: p.digest, head: attId, verdictFiles: [] }, p.seq, predecessor, operator, createdAt);
    const statement: Statement<BundlePredicate> = { _type: STATEMENT_TYPE, subject: subjectsFor(predicate.range.commits), predicateType: BUNDLE_PREDICATE, predicate };
    assertSchema('bundle', statement, `entry ${p.seq}`);
    const bytes = storedBytes(await signStatement(statement, operatorKey.signer));
    lastDigest = 'sha256:' + sha256Hex(bytes);
    entries.push(bytes);
    const path = entryPath(p.seq);
    mirrorHeadMark = ++mirrorMark;
    await mirror.commit({
      ref: REF,
      mark: mirrorHeadMark,
      author: OPERATOR,
      time: p.createdAt,
      message: `csae: append entry ${p.seq} (${predicate.kind} ${predicate.workstream})\n`,
      from: mirrorHeadMark === 1 ? null : undefined,
      files: [
        ...(mirrorHeadMark === 1 ? [{ path: MARKER_PATH, data: markerBytes() }] : []),
        { path, data: bytes },
        { path: renderingPath(p.seq), data: renderEntry(predicate, basename(path)) },
        { path: verdictPath(p.verdictDigest), data: p.verdictBytes },
      ],
    });
    mirrorSeconds += (performance.now() - m0) / 1000;
  };

  let lastLog = performance.now();
  for (let i = 1; i <= o.bundles; i++) {
    const ws = `ws-${String(i).padStart(6, '0')}`;
    const w = plan[i - 1]!;
    const k = i % FILES;
    const intent = `Bench workstream ${i}: rework src/f${k}.txt`;
    const a0 = await commit(intentMessage(ws, intent, operator), baseMark);
    // work: one line of w commits, or (every tenth workstream) two lines off A0 merged back
    const order: number[] = [a0.mark]; // git rev-list --topo-order --reverse order of A0..An
    let an = a0.mark;
    const isMerge = i % MERGE_EVERY === 0 && w >= 3;
    if (isMerge) {
      const side = Math.floor((w - 1) / 2);
      const main = w - 1 - side;
      const sideMarks: number[] = [];
      let tip = a0.mark;
      let sideContent = '';
      for (let j = 1; j <= side; j++) {
        sideContent = `workstream ${i} side ${j}\n`;
        tip = (await commit(`bench: ${ws} side step ${j}\n`, tip, [{ path: `src/side${k}.txt`, data: sideContent }])).mark;
        sideMarks.push(tip);
      }
      const sideTip = tip;
      tip = a0.mark;
      for (let j = 1; j <= main; j++) {
        tip = (await commit(`bench: ${ws} step ${j}\n`, tip, [{ path: `src/f${k}.txt`, data: `workstream ${i} step ${j}\n` }])).mark;
        order.push(tip);
      }
      // the merge's tree is what git merges the two lines to: the main line plus the side line's file
      an = (await commit(`Merge ${ws} side line\n`, tip, [{ path: `src/side${k}.txt`, data: sideContent }], [sideTip])).mark;
      // topo order, children before parents, walks the merge's second parent first; reversed: main line, side line, merge
      order.push(...sideMarks, an);
      merges++;
    } else {
      let tip = a0.mark;
      for (let j = 1; j <= w; j++) {
        tip = (await commit(`bench: ${ws} step ${j}\n`, tip, [{ path: `src/f${k}.txt`, data: `workstream ${i} step ${j}\n` }])).mark;
        order.push(tip);
      }
      an = tip;
    }
    workCommits += w;
    // ids of the previous attestation (this bundle's base) and of A0..An, in one round trip
    const ids = await canon.getMarks(pending ? [pending.attMark, ...order] : order);
    if (pending) {
      baseId = ids.shift()!;
      await publish(pending, baseId);
      pending = null;
    }
    const anId = ids[ids.length - 1]!;
    if (i === Math.ceil(o.bundles / 2)) whoCommit = ids[Math.min(1, ids.length - 1)]!;
    if (i === 1 || i === o.bundles || (isMerge && samples.filter((x) => x.merge).length < 2)) samples.push({ workstream: ws, base: baseId, head: anId, commits: ids, merge: isMerge });

    // the reviewer's verdict over base..An (what `csae verdict record --range base..An` signs)
    const reviewedAt = t++;
    const vstatement: Statement<VerdictPredicate> = {
      _type: STATEMENT_TYPE,
      subject: subjectsFor(ids),
      predicateType: VERDICT_PREDICATE,
      predicate: { reviewer: { name: REVIEWER.name, email: REVIEWER.email }, method: 'structured-review', range: { base: baseId, head: anId }, score: SCORE, floor: FLOOR, status: 'pass', defects: [], summary: `pass at ${SCORE}/${FLOOR} over ${ids.length} commit(s)`, reviewedAt: fromUnixSeconds(reviewedAt) },
    };
    const verdictBytes = storedBytes(await signStatement(vstatement, reviewerKey.signer));
    const verdictDigest = 'sha256:' + sha256Hex(verdictBytes);
    verdicts.push(verdictBytes);
    const ref: VerdictRef = { digest: verdictDigest, reviewer, status: 'pass', score: SCORE, floor: FLOOR };
    // phase one: the claim; phase two: the attestation commit carrying its digest
    const claim: Claim = { repository: policy.repository, workstream: ws, scope: { commit: ids[0]!, intent, operator, registeredAt: fromUnixSeconds(a0.time) }, range: { base: baseId, commits: ids }, verdicts: [ref] };
    const digest = claimDigest(claim);
    const att = await commit(attestationMessage(claim, digest), an);
    pending = { seq: i, ws, claim, digest, attMark: att.mark, verdictBytes, verdictDigest, createdAt: t++ };
    baseMark = att.mark;
    if (performance.now() - lastLog > 5000) {
      o.log(`  generated ${i}/${o.bundles} bundles (${mark} commits)`);
      lastLog = performance.now();
    }
  }
  const [headId] = await canon.getMarks([pending!.attMark]);
  await publish(pending!, headId!);
  const [mirrorHead] = await mirror.getMarks([mirrorHeadMark]);
  await Promise.all([canon.done(), mirror.done()]);
  const total = (performance.now() - started) / 1000;
  return {
    canonicalDir,
    mirrorDir,
    policy,
    operatorKey,
    reviewerKey,
    root: rootId!,
    cutover: cutoverId!,
    head: headId!,
    mirrorHead: mirrorHead!,
    totalCommits: mark,
    coveredCommits: mark - 2,
    workCommits,
    merges,
    entries,
    verdicts,
    samples,
    whoCommit,
    lastTime: t,
    seconds: { total, canonical: total - mirrorSeconds, mirror: mirrorSeconds },
  };
}
