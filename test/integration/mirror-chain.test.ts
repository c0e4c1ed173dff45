// Integration: verifying the audit mirror's chain (DESIGN §2.4) through MirrorStore on real git
// repositories. Each test builds a mirror history with real commits, then clones and verifies it the way
// every csae command does; each append-only violation must produce a failing, named check.
import { expect } from 'chai';
import { generateKeyPairSync, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openRepo, type Repo } from '../../src/git/repo.js';
import { MirrorStore } from '../../src/mirror/store.js';
import { entryPath, markerBytes, MARKER_PATH, renderingPath, verdictPath } from '../../src/mirror/layout.js';
import { storedBytes } from '../../src/core/jcs.js';
import { sha256Hex } from '../../src/core/digest.js';
import { signStatement } from '../../src/sign/envelope.js';
import { rawPublicKey } from '../../src/sign/key.js';
import { KeySigner } from '../../src/sign/tiers/key.js';
import { BUNDLE_PREDICATE, STATEMENT_TYPE, subjectsFor } from '../../src/core/statement.js';
import type { Policy } from '../../src/policy/policy.js';
import type { ChainResult } from '../../src/mirror/chain.js';
import { GitRunner, gitEnv, mkTemp, useTempDirs } from '../helpers/gitrepo.js';

const REPOSITORY = 'example.com/acme/app';

interface Entry {
  seq: number;
  bytes: Buffer;
  digest: string;
}

async function makeEntry(seq: number, prev: Entry | null, key: KeyObject, o: { repository?: string; predicateSeq?: number; predecessor?: unknown } = {}): Promise<Entry> {
  const commit = sha256Hex(`commit ${seq}`).slice(0, 40);
  const predicate = {
    version: 1,
    kind: 'retroactive',
    repository: o.repository ?? REPOSITORY,
    workstream: `ws-${seq}`,
    scope: null,
    range: { base: null, head: commit, commits: [commit] },
    verdicts: [],
    selfAttestation: null,
    seq: o.predicateSeq ?? seq,
    predecessor: o.predecessor !== undefined ? o.predecessor : prev ? { seq: prev.seq, digest: prev.digest } : null,
    author: 'Olive Operator <olive@example.com>',
    createdAt: '2024-01-02T03:04:05Z',
    notes: { reason: `entry ${seq} for the chain tests` },
  };
  const statement = { _type: STATEMENT_TYPE, subject: subjectsFor([commit]), predicateType: BUNDLE_PREDICATE, predicate };
  const bytes = storedBytes(await signStatement(statement, new KeySigner(key)));
  return { seq, bytes, digest: 'sha256:' + sha256Hex(bytes) };
}

describe('integration: mirror chain verification', function () {
  this.timeout(60_000);
  useTempDirs();
  const trusted = generateKeyPairSync('ed25519').privateKey;
  const stranger = generateKeyPairSync('ed25519').privateKey;
  let e1: Entry, e2: Entry, e3: Entry;
  let root: string;
  let g: GitRunner;
  let env: Record<string, string>;
  let n = 0;

  before(async () => {
    root = mkTemp();
    env = gitEnv(root);
    g = new GitRunner(env);
    e1 = await makeEntry(1, null, trusted);
    e2 = await makeEntry(2, e1, trusted);
    e3 = await makeEntry(3, e2, trusted);
  });

  /** A fresh mirror work repository and a fresh canonical clone whose policy points at it. */
  async function fresh(): Promise<{ mirror: string; store: () => MirrorStore; repo: Repo }> {
    n++;
    const mirror = await g.init(join(root, `mirror${n}`));
    const work = await g.init(join(root, `work${n}`));
    const repo = await openRepo({ cwd: work, env, now: () => new Date(0), info: () => {} });
    const policy: Policy = {
      version: 1,
      repository: REPOSITORY,
      mirror: { url: mirror, branch: 'main' },
      protect: ['refs/heads/main'],
      signers: { bundles: [{ name: 'olive', key: 'ed25519:' + rawPublicKey(createPublicKey(trusted)).toString('base64') }] },
    };
    return { mirror, repo, store: () => new MirrorStore(repo, policy) };
  }

  function put(mirror: string, path: string, bytes: Buffer | string): void {
    mkdirSync(dirname(join(mirror, path)), { recursive: true });
    writeFileSync(join(mirror, path), bytes);
  }

  async function commitAll(mirror: string, msg: string): Promise<string> {
    await g.ok(mirror, ['add', '-A']);
    await g.ok(mirror, ['commit', '-q', '--allow-empty', '-m', msg]);
    return g.rev(mirror, 'HEAD');
  }

  /** A regular expression matching `text` literally (paths come from the layout, never spelled here). */
  const lit = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));

  /** Append entries one per commit, with their renderings, as csae does (the first commit adds the layout marker). */
  async function append(mirror: string, ...entries: Entry[]): Promise<void> {
    for (const e of entries) {
      if (e.seq === 1) put(mirror, MARKER_PATH, markerBytes());
      put(mirror, entryPath(e.seq), e.bytes);
      put(mirror, renderingPath(e.seq), `# entry ${e.seq}\n`);
      await commitAll(mirror, `csae: append entry ${e.seq}`);
    }
  }

  async function verify(store: MirrorStore): Promise<ChainResult> {
    return store.chain({ sync: true, full: true });
  }

  /** The chain is broken at `seq` (or at a mirror commit) with a failing check `name` whose detail matches. */
  function expectBroken(res: ChainResult, name: string, detail: RegExp, o: { seq?: number; verified: number[] }): void {
    expect(res.intact).to.equal(false);
    expect(res.problems).to.have.length(1);
    const p = res.problems[0]!;
    if (o.seq !== undefined) expect(p.seq).to.equal(o.seq);
    const failing = p.checks.filter((c) => !c.ok);
    expect(failing.map((c) => c.name)).to.include(name);
    expect(failing.find((c) => c.name === name)!.detail).to.match(detail);
    expect(res.entries.map((e) => e.seq)).to.deep.equal(o.verified);
  }

  it('a well-formed chain of three entries verifies, in order, with signer and digests', async () => {
    const { mirror, store } = await fresh();
    await append(mirror, e1, e2, e3);
    const res = await verify(store());
    expect(res.problems).to.deep.equal([]);
    expect(res.intact).to.equal(true);
    expect(res.entries.map((e) => [e.seq, e.digest, e.signer, e.path])).to.deep.equal([
      [1, e1.digest, 'olive', entryPath(1)],
      [2, e2.digest, 'olive', entryPath(2)],
      [3, e3.digest, 'olive', entryPath(3)],
    ]);
    expect(res.lastSeq).to.equal(3);
    expect(res.head).to.equal(await g.rev(mirror, 'HEAD'));
  });

  it('an empty mirror is an intact, empty chain', async () => {
    const { store } = await fresh();
    const res = await verify(store());
    expect(res.intact).to.equal(true);
    expect(res.entries).to.deep.equal([]);
  });

  it('modifying an entry fails the chain check', async () => {
    const { mirror, store } = await fresh();
    await append(mirror, e1, e2);
    put(mirror, entryPath(1), e3.bytes);
    await commitAll(mirror, 'modify');
    expectBroken(await verify(store()), 'chain', lit(`not append-only: modifies ${entryPath(1)}`), { verified: [1, 2] });
  });

  it('modifying a rendering is also refused (renderings are append-only too)', async () => {
    const { mirror, store } = await fresh();
    await append(mirror, e1);
    put(mirror, renderingPath(1), '# rewritten\n');
    await commitAll(mirror, 'modify md');
    expectBroken(await verify(store()), 'chain', lit(`modifies ${renderingPath(1)}`), { verified: [1] });
  });

  it('deleting an entry fails the chain check', async () => {
    const { mirror, store } = await fresh();
    await append(mirror, e1, e2);
    rmSync(join(mirror, entryPath(2)));
    await commitAll(mirror, 'delete');
    expectBroken(await verify(store()), 'chain', lit(`deletes ${entryPath(2)}`), { verified: [1, 2] });
  });

  it('renaming an entry fails the chain check', async () => {
    const { mirror, store } = await fresh();
    await append(mirror, e1, e2);
    renameSync(join(mirror, entryPath(2)), join(mirror, entryPath(2).replace('000000000002', '000000000009')));
    await commitAll(mirror, 'rename');
    expectBroken(await verify(store()), 'chain', lit(`deletes ${entryPath(2)}`), { verified: [1, 2] });
  });

  it('adding a path outside the layout fails the chain check', async () => {
    const { mirror, store } = await fresh();
    await append(mirror, e1);
    put(mirror, 'README.md', 'hello\n');
    await commitAll(mirror, 'extra');
    expectBroken(await verify(store()), 'chain', /adds "README.md", which is outside the mirror layout/, { verified: [1] });
  });

  it('an entry in the wrong shard is outside the layout', async () => {
    const { mirror, store } = await fresh();
    put(mirror, MARKER_PATH, markerBytes());
    put(mirror, entryPath(1).replace('/000/', '/001/'), e1.bytes);
    await commitAll(mirror, 'wrong shard');
    expectBroken(await verify(store()), 'chain', /outside the mirror layout/, { verified: [] });
  });

  it('a verdict outside its digest fan-out directory is outside the layout', async () => {
    const { mirror, store } = await fresh();
    await append(mirror, e1);
    const v = verdictPath(e2.digest);
    put(mirror, v.replace(/^verdicts\/(..)\//, (_m, a: string) => `verdicts/${a === '00' ? '01' : '00'}/`), e2.bytes);
    await commitAll(mirror, 'misplaced verdict');
    expectBroken(await verify(store()), 'chain', /outside the mirror layout/, { verified: [1] });
  });

  it('a mirror whose first commit has no layout marker is refused, naming the layout it reads', async () => {
    const { mirror, store } = await fresh();
    put(mirror, entryPath(1), e1.bytes);
    await commitAll(mirror, 'entry 1 without a marker');
    expectBroken(await verify(store()), 'chain', /no csae-mirror\.json.*layout 1 is not supported/, { verified: [] });
  });

  it('a mirror of an unknown layout is refused with a message naming that layout', async () => {
    const { mirror, store } = await fresh();
    put(mirror, MARKER_PATH, '{"format":"csae-audit-mirror","layout":3}\n');
    put(mirror, entryPath(1), e1.bytes);
    await commitAll(mirror, 'a layout-3 mirror');
    expectBroken(await verify(store()), 'chain', /uses layout 3, which this csae does not read \(it reads layout 2\)/, { verified: [] });
  });

  it('a marker that is not JSON is refused', async () => {
    const { mirror, store } = await fresh();
    put(mirror, MARKER_PATH, 'layout: 2\n');
    await commitAll(mirror, 'yaml marker');
    expectBroken(await verify(store()), 'chain', /csae-mirror\.json is not JSON/, { verified: [] });
  });

  it('the layout marker cannot be changed later (a mirror cannot switch its layout)', async () => {
    const { mirror, store } = await fresh();
    await append(mirror, e1);
    put(mirror, MARKER_PATH, '{"format":"csae-audit-mirror","layout":3}\n');
    await commitAll(mirror, 'switch layout');
    expectBroken(await verify(store()), 'chain', lit(`not append-only: modifies ${MARKER_PATH}`), { verified: [1] });
  });

  it('two entries in one mirror commit fail the chain check', async () => {
    const { mirror, store } = await fresh();
    await append(mirror, e1);
    put(mirror, entryPath(2), e2.bytes);
    put(mirror, entryPath(3), e3.bytes);
    await commitAll(mirror, 'two at once');
    expectBroken(await verify(store()), 'chain', /appends 2 entries in one commit/, { verified: [1] });
  });

  it('non-linear history (a merge) fails the chain check', async () => {
    const { mirror, store } = await fresh();
    await append(mirror, e1);
    await g.ok(mirror, ['checkout', '-q', '-b', 'side']);
    await append(mirror, e2);
    await g.ok(mirror, ['checkout', '-q', 'main']);
    await commitAll(mirror, 'parallel (empty) commit on main');
    await g.ok(mirror, ['merge', '-q', '--no-ff', '-m', 'merge', 'side']);
    const res = await verify(store());
    expect(res.intact).to.equal(false);
    const detail = res.problems.flatMap((p) => p.checks).filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join('\n');
    expect(detail).to.match(/chain: mirror history is not linear/);
  });

  it('a seq gap fails the chain check', async () => {
    const { mirror, store } = await fresh();
    const gap = await makeEntry(3, e1, trusted);
    await append(mirror, e1, gap);
    expectBroken(await verify(store()), 'chain', /file seq 3 follows 1/, { seq: 3, verified: [1] });
  });

  it('a wrong predecessor fails the chain check', async () => {
    const { mirror, store } = await fresh();
    const bad = await makeEntry(2, e1, trusted, { predecessor: { seq: 1, digest: 'sha256:' + 'ab'.repeat(32) } });
    await append(mirror, e1, bad);
    expectBroken(await verify(store()), 'chain', /predecessor .* should be .*"seq":1/, { seq: 2, verified: [1] });
  });

  it('a first entry with a predecessor fails the chain check', async () => {
    const { mirror, store } = await fresh();
    const bad = await makeEntry(1, null, trusted, { predecessor: { seq: 1, digest: e1.digest } });
    await append(mirror, bad);
    expectBroken(await verify(store()), 'chain', /should be null/, { seq: 1, verified: [] });
  });

  it('a predicate seq that differs from its path fails the chain check', async () => {
    const { mirror, store } = await fresh();
    const bad = await makeEntry(2, e1, trusted, { predicateSeq: 5 });
    await append(mirror, e1, bad);
    expectBroken(await verify(store()), 'chain', /predicate seq 5 differs from its path/, { seq: 2, verified: [1] });
  });

  it('non-canonical bytes fail the schema check', async () => {
    const { mirror, store } = await fresh();
    const pretty = Buffer.from(JSON.stringify(JSON.parse(e2.bytes.toString('utf8')), null, 2) + '\n');
    await append(mirror, e1, { ...e2, bytes: pretty });
    expectBroken(await verify(store()), 'schema', /not canonical JCS/, { seq: 2, verified: [1] });
  });

  it('a missing final newline is non-canonical too', async () => {
    const { mirror, store } = await fresh();
    await append(mirror, { ...e1, bytes: e1.bytes.subarray(0, e1.bytes.length - 1) });
    expectBroken(await verify(store()), 'schema', /not canonical/, { seq: 1, verified: [] });
  });

  it('an entry signed by an untrusted key fails the signature check: void, not a break (DESIGN §2.5)', async () => {
    const { mirror, store } = await fresh();
    const forged = await makeEntry(2, e1, stranger);
    const after = await makeEntry(3, forged, trusted);
    await append(mirror, e1, forged, after);
    const res = await verify(store());
    // authority only voids: the chain stays intact and linked through the void entry's bytes
    expect(res.intact).to.equal(true);
    expect(res.problems).to.have.length(0);
    expect(res.entries.map((e) => e.seq)).to.deep.equal([1, 3]);
    expect(res.voided!.map((v) => v.seq)).to.deep.equal([2]);
    expect(res.voided![0]!.why).to.equal('authority');
    expect(res.voided![0]!.repairedBy).to.equal(undefined);
    const sig = res.voided![0]!.checks.find((c) => c.name === 'signature')!;
    expect(sig.ok).to.equal(false);
    expect(sig.detail).to.match(/no signature verifies under a trusted key/);
    expect(res.voided![0]!.checks.find((c) => c.name === 'chain')!.ok).to.equal(true);
  });

  it('an entry for another repository fails the repository check', async () => {
    const { mirror, store } = await fresh();
    const other = await makeEntry(2, e1, trusted, { repository: 'example.com/acme/other' });
    await append(mirror, e1, other);
    expectBroken(await verify(store()), 'repository', /entry is for example\.com\/acme\/other/, { seq: 2, verified: [1] });
  });

  it('a verdict file that does not hash to its name fails the chain check', async () => {
    const { mirror, store } = await fresh();
    await append(mirror, e1);
    put(mirror, verdictPath('sha256:' + 'cd'.repeat(32)), e2.bytes);
    await commitAll(mirror, 'bad verdict');
    expectBroken(await verify(store()), 'chain', /does not hash to its name/, { verified: [1] });
  });

  it('incremental verification (the verified index) still catches a later modification', async () => {
    const { mirror, store } = await fresh();
    await append(mirror, e1, e2);
    const first = await store().chain({ sync: true });
    expect(first.intact).to.equal(true);
    put(mirror, entryPath(2), e3.bytes);
    await commitAll(mirror, 'modify after it was verified');
    const again = await store().chain({ sync: true });
    expect(again.intact).to.equal(false);
    expect(again.problems[0]!.checks[0]!.detail).to.match(lit(`modifies ${entryPath(2)}`));
  });

  it('a rewritten history is reported against the head this clone verified before', async () => {
    const { mirror, store } = await fresh();
    await append(mirror, e1, e2);
    const verifiedHead = (await store().chain({ sync: true })).head!;
    // rewrite: drop the commit of entry 2 and append it again in a different commit
    await g.ok(mirror, ['reset', '-q', '--hard', 'HEAD~1']);
    put(mirror, entryPath(2), e2.bytes);
    put(mirror, renderingPath(2), '# a different entry 2\n');
    await commitAll(mirror, 'rewritten entry 2');
    expect(await g.rev(mirror, 'HEAD')).to.not.equal(verifiedHead);
    const res = await store().chain({ sync: true });
    expect(res.intact).to.equal(false);
    expect(res.rewritten).to.equal(verifiedHead);
    expect(res.problems[0]!.checks[0]!.detail).to.contain(`no longer contains ${verifiedHead.slice(0, 12)}`);
    // the index was not overwritten with the rewritten chain
    const idx = JSON.parse(readFileSync(join(dirname(store().path), 'index-head.json'), 'utf8'));
    expect(idx.head).to.equal(verifiedHead);
  });

  it('an unreachable mirror is an error (mirror-unreachable), never an empty chain', async () => {
    const { repo } = await fresh();
    const policy: Policy = { version: 1, repository: REPOSITORY, mirror: { url: join(root, 'does-not-exist.git') }, protect: ['refs/heads/main'] };
    const err = await new MirrorStore(repo, policy).chain({ sync: true }).catch((e: unknown) => e);
    expect(err).to.have.property('code', 'mirror-unreachable');
  });
});
