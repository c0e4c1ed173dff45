// Integration: a cold verification of a mirror long enough to use the signature pool (>= 256 entries)
// reaches the same verdicts as the serial path: every entry verified in order, a forged one stopping the
// chain at its seq with a failing signature check, progress reported to the repository's sink.
import { expect } from 'chai';
import { generateKeyPairSync, createPublicKey, type KeyObject } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { openBareRepo, openRepo } from '../../src/git/repo.js';
import { mirrorPreReceive } from '../../src/mirror/guard.js';
import { writeFileSync } from 'node:fs';
import { MirrorStore } from '../../src/mirror/store.js';
import { emptyChain, verifyChain } from '../../src/mirror/chain.js';
import { entryPath, markerBytes, MARKER_PATH, renderingPath } from '../../src/mirror/layout.js';
import { storedBytes } from '../../src/core/jcs.js';
import { sha256Hex } from '../../src/core/digest.js';
import { signStatement } from '../../src/sign/envelope.js';
import { KeySigner } from '../../src/sign/tiers/key.js';
import { rawPublicKey } from '../../src/sign/key.js';
import { serializePolicy, trustedKeys, type Policy } from '../../src/policy/policy.js';
import { BUNDLE_PREDICATE, STATEMENT_TYPE, subjectsFor } from '../../src/core/statement.js';
import { Git } from '../../src/git/git.js';
import { FastImport } from '../../bench/fastimport.js';
import { GitRunner, gitEnv, mkTemp, useTempDirs } from '../helpers/gitrepo.js';

const REPOSITORY = 'example.com/acme/app';
const N = 300;

async function entries(n: number, key: KeyObject, forgeAt: number | null, stranger: KeyObject): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let prev: { seq: number; digest: string } | null = null;
  for (let seq = 1; seq <= n; seq++) {
    const commit = sha256Hex(`commit ${seq}`).slice(0, 40);
    const predicate = { version: 1, kind: 'retroactive', repository: REPOSITORY, workstream: `ws-${seq}`, scope: null, range: { base: null, head: commit, commits: [commit] }, verdicts: [], selfAttestation: null, seq, predecessor: prev, author: 'Olive Operator <olive@example.com>', createdAt: '2024-01-02T03:04:05Z', notes: { reason: `entry ${seq}` } };
    const statement = { _type: STATEMENT_TYPE, subject: subjectsFor([commit]), predicateType: BUNDLE_PREDICATE, predicate };
    const bytes = storedBytes(await signStatement(statement, new KeySigner(seq === forgeAt ? stranger : key)));
    out.push(bytes);
    prev = { seq, digest: 'sha256:' + sha256Hex(bytes) };
  }
  return out;
}

describe('integration: cold chain verification through the signature pool', function () {
  this.timeout(120_000);
  useTempDirs();
  const key = generateKeyPairSync('ed25519').privateKey;
  const stranger = generateKeyPairSync('ed25519').privateKey;

  async function setup(forgeAt: number | null) {
    const root = mkTemp();
    const env = gitEnv(root);
    const mirror = join(root, 'mirror.git');
    execFileSync('git', ['init', '-q', '--bare', '--initial-branch', 'main', mirror], { env });
    const fi = new FastImport(mirror, env);
    const bytes = await entries(N, key, forgeAt, stranger);
    for (let seq = 1; seq <= N; seq++)
      await fi.commit({ ref: 'refs/heads/main', mark: seq, author: { name: 'Olive Operator', email: 'olive@example.com' }, time: 1_700_000_000 + seq, message: `csae: append entry ${seq}\n`, from: seq === 1 ? null : undefined, files: [...(seq === 1 ? [{ path: MARKER_PATH, data: markerBytes() }] : []), { path: entryPath(seq), data: bytes[seq - 1]! }, { path: renderingPath(seq), data: `# ${seq}\n` }] });
    await fi.done();
    const work = await new GitRunner(env).init(join(root, 'work'));
    const seen: Array<[string, number, number]> = [];
    const repo = await openRepo({ cwd: work, env, now: () => new Date(0), info: () => {}, progress: (w, d, t) => seen.push([w, d, t]) });
    const policy: Policy = { version: 1, repository: REPOSITORY, mirror: { url: mirror, branch: 'main' }, protect: ['refs/heads/main'], signers: { bundles: [{ name: 'olive', key: 'ed25519:' + rawPublicKey(createPublicKey(key)).toString('base64') }] } };
    return { store: new MirrorStore(repo, policy), policy, mirror, env, seen };
  }

  /** the serial reference: verifyChain with no signatures verified ahead */
  async function serial(mirror: string, env: Record<string, string>, policy: Policy) {
    const git = new Git(mirror, env, { bare: true, isolated: true });
    const commits = await git.logChanges('main');
    const blobs = await git.readBlobs(commits.flatMap((c) => c.changes.map((x) => x.blob)));
    return verifyChain(emptyChain(), commits, blobs, { repository: REPOSITORY, bundleKeys: trustedKeys(policy, 'bundles'), bypassKeys: trustedKeys(policy, 'bypass') });
  }

  it(`${N} good entries: all verified, as the serial path finds, with progress to ${N}`, async () => {
    const { store, policy, mirror, env, seen } = await setup(null);
    const res = await store.chain({ sync: true, full: true });
    expect(res.problems).to.deep.equal([]);
    expect(res.entries.map((e) => e.seq)).to.deep.equal(Array.from({ length: N }, (_, i) => i + 1));
    const ref = await serial(mirror, env, policy);
    expect(res.entries.map((e) => [e.seq, e.digest, e.signer, e.keyid, e.tier])).to.deep.equal(ref.entries.map((e) => [e.seq, e.digest, e.signer, e.keyid, e.tier]));
    expect(seen.length).to.be.greaterThan(0);
    expect(seen[seen.length - 1]).to.deep.equal(['entry signatures verified', N, N]);
  });

  /** the mirror's own pre-receive guard, configured with the policy, judging a push of the whole history */
  async function guard(mirror: string, env: Record<string, string>, policy: Policy) {
    const file = join(mirror, 'policy.yaml');
    writeFileSync(file, serializePolicy(policy));
    execFileSync('git', ['--git-dir', mirror, 'config', 'csae.policy', file], { env });
    const head = execFileSync('git', ['--git-dir', mirror, 'rev-parse', 'main'], { env }).toString().trim();
    const repo = await openBareRepo({ cwd: mirror, env, now: () => new Date(0), info: () => {} });
    return mirrorPreReceive(repo, `${'0'.repeat(40)} ${head} refs/heads/main\n`);
  }

  it('the mirror guard accepts the good chain and refuses the forged one at its seq, through the pool', async () => {
    const good = await setup(null);
    const g1 = await guard(good.mirror, good.env, good.policy);
    expect(g1.ok, JSON.stringify(g1)).to.equal(true);
    expect(g1.refs[0]!.reason).to.match(new RegExp(`^${N} entries, chain intact`));
    const bad = await setup(150);
    const g2 = await guard(bad.mirror, bad.env, bad.policy);
    expect(g2.ok).to.equal(false);
    expect(g2.refs[0]!.reason).to.match(/^entry 150: check signature: /);
  });

  it('a forged entry deep in the chain is void there with a failing signature check (DESIGN §2.5), as serially', async () => {
    const { store, policy, mirror, env } = await setup(217);
    const res = await store.chain({ sync: true, full: true });
    // authority only voids: the chain stays linked, the forged entry covers nothing and is named
    expect(res.intact).to.equal(true);
    // the entries after it still verify, linked through its bytes
    expect(res.entries.map((e) => e.seq)).to.deep.equal(Array.from({ length: N }, (_, i) => i + 1).filter((s) => s !== 217));
    expect(res.voided!.map((v) => [v.seq, v.why, v.repairedBy])).to.deep.equal([[217, 'authority', undefined]]);
    const sig = res.voided![0]!.checks.find((c) => c.name === 'signature')!;
    expect(sig.ok).to.equal(false);
    const ref = await serial(mirror, env, policy);
    expect(res.voided!.map((v) => [v.seq, v.checks])).to.deep.equal(ref.voided!.map((v) => [v.seq, v.checks]));
  });
});
