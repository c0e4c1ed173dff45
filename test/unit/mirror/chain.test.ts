// verifyChain (src/mirror/chain.ts) on mirror histories built in memory: commits with their changed paths,
// blob bytes, real Ed25519 signatures. Structure (linear, append-only, marker, seq, predecessor,
// repository, readable bytes) breaks the chain; authority (an untrusted or compromised signer) only voids
// an entry; a repair names a break; policy epochs take effect after the entry that lists them.
import { expect } from 'chai';
import { sha256Hex } from '../../../src/core/digest.js';
import { storedBytes } from '../../../src/core/jcs.js';
import type { BundlePredicate } from '../../../src/core/statement.js';
import type { MirrorCommit } from '../../../src/git/log.js';
import { emptyChain, verifyChain, type ChainEpoch, type ChainOptions, type ChainResult } from '../../../src/mirror/chain.js';
import { CHECKPOINT_LATEST, entryPath, markerBytes, MARKER_PATH, renderingPath, verdictPath } from '../../../src/mirror/layout.js';
import { digestOf, person, signedEntry, type Person } from '../_signed.js';

const REPO = 'acme/app';
const C = (s: string): string => sha256Hex(s).slice(0, 40);
const olive = person('olive');
const rita = person('rita');
const mallory = person('mallory');
const trust = (...ps: Person[]): ChainOptions => ({ repository: REPO, bundleKeys: ps.map((p) => p.trusted), bypassKeys: [] });

type Change = [status: string, path: string, bytes: Buffer | null];

/** An audit mirror's history, built commit by commit. */
class Mirror {
  readonly commits: MirrorCommit[] = [];
  readonly blobs = new Map<string, Buffer>();
  last: { seq: number; digest: string } | null = null;
  private n = 0;

  blob(bytes: Buffer): string {
    const id = sha256Hex(bytes).slice(0, 40);
    this.blobs.set(id, bytes);
    return id;
  }
  get head(): string | undefined {
    return this.commits[this.commits.length - 1]?.id;
  }
  commit(changes: Change[], parents?: string[]): string {
    const id = C(`mirror commit ${this.n++}`);
    this.commits.push({ id, parents: parents ?? (this.head ? [this.head] : []), changes: changes.map(([status, path, b]) => ({ status, path, blob: b ? this.blob(b) : '0'.repeat(40) })) });
    return id;
  }
  init(): this {
    this.commit([['A', MARKER_PATH, markerBytes()]]);
    return this;
  }
  predicate(o: Partial<BundlePredicate> = {}): BundlePredicate {
    const seq = (this.last?.seq ?? 0) + 1;
    const w = C(`work ${seq}`);
    return {
      version: 1, kind: 'retroactive', repository: REPO, workstream: `ws-${seq}`, scope: null,
      range: { base: null, head: w, commits: [w] }, verdicts: [], selfAttestation: null,
      seq, predecessor: this.last, author: 'Olive <olive@example.com>', createdAt: '2026-01-01T00:00:00Z', notes: { reason: `entry ${seq}` }, ...o,
    };
  }
  /** sign and append the next entry (one entry per commit); `extra` changes ride along */
  async append(who: Person, o: Partial<BundlePredicate> = {}, extra: Change[] = []): Promise<{ seq: number; bytes: Buffer; p: BundlePredicate }> {
    const p = this.predicate(o);
    const seq = (this.last?.seq ?? 0) + 1;
    const bytes = await signedEntry(who, p);
    this.commit([['A', entryPath(seq), bytes], ...extra]);
    this.last = { seq, digest: digestOf(bytes) };
    return { seq, bytes, p };
  }
  verify(o: ChainOptions = trust(olive)): ChainResult {
    return verifyChain(emptyChain(), this.commits, this.blobs, o);
  }
}

const failedNames = (r: ChainResult): string[] => r.problems.flatMap((p) => p.checks.filter((c) => !c.ok).map((c) => c.name));

describe('mirror/chain verifyChain', () => {
  it('a linear history of signed entries verifies, each with its signer, digest and leaf', async () => {
    const m = new Mirror().init();
    const a = await m.append(olive);
    await m.append(olive);
    const r = m.verify();
    expect(r).to.include({ intact: true, lastSeq: 2, head: m.head });
    expect(r.problems).to.deep.equal([]);
    expect(r.entries.map((e) => [e.seq, e.signer, e.tier, e.mirrorCommit])).to.deep.equal([[1, 'olive', 'key', m.commits[1]!.id], [2, 'olive', 'key', m.commits[2]!.id]]);
    expect(r.entries[0]!.digest).to.equal(digestOf(a.bytes));
    expect(r.leaves).to.have.length(2);
    expect(r.tip).to.deep.equal(m.last);
  });

  it('an empty history is an intact, empty chain; a marker alone too', () => {
    expect(verifyChain(emptyChain(), [], new Map(), trust(olive))).to.include({ intact: true, lastSeq: 0 });
    expect(new Mirror().init().verify()).to.include({ intact: true, lastSeq: 0 });
  });

  it('verifying incrementally from a verified state gives what one pass gives', async () => {
    const m = new Mirror().init();
    await m.append(olive);
    const cut = m.commits.length;
    await m.append(olive);
    await m.append(olive);
    const first = verifyChain(emptyChain(), m.commits.slice(0, cut), m.blobs, trust(olive));
    const then = verifyChain(first, m.commits.slice(cut), m.blobs, trust(olive));
    const whole = m.verify();
    expect(then.entries).to.deep.equal(whole.entries);
    expect(then).to.include({ intact: true, lastSeq: 3, head: whole.head });
    expect(then.leaves).to.deep.equal(whole.leaves);
  });

  describe('structure breaks the chain', () => {
    it('history that is not linear (a commit not on the verified head)', async () => {
      const m = new Mirror().init();
      await m.append(olive);
      m.commit([['A', entryPath(2), await signedEntry(olive, m.predicate())]], [m.commits[0]!.id]);
      const r = m.verify();
      expect(r.intact).to.equal(false);
      expect(failedNames(r)).to.deep.equal(['chain']);
      expect(r.entries.map((e) => e.seq)).to.deep.equal([1]);
    });
    it('a first commit with a parent', () => {
      const m = new Mirror();
      m.commit([['A', MARKER_PATH, markerBytes()]], [C('elsewhere')]);
      expect(failedNames(m.verify())).to.deep.equal(['chain']);
    });
    it('a first commit without the layout marker, or with one of another layout', async () => {
      const none = new Mirror();
      await none.append(olive);
      expect(none.verify()).to.include({ intact: false, lastSeq: 0 });
      const other = new Mirror();
      other.commit([['A', MARKER_PATH, storedBytes({ format: 'csae-audit-mirror', layout: 99 })]]);
      expect(failedNames(other.verify())).to.deep.equal(['chain']);
    });
    const edits: Array<[string, (m: Mirror, e: Buffer) => void]> = [
      ['modifies an entry', (m, e) => m.commit([['M', entryPath(1), Buffer.concat([e, Buffer.from(' ')])]])],
      ['deletes an entry', (m) => m.commit([['D', entryPath(1), null]])],
      ['adds a path outside the layout', (m) => m.commit([['A', 'notes.txt', Buffer.from('x')]])],
      ['adds the marker again', (m) => m.commit([['A', MARKER_PATH, markerBytes()]])],
      ['adds a rendering without its entry', (m) => m.commit([['A', renderingPath(2), Buffer.from('# 2')]])],
      ['adds a verdict that does not hash to its name', (m) => m.commit([['A', verdictPath('sha256:' + 'a'.repeat(64)), Buffer.from('{}\n')]])],
    ];
    for (const [what, edit] of edits) {
      it(`a commit that ${what} is not append-only`, async () => {
        const m = new Mirror().init();
        const { bytes } = await m.append(olive);
        edit(m, bytes);
        await m.append(olive); // never reached: nothing after a break is trusted
        const r = m.verify();
        expect(r.intact).to.equal(false);
        expect(failedNames(r)).to.deep.equal(['chain']);
        expect(r.entries.map((e) => e.seq)).to.deep.equal([1]);
      });
    }
    it('two entries in one commit', async () => {
      const m = new Mirror().init();
      const p1 = m.predicate();
      const b1 = await signedEntry(olive, p1);
      m.last = { seq: 1, digest: digestOf(b1) };
      m.commit([['A', entryPath(1), b1], ['A', entryPath(2), await signedEntry(olive, m.predicate())]]);
      expect(failedNames(m.verify())).to.deep.equal(['chain']);
    });
    it('checkpoints/latest may be modified; a verdict that hashes to its name is recorded', async () => {
      const m = new Mirror().init();
      const v = Buffer.from('{"v":1}\n');
      await m.append(olive, {}, [['A', verdictPath(digestOf(v)), v], ['A', CHECKPOINT_LATEST, Buffer.from('a')]]);
      m.commit([['M', CHECKPOINT_LATEST, Buffer.from('b')]]);
      const r = m.verify();
      expect(r.intact).to.equal(true);
      expect(Object.keys(r.verdicts)).to.deep.equal([digestOf(v)]);
    });
    it('a seq gap, a wrong predecessor, another repository: named checks, and the chain stops there', async () => {
      const gap = new Mirror().init();
      await gap.append(olive);
      gap.last = { seq: 2, digest: gap.last!.digest };
      await gap.append(olive);
      expect(failedNames(gap.verify())).to.deep.equal(['chain']);
      const pred = new Mirror().init();
      await pred.append(olive);
      await pred.append(olive, { predecessor: { seq: 1, digest: 'sha256:' + 'b'.repeat(64) } });
      expect(failedNames(pred.verify())).to.deep.equal(['chain']);
      const repo = new Mirror().init();
      await repo.append(olive, { repository: 'acme/other' });
      expect(failedNames(repo.verify())).to.deep.equal(['repository']);
    });
  });

  describe('fails closed on missing data', () => {
    it('an entry whose blob is missing is a break (schema), never void and never skipped', async () => {
      const m = new Mirror().init();
      await m.append(olive);
      const { bytes } = await m.append(olive);
      await m.append(olive);
      m.blobs.delete(sha256Hex(bytes).slice(0, 40));
      const r = m.verify();
      expect(r.intact).to.equal(false);
      expect(r.problems.map((p) => [p.seq, p.checks.map((c) => [c.name, c.ok])])).to.deep.equal([[2, [['schema', false]]]]);
      expect(r.voided).to.deep.equal([]);
      expect(r.entries.map((e) => e.seq)).to.deep.equal([1]);
    });
    it('a verdict whose blob is missing is not recorded and breaks the chain', async () => {
      const m = new Mirror().init();
      const v = Buffer.from('{"v":2}\n');
      await m.append(olive, {}, [['A', verdictPath(digestOf(v)), v]]);
      m.blobs.delete(sha256Hex(v).slice(0, 40));
      const r = m.verify();
      expect(r.intact).to.equal(false);
      expect(r.verdicts).to.deep.equal({});
    });
    it('a marker whose blob is missing is refused', () => {
      const m = new Mirror().init();
      m.blobs.clear();
      expect(failedNames(m.verify())).to.deep.equal(['chain']);
    });
    it('a policy that trusts no signer voids every entry (none covers anything)', async () => {
      const m = new Mirror().init();
      await m.append(olive);
      const r = m.verify(trust());
      expect(r.entries).to.deep.equal([]);
      expect(r.voided!.map((v) => [v.seq, v.why])).to.deep.equal([[1, 'authority']]);
    });
  });

  describe('authority voids an entry, the chain stays linked', () => {
    it('an entry by an untrusted signer is void; the next one links through its bytes', async () => {
      const m = new Mirror().init();
      await m.append(olive);
      const forged = await m.append(mallory);
      await m.append(olive);
      const r = m.verify();
      expect(r).to.include({ intact: true, lastSeq: 3 });
      expect(r.entries.map((e) => e.seq)).to.deep.equal([1, 3]);
      expect(r.voided!.map((v) => ({ seq: v.seq, why: v.why, digest: v.digest }))).to.deep.equal([{ seq: 2, why: 'authority', digest: digestOf(forged.bytes) }]);
      expect(r.voided![0]!.checks.filter((c) => !c.ok).map((c) => c.name)).to.deep.equal(['signature']);
      expect(r.leaves).to.have.length(3);
    });
    it('a bypass entry needs a bypass signer: a bundle signer\'s bypass is void', async () => {
      const m = new Mirror().init();
      await m.append(olive, { kind: 'bypass', range: { base: null, head: C('w1'), commits: [C('w1')], ref: 'refs/heads/main' } });
      expect(m.verify().voided!.map((v) => v.seq)).to.deep.equal([1]);
      expect(m.verify({ ...trust(olive), bypassKeys: [olive.trusted] }).entries.map((e) => e.seq)).to.deep.equal([1]);
    });
    it('a key revoked as compromised from seq 2 on: entry 1 stands, entry 2 is void', async () => {
      const m = new Mirror().init();
      await m.append(olive);
      await m.append(olive);
      const r = m.verify({ ...trust(olive), compromised: [{ keyid: olive.trusted.keyid, name: 'olive', since: 2 }] });
      expect(r.entries.map((e) => e.seq)).to.deep.equal([1]);
      expect(r.voided!.map((v) => [v.seq, v.why])).to.deep.equal([[2, 'authority']]);
    });
    it('without a policy (the mirror\'s own guard) signatures are not checked, and said so', async () => {
      const m = new Mirror().init();
      await m.append(mallory);
      const r = m.verify({ repository: null, bundleKeys: null, bypassKeys: null });
      expect(r.entries.map((e) => [e.seq, e.tier])).to.deep.equal([[1, 'unchecked']]);
    });
  });

  describe('repair', () => {
    it('a structural break named by a trusted repair entry is void (structure, repaired), and the chain goes on', async () => {
      const m = new Mirror().init();
      await m.append(olive);
      await m.append(olive, { repository: 'acme/other' });
      await m.append(olive, { kind: 'repair', range: { base: null, head: C('h'), commits: [] }, notes: { reason: 'wrong repository', breakSeq: 2 } });
      const r = m.verify();
      expect(r.intact).to.equal(true);
      expect(r.entries.map((e) => [e.seq, e.predicate.kind])).to.deep.equal([[1, 'retroactive'], [3, 'repair']]);
      expect(r.voided!.map((v) => [v.seq, v.why, v.repairedBy])).to.deep.equal([[2, 'structure', 3]]);
    });
    it('a repair by an untrusted signer names nothing: the break stands', async () => {
      const m = new Mirror().init();
      await m.append(olive);
      await m.append(olive, { repository: 'acme/other' });
      await m.append(mallory, { kind: 'repair', range: { base: null, head: C('h'), commits: [] }, notes: { reason: 'forged repair', breakSeq: 2 } });
      const r = m.verify();
      expect(r.intact).to.equal(false);
      expect(failedNames(r)).to.deep.equal(['repository']);
    });
    it('a repair appended later acknowledges a void entry verified before', async () => {
      const m = new Mirror().init();
      await m.append(olive);
      await m.append(mallory);
      const before = m.verify();
      const cut = m.commits.length;
      await m.append(olive, { kind: 'repair', range: { base: null, head: C('h'), commits: [] }, notes: { reason: 'mallory', breakSeq: 2 } });
      const after = verifyChain(before, m.commits.slice(cut), m.blobs, trust(olive));
      expect(after.voided!.map((v) => [v.seq, v.why, v.repairedBy])).to.deep.equal([[2, 'authority', 3]]);
    });
  });

  describe('policy epochs', () => {
    const P1 = C('policy commit 1');
    const epochs: ChainEpoch[] = [
      { commit: C('policy commit 0'), repository: REPO, bundleKeys: [olive.trusted], bypassKeys: [], activatedBy: [] },
      { commit: P1, repository: REPO, bundleKeys: [rita.trusted], bypassKeys: [], activatedBy: [P1], identity: (name) => `${name} <${name}@example.com>` },
    ];
    const o: ChainOptions = { repository: null, bundleKeys: null, bypassKeys: null, epochs };

    it('an entry listing the new policy version activates it for the entries after it, not for itself', async () => {
      const m = new Mirror().init();
      await m.append(olive, { range: { base: null, head: P1, commits: [P1] } });
      await m.append(rita);
      const r = m.verify(o);
      expect(r.intact).to.equal(true);
      expect(r.entries.map((e) => [e.seq, e.signer, e.epoch, e.epochCommit, e.signedAs])).to.deep.equal([
        [1, 'olive', 0, epochs[0]!.commit, 'olive'],
        [2, 'rita', 1, P1, 'rita <rita@example.com>'],
      ]);
      expect(r).to.include({ epoch: 1 });
      expect(r.activations).to.deep.equal([0, 1]);
    });
    it('after activation the old signer is void; before it the new signer is', async () => {
      const after = new Mirror().init();
      await after.append(olive, { range: { base: null, head: P1, commits: [P1] } });
      await after.append(olive);
      expect(after.verify(o).voided!.map((v) => [v.seq, v.epochCommit])).to.deep.equal([[2, P1]]);
      const before = new Mirror().init();
      await before.append(rita);
      expect(before.verify(o).voided!.map((v) => v.seq)).to.deep.equal([1]);
    });
    it('a void entry that lists the policy version activates nothing', async () => {
      const m = new Mirror().init();
      await m.append(mallory, { range: { base: null, head: P1, commits: [P1] } });
      await m.append(olive);
      const r = m.verify(o);
      expect(r.entries.map((e) => [e.seq, e.epoch])).to.deep.equal([[2, 0]]);
      expect(r.activations).to.deep.equal([0]);
    });
  });
});
