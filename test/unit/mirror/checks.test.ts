// The chain stage of the verification pipeline (DESIGN §5 checks 1-4), one check at a time on entry
// bytes built here (no git, no mirror), and verifyEntry running them in the order of the one list.
import { expect } from 'chai';
import { CHAIN_CHECKS } from '../../../src/core/checks.js';
import { canonicalize } from '../../../src/core/jcs.js';
import { BUNDLE_PREDICATE, STATEMENT_TYPE, subjectsFor, type BundlePredicate } from '../../../src/core/statement.js';
import { IN_TOTO_PAYLOAD_TYPE } from '../../../src/core/dsse.js';
import { recheckEntry, verifyEntry, type ChainState, type VerifiedEntry } from '../../../src/mirror/chain.js';
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { sha256Hex } from '../../../src/core/digest.js';
import { storedBytes } from '../../../src/core/jcs.js';
import { signStatement } from '../../../src/sign/envelope.js';
import { KeySigner, Ed25519TrustedKey } from '../../../src/sign/tiers/key.js';
import { rawPublicKey } from '../../../src/sign/key.js';
import type { ChainStepContext } from '../../../src/mirror/checks/context.js';
import { chain } from '../../../src/mirror/checks/link.js';
import { repository } from '../../../src/mirror/checks/repository.js';
import { schema } from '../../../src/mirror/checks/schema.js';
import { signature } from '../../../src/mirror/checks/signature.js';
import { entryPath } from '../../../src/mirror/layout.js';
import { person, signedEntry } from '../_signed.js';

const C = (n: number): string => n.toString(16).padStart(40, '0');
const OP = 'Olive <olive@example.com>';

function predicate(o: Partial<BundlePredicate> = {}): BundlePredicate {
  return {
    version: 1, kind: 'retroactive', repository: 'acme/app', workstream: 'ws-1', scope: null,
    range: { base: C(1), head: C(3), commits: [C(2), C(3)] }, verdicts: [], selfAttestation: null,
    seq: 1, predecessor: null, author: OP, createdAt: '2026-01-01T00:00:00Z', notes: { reason: 'found late' }, ...o,
  };
}

function entryBytes(p: BundlePredicate, o: { canonical?: boolean; subjects?: string[] } = {}): Buffer {
  const stmt = { _type: STATEMENT_TYPE, subject: subjectsFor(o.subjects ?? p.range.commits), predicateType: BUNDLE_PREDICATE, predicate: p };
  const env = { payloadType: IN_TOTO_PAYLOAD_TYPE, payload: Buffer.from(canonicalize(stmt)).toString('base64'), signatures: [{ keyid: 'k', sig: Buffer.from('not a signature').toString('base64') }] };
  return Buffer.from((o.canonical === false ? JSON.stringify(env, null, 1) : canonicalize(env)) + '\n');
}

const EMPTY: ChainState = { head: null, lastSeq: 0, lastDigest: null, entries: [] } as unknown as ChainState;
const NO_POLICY = { repository: null, bundleKeys: null, bypassKeys: null };

function ctx(bytes: Buffer | undefined, o: Partial<ChainStepContext> = {}): ChainStepContext {
  return { seq: 1, path: entryPath(1), bytes, st: EMPTY, o: NO_POLICY, sidecar: null, ...o };
}

describe('verification pipeline: the chain checks (DESIGN §5, 1-4)', () => {
  it('schema: parses a canonical entry and leaves the statement for the next checks', () => {
    const c = ctx(entryBytes(predicate()));
    expect(schema(c)).to.deep.equal({ ok: true });
    expect(c.statement?.predicate.workstream).to.equal('ws-1');
  });
  it('schema: a non-canonical file, or one that cannot be read, fails and stops the run', () => {
    expect(schema(ctx(entryBytes(predicate(), { canonical: false })))).to.deep.equal({ ok: false, stop: true, detail: `${entryPath(1)}: the file is not canonical JCS plus one newline` });
    expect(schema(ctx(undefined))).to.deep.equal({ ok: false, stop: true, detail: `entry ${entryPath(1)} could not be read from the mirror` });
  });
  it('schema: subjects that differ from range.commits fail', () => {
    const r = schema(ctx(entryBytes(predicate(), { subjects: [C(3), C(2)] })));
    expect(r).to.deep.equal({ ok: false, stop: true, detail: `${entryPath(1)}: subjects differ from range.commits` });
  });
  it('signature: not checked without a policy (said so); fails closed when the policy trusts no signer', () => {
    const c = ctx(entryBytes(predicate()));
    schema(c);
    expect(signature(c)).to.deep.equal({ ok: true, detail: 'not checked: no policy configured for this guard' });
    const d = ctx(entryBytes(predicate()), { o: { repository: 'acme/app', bundleKeys: [], bypassKeys: [] } });
    schema(d);
    const r = signature(d);
    expect(r.ok).to.equal(false);
    expect(r.detail).to.match(/trusts no signer/).and.match(/bundle signers of the policy in force at entry 1/);
  });
  it('chain: seq, path and predecessor must follow the last entry', () => {
    const c = ctx(entryBytes(predicate()));
    schema(c);
    expect(chain(c)).to.deep.equal({ ok: true });
    const d = ctx(entryBytes(predicate({ seq: 2, predecessor: { seq: 1, digest: 'sha256:' + 'a'.repeat(64) } })), { seq: 2, path: entryPath(2) });
    schema(d);
    const r = chain(d);
    expect(r.ok).to.equal(false);
    expect(r.detail).to.match(/file seq 2 follows 0/).and.match(/predecessor .* should be null/);
  });
  it('repository: the entry must be for the repository the policy names', () => {
    const c = ctx(entryBytes(predicate()), { o: { ...NO_POLICY, repository: 'acme/other' } });
    schema(c);
    expect(repository(c)).to.deep.equal({ ok: false, detail: 'entry is for acme/app, the policy names acme/other' });
    c.o = NO_POLICY;
    expect(repository(c)).to.deep.equal({ ok: true });
  });
  it('verifyEntry runs the four in list order, collects every failure, and stops after a schema failure', () => {
    const ok = verifyEntry(1, entryPath(1), entryBytes(predicate()), EMPTY, NO_POLICY);
    expect(ok.checks.results.map((r) => r.name)).to.deep.equal([...CHAIN_CHECKS]);
    expect(ok.entry?.predicate.seq).to.equal(1);
    const bad = verifyEntry(1, entryPath(1), entryBytes(predicate({ seq: 5 })), EMPTY, { repository: 'acme/other', bundleKeys: [], bypassKeys: [] });
    expect(bad.checks.results.map((r) => r.name)).to.deep.equal([...CHAIN_CHECKS]);
    expect(bad.checks.failed().map((f) => f.name)).to.deep.equal(['signature', 'chain', 'repository']);
    expect(bad.entry).to.equal(undefined);
    const gone = verifyEntry(1, entryPath(1), undefined, EMPTY, NO_POLICY);
    expect(gone.checks.results.map((r) => r.name)).to.deep.equal(['schema']);
  });

  describe('signature, on real Ed25519 signatures', () => {
    const olive = person('olive');
    const rita = person('rita');
    const keys = (bundle: typeof olive[], bypass: typeof olive[] = []) => ({ repository: 'acme/app', bundleKeys: bundle.map((p) => p.trusted), bypassKeys: bypass.map((p) => p.trusted) });
    const run = async (who: typeof olive, o: ChainStepContext['o'], p = predicate()) => {
      const c = ctx(await signedEntry(who, p), { o });
      expect(schema(c)).to.deep.equal({ ok: true });
      return { r: signature(c), c };
    };
    it('passes a trusted signer and hands who signed to the next steps', async () => {
      const { r, c } = await run(olive, keys([olive]));
      expect(r).to.deep.equal({ ok: true, detail: 'olive (key)' });
      expect(c.sig).to.include({ ok: true, signer: 'olive', keyid: olive.trusted.keyid, tier: 'key' });
    });
    it('fails a signer the policy does not trust', async () => {
      expect((await run(rita, keys([olive]))).r.ok).to.equal(false);
    });
    it('a bypass entry is checked against the bypass signers only', async () => {
      const bypass = predicate({ kind: 'bypass', range: { base: C(1), head: C(3), commits: [C(2), C(3)], ref: 'refs/heads/main' } });
      expect((await run(olive, keys([olive]), bypass)).r.ok).to.equal(false);
      expect((await run(olive, keys([], [olive]), bypass)).r.ok).to.equal(true);
    });
    it('a key revoked as compromised fails from its seq on, and passes before it', async () => {
      const compromised = [{ keyid: olive.trusted.keyid, name: 'olive', since: 1 }];
      const { r } = await run(olive, { ...keys([olive]), compromised });
      expect(r.ok).to.equal(false);
      expect(r.detail).to.contain('compromised');
      expect((await run(olive, { ...keys([olive]), compromised: [{ ...compromised[0]!, since: 2 }] })).r.ok).to.equal(true);
    });
    it('an envelope whose payload was changed after signing fails', async () => {
      const bytes = await signedEntry(olive, predicate());
      const env = JSON.parse(bytes.toString('utf8'));
      const st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8'));
      st.predicate.notes.reason = 'edited';
      env.payload = Buffer.from(canonicalize(st)).toString('base64');
      const c = ctx(Buffer.from(canonicalize(env) + '\n'), { o: keys([olive]) });
      expect(schema(c)).to.deep.equal({ ok: true });
      expect(signature(c).ok).to.equal(false);
    });
  });

  it('recheckEntry: who signed comes from the signature, never from what the index claimed', async () => {
    const key = generateKeyPairSync('ed25519').privateKey;
    const olive = new Ed25519TrustedKey('olive', rawPublicKey(createPublicKey(key)));
    const p = predicate();
    const stmt = { _type: STATEMENT_TYPE, subject: subjectsFor(p.range.commits), predicateType: BUNDLE_PREDICATE, predicate: p } as const;
    const bytes = storedBytes(await signStatement(stmt, new KeySigner(key)));
    // a restored .git/csae claims another signer and identity for this very entry
    const claimed: VerifiedEntry = { seq: 1, digest: 'sha256:' + sha256Hex(bytes), path: entryPath(1), mirrorCommit: C(9), signer: 'rita', keyid: 'x', tier: 'sigstore+rekor', identity: 'https://issuer rita@example.com', signedAs: 'rita <rita@example.com>', predicate: p };
    const r = recheckEntry(claimed, bytes, { repository: 'acme/app', bundleKeys: [olive], bypassKeys: [], compromised: [] });
    expect(r.ok).to.equal(true);
    const e = (r as { entry: VerifiedEntry }).entry;
    expect(e).to.include({ signer: 'olive', keyid: olive.keyid, tier: 'key' });
    expect(e).to.not.have.property('identity');
    expect(e).to.not.have.property('signedAs');
  });

  describe('recheckEntry fails closed on a verified index that lies', () => {
    const olive = person('olive');
    const o = { repository: 'acme/app', bundleKeys: [olive.trusted], bypassKeys: [], compromised: [] };
    const claimedFor = async (p = predicate()) => {
      const bytes = await signedEntry(olive, p);
      const claimed: VerifiedEntry = { seq: 1, digest: 'sha256:' + sha256Hex(bytes), path: entryPath(1), mirrorCommit: C(9), signer: 'olive', keyid: olive.trusted.keyid, tier: 'key', predicate: p };
      return { bytes, claimed };
    };
    it('the control: the bytes the index names pass', async () => {
      const { bytes, claimed } = await claimedFor();
      expect(recheckEntry(claimed, bytes, o).ok).to.equal(true);
    });
    it('the entry is missing from the mirror', async () => {
      const { claimed } = await claimedFor();
      expect(recheckEntry(claimed, undefined, o).ok).to.equal(false);
    });
    it('the mirror holds other bytes than the index claims (another validly signed entry)', async () => {
      const { claimed } = await claimedFor();
      const other = await signedEntry(olive, predicate({ workstream: 'ws-other' }));
      expect(recheckEntry(claimed, other, o).ok).to.equal(false);
    });
    it('the index claims a seq the bytes do not say', async () => {
      const { bytes, claimed } = await claimedFor();
      expect(recheckEntry({ ...claimed, seq: 2 }, bytes, o).ok).to.equal(false);
    });
    it('the signer is no longer trusted (or compromised) under the keys given', async () => {
      const { bytes, claimed } = await claimedFor();
      expect(recheckEntry(claimed, bytes, { ...o, bundleKeys: [] }).ok).to.equal(false);
      expect(recheckEntry(claimed, bytes, { ...o, compromised: [{ keyid: olive.trusted.keyid, name: 'olive', since: 1 }] }).ok).to.equal(false);
    });
    it('the entry is for another repository', async () => {
      const { bytes, claimed } = await claimedFor();
      expect(recheckEntry(claimed, bytes, { ...o, repository: 'acme/other' }).ok).to.equal(false);
    });
  });

  describe('recheckEntry runs the chain checks again on the re-read bytes', () => {
    const signed = async (p: BundlePredicate): Promise<{ bytes: Buffer; olive: Ed25519TrustedKey; claimed: VerifiedEntry }> => {
      const key = generateKeyPairSync('ed25519').privateKey;
      const olive = new Ed25519TrustedKey('olive', rawPublicKey(createPublicKey(key)));
      const stmt = { _type: STATEMENT_TYPE, subject: subjectsFor(p.range.commits), predicateType: BUNDLE_PREDICATE, predicate: p } as const;
      const bytes = storedBytes(await signStatement(stmt, new KeySigner(key)));
      return { bytes, olive, claimed: { seq: 1, digest: 'sha256:' + sha256Hex(bytes), path: entryPath(1), mirrorCommit: C(9), signer: 'olive', keyid: olive.keyid, tier: 'key', predicate: p } };
    };
    const failedNames = (r: ReturnType<typeof recheckEntry>): string[] => (r.ok ? [] : (r.checks ?? []).filter((c) => !c.ok).map((c) => c.name));

    it('fails closed without keys: a re-read never takes the guard\'s "not checked" pass', async () => {
      const { bytes, claimed } = await signed(predicate());
      const r = recheckEntry(claimed, bytes, { repository: 'acme/app', bundleKeys: null, bypassKeys: null, compromised: [] });
      expect(r.ok).to.equal(false);
      expect(failedNames(r)).to.deep.equal(['signature']);
    });
    it('names every failing check, in list order, with the chain step replaced by the claimed seq', async () => {
      const { bytes, claimed } = await signed(predicate({ seq: 2, repository: 'evil/app' }));
      const r = recheckEntry(claimed, bytes, { repository: 'acme/app', bundleKeys: [], bypassKeys: [], compromised: [] });
      expect(failedNames(r)).to.deep.equal(['signature', 'chain', 'repository']);
    });
    it('a key revoked as compromised is refused as the signature check says', async () => {
      const { bytes, olive, claimed } = await signed(predicate());
      const r = recheckEntry(claimed, bytes, { repository: 'acme/app', bundleKeys: [olive], bypassKeys: [], compromised: [{ keyid: olive.keyid, name: 'olive', since: 1 }] });
      expect(failedNames(r)).to.deep.equal(['signature']);
      expect((r as { why: string }).why).to.match(/revoked as compromised/);
    });
    it('bytes the schema check cannot read stop the run after schema', async () => {
      const { olive, claimed } = await signed(predicate());
      const unreadable = Buffer.from('{}\n');
      const r = recheckEntry({ ...claimed, digest: 'sha256:' + sha256Hex(unreadable) }, unreadable, { repository: 'acme/app', bundleKeys: [olive], bypassKeys: [], compromised: [] });
      expect(failedNames(r)).to.deep.equal(['schema']);
    });
  });
});
