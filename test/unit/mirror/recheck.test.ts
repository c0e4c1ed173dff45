// recheckEntry (src/mirror/chain.ts): an entry a verified index points to is re-read from the mirror and its
// digest, seq, signature and repository checked again; who signed comes from the signature, never the index.
import { expect } from 'chai';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { sha256Hex } from '../../../src/core/digest.js';
import { storedBytes } from '../../../src/core/jcs.js';
import { BUNDLE_PREDICATE, STATEMENT_TYPE, subjectsFor, type BundlePredicate } from '../../../src/core/statement.js';
import { recheckEntry, type VerifiedEntry } from '../../../src/mirror/chain.js';
import { entryPath } from '../../../src/mirror/layout.js';
import { signStatement } from '../../../src/sign/envelope.js';
import { rawPublicKey } from '../../../src/sign/key.js';
import { Ed25519TrustedKey, KeySigner } from '../../../src/sign/tiers/key.js';
import { person, signedEntry } from '../_signed.js';
import { C, predicate } from './checks/_fixture.js';

describe('mirror/chain recheckEntry', () => {
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
