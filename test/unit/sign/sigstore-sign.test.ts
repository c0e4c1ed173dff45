// The sigstore tier end to end at the library level: keyless signing over HTTP against @sigstore/mock
// services on 127.0.0.1, then offline verification of the stored material by the tier and by
// verifySigstoreBundle, and every impostor refused with a clear reason.
import { expect } from 'chai';
import { storedBytes } from '../../../src/core/jcs.js';
import { SigstoreSigner } from '../../../src/sign/sigstore/sign.js';
import { verifySigstoreBundle } from '../../../src/sign/sigstore/verify.js';
import { SigstoreIdentity } from '../../../src/sign/tiers/sigstore.js';
import { verifyEnvelope } from '../../../src/sign/envelope.js';
import { idToken, startSigstore, type SigstoreServices } from '../../helpers/sigstore.js';

const ISS = 'https://token.actions.githubusercontent.com';
const SUB = 'https://github.com/acme/orca/.github/workflows/publish.yml@refs/heads/main';

describe('sigstore tier: keyless signing against mock services on loopback', function () {
  this.timeout(60_000);
  let svc: SigstoreServices;
  let other: SigstoreServices;
  before(async () => {
    svc = await startSigstore();
    other = await startSigstore();
  });
  after(async () => {
    await svc?.stop();
    await other?.stop();
  });

  it('signs a statement and the stored material verifies offline', async () => {
    const signer = new SigstoreSigner({ fulcio: svc.fulcioUrl, rekor: svc.rekorUrl }, { SIGSTORE_ID_TOKEN: idToken(ISS, SUB) });
    const payload = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'x', digest: { sha256: 'ab'.repeat(32) } }], predicateType: 'https://csae.dev/x', predicate: {} }));
    const s = await signer.sign('application/vnd.in-toto+json', payload);
    const bundle = JSON.parse(s.sidecar!.toString());
    expect(bundle.mediaType).to.equal('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(storedBytes(bundle.dsseEnvelope).equals(storedBytes(s.envelope))).to.equal(true);
    const r = verifySigstoreBundle({ bundle, trustedRoot: svc.trustedRoot, issuer: ISS, identity: SUB });
    expect(r, r.error).to.include({ ok: true });
    const t = new SigstoreIdentity('ci', ISS, SUB, { sigstoreTrustedRoot: svc.trustedRoot });
    expect(verifyEnvelope({ envelope: s.envelope, sidecar: s.sidecar }, [t])).to.include({ ok: true, tier: 'sigstore+rekor', signer: 'ci' });
    expect(verifySigstoreBundle({ bundle, trustedRoot: other.trustedRoot, issuer: ISS, identity: SUB }).ok).to.equal(false);
  });

  describe('impostors are refused with a reason that names the problem', () => {
    let good: { envelope: any; sidecar: Buffer };
    let otherEnv: any;
    const stmt = (n: number): Buffer => Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'c', digest: { gitCommit: String(n).repeat(40) } }], predicateType: 'https://csae.dev/x', predicate: {} }));
    const trusted = (o: { iss?: string; sub?: string; root?: unknown } = {}) => new SigstoreIdentity('ci', o.iss ?? ISS, o.sub ?? SUB, { sigstoreTrustedRoot: o.root ?? svc.trustedRoot });
    const check = (m: { envelope: any; sidecar: Buffer | null }, t = trusted()) => verifyEnvelope(m, [t]);
    before(async () => {
      const s1 = await new SigstoreSigner({ fulcio: svc.fulcioUrl, rekor: svc.rekorUrl }, { SIGSTORE_ID_TOKEN: idToken(ISS, SUB) }).sign('application/vnd.in-toto+json', stmt(1));
      good = { envelope: s1.envelope, sidecar: s1.sidecar! };
      otherEnv = (await new SigstoreSigner({ fulcio: svc.fulcioUrl, rekor: svc.rekorUrl }, { SIGSTORE_ID_TOKEN: idToken(ISS, SUB) }).sign('application/vnd.in-toto+json', stmt(2))).envelope;
    });

    it('the genuine material passes (control)', () => {
      expect(check(good)).to.include({ ok: true, tier: 'sigstore+rekor' });
    });
    it('a look-alike identity (the trusted one is a prefix, or a substring)', async () => {
      for (const sub of [SUB + '-evil', 'https://evil.example/?' + SUB]) {
        const s = await new SigstoreSigner({ fulcio: svc.fulcioUrl, rekor: svc.rekorUrl }, { SIGSTORE_ID_TOKEN: idToken(ISS, sub) }).sign('application/vnd.in-toto+json', stmt(3));
        const r = check({ envelope: s.envelope, sidecar: s.sidecar! });
        expect(r.ok).to.equal(false);
        expect(r.why).to.contain(`certificate identity ${JSON.stringify(sub)} is not the trusted identity`);
      }
    });
    it('a wrong issuer', () => {
      const r = check(good, trusted({ iss: 'https://accounts.google.com' }));
      expect(r.ok).to.equal(false);
      expect(r.why).to.contain('is not the trusted issuer "https://accounts.google.com"');
    });
    it('a certificate from another root', () => {
      const r = check(good, trusted({ root: other.trustedRoot }));
      expect(r.ok).to.equal(false);
      expect(r.why).to.match(/the Sigstore bundle does not verify: (CERTIFICATE_ERROR|TLOG)/);
    });
    it('a truncated Sigstore bundle, a missing one, and one of another media type', () => {
      const cut = check({ envelope: good.envelope, sidecar: good.sidecar.subarray(0, good.sidecar.length >> 1) });
      expect(cut.ok).to.equal(false);
      expect(cut.why).to.contain('is not JSON (truncated or corrupt)');
      const none = check({ envelope: good.envelope, sidecar: null });
      expect(none.why).to.contain('no Sigstore bundle (.sigstore.json)');
      const b = JSON.parse(good.sidecar.toString());
      const v01 = check({ envelope: good.envelope, sidecar: Buffer.from(JSON.stringify({ ...b, mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1' })) });
      expect(v01.why).to.contain('expected application/vnd.dev.sigstore.bundle.v0.3+json');
    });
    it('an envelope swapped under a valid Sigstore bundle, and a bundle whose envelope was swapped', () => {
      const swapped = check({ envelope: otherEnv, sidecar: good.sidecar });
      expect(swapped.ok).to.equal(false);
      expect(swapped.why).to.contain('signs another envelope than the stored one');
      // the other way round: the bundle's envelope replaced to match another stored entry
      const b = JSON.parse(good.sidecar.toString());
      const r = check({ envelope: otherEnv, sidecar: Buffer.from(JSON.stringify({ ...b, dsseEnvelope: otherEnv })) });
      expect(r.ok).to.equal(false);
      expect(r.why).to.match(/does not verify: (TLOG_BODY_ERROR|SIGNATURE_ERROR)/);
    });
    it('a trusted root the policy names but that could not be read verifies nothing', () => {
      const r = verifyEnvelope(good, [new SigstoreIdentity('ci', ISS, SUB, { sigstoreTrustedRootError: 'the trusted root .csae/x.json the policy names is not in the repository' })]);
      expect(r.ok).to.equal(false);
      expect(r.why).to.contain('.csae/x.json');
    });
  });

  it('an entry stays valid after its ten-minute certificate expired: checked at the integrated time', async () => {
    const past = await startSigstore({ clock: new Date(Date.now() - 2 * 3600_000) });
    try {
      const s = await new SigstoreSigner({ fulcio: past.fulcioUrl, rekor: past.rekorUrl }, { SIGSTORE_ID_TOKEN: idToken(ISS, SUB) }).sign('application/vnd.in-toto+json', Buffer.from('{}'));
      const b = JSON.parse(s.sidecar!.toString());
      const t = Number(b.verificationMaterial.tlogEntries[0].integratedTime) * 1000;
      expect(Date.now() - t).to.be.greaterThan(3600_000);
      const r = verifySigstoreBundle({ bundle: b, trustedRoot: past.trustedRoot, issuer: ISS, identity: SUB });
      expect(r, r.error).to.include({ ok: true });
    } finally {
      await past.stop();
    }
  });

  it('with CSAE_SIGSTORE_TSA_URL the bundle also carries an RFC 3161 timestamp that verifies', async () => {
    const t = await startSigstore({ tsa: true });
    try {
      const s = await new SigstoreSigner({ fulcio: t.fulcioUrl, rekor: t.rekorUrl, tsa: t.tsaUrl }, { SIGSTORE_ID_TOKEN: idToken(ISS, SUB) }).sign('application/vnd.in-toto+json', Buffer.from('{}'));
      const b = JSON.parse(s.sidecar!.toString());
      expect(b.verificationMaterial.timestampVerificationData.rfc3161Timestamps).to.have.length(1);
      const r = verifySigstoreBundle({ bundle: b, trustedRoot: t.trustedRoot, issuer: ISS, identity: SUB });
      expect(r, r.error).to.include({ ok: true });
      // a root without the TSA cannot check the stamp: refused
      expect(verifySigstoreBundle({ bundle: b, trustedRoot: { ...t.trustedRoot, timestampAuthorities: [] }, issuer: ISS, identity: SUB }).ok).to.equal(false);
    } finally {
      await t.stop();
    }
  });
});
