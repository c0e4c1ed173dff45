// The signer registry: every policy entry is named by exactly one tier, each tier verifies only the
// material it stored, and the registry (not the caller) decides which signer options mean what.
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { TIERS, policyEntry, signerFromOptions, tierOf, trustedSigners } from '../../../src/sign/tiers/index.js';
import { KeySigner, noteSignerOf } from '../../../src/sign/tiers/key.js';
import { generateKeyFiles, rawPublicKey } from '../../../src/sign/key.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { verifyEnvelope } from '../../../src/sign/envelope.js';
import { thrown } from '../_support.js';

const ISS = 'https://token.actions.githubusercontent.com';
const SUB = 'https://github.com/acme/orca/.github/workflows/publish.yml@refs/heads/main';

function keyPair(): { signer: KeySigner; entry: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { signer: new KeySigner(privateKey), entry: 'ed25519:' + rawPublicKey(publicKey).toString('base64') };
}

describe('sign/tiers: the signer registry', () => {
  it('lists key, ssh and sigstore once each, and names every policy entry by exactly one tier', () => {
    expect(TIERS.map((t) => t.name)).to.deep.equal(['key', 'ssh', 'sigstore']);
    const a = keyPair();
    const entries = [
      { name: 'k', key: a.entry },
      { name: 's', ssh: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl' },
      { name: 'c', sigstore: { issuer: ISS, identity: SUB } },
    ];
    for (const e of entries) expect(TIERS.filter((t) => t.names(e))).to.have.length(1);
    expect(entries.map((e) => tierOf(e)!.name)).to.deep.equal(['key', 'ssh', 'sigstore']);
    expect(trustedSigners(entries).map((t) => [t.name, t.tier])).to.deep.equal([['k', 'key'], ['s', 'ssh'], ['c', 'sigstore']]);
    expect(trustedSigners([{ name: 'nothing' }])).to.deep.equal([]);
  });

  it('key: the stored envelope verifies under its entry only; keyid is a hint, never trust', async () => {
    const a = keyPair();
    const b = keyPair();
    const s = await a.signer.sign('application/vnd.in-toto+json', Buffer.from('{"x":1}'));
    expect(s.sidecar).to.equal(undefined);
    const [ta, tb] = trustedSigners([{ name: 'a', key: a.entry }, { name: 'b', key: b.entry }]);
    expect(verifyEnvelope(s.envelope, [tb!, ta!])).to.include({ ok: true, signer: 'a', tier: 'key' });
    expect(verifyEnvelope(s.envelope, [tb!]).ok).to.equal(false);
    // b's keyid on a's signature still verifies only as a
    const lying = { ...s.envelope, signatures: [{ ...s.envelope.signatures[0]!, keyid: tb!.keyid }] };
    expect(verifyEnvelope(lying, [tb!, ta!])).to.include({ ok: true, signer: 'a' });
    // a keyless signer cannot verify key material, and says why
    const [tc] = trustedSigners([{ name: 'c', sigstore: { issuer: ISS, identity: SUB } }]);
    const r = verifyEnvelope(s.envelope, [tc!]);
    expect(r.ok).to.equal(false);
    expect(r.why).to.contain('no Sigstore bundle');
  });

  it('options select the tier; --sigstore needs an ambient identity token; keyless cannot sign checkpoints', async () => {
    expect(await signerFromOptions({}, { cwd: '/', env: {} })).to.equal(null);
    let err: any;
    try {
      await signerFromOptions({ sigstore: true }, { cwd: '/', env: {} });
    } catch (x) {
      err = x;
    }
    expect(err?.code).to.equal('key-missing');
    const s = await signerFromOptions({ sigstore: true }, { cwd: '/', env: { SIGSTORE_ID_TOKEN: 'x.y.z' } });
    expect(s!.tier).to.equal('sigstore');
    expect(s!.keyid).to.equal(undefined);
    expect(thrown(() => noteSignerOf(s!, 'ci')).code).to.equal('config');
    const key = join(mkdtempSync(join(tmpdir(), 'csae-tiers-')), 'k');
    generateKeyFiles(key);
    let both: any;
    try {
      await signerFromOptions({ key, sigstore: true }, { cwd: '/', env: { SIGSTORE_ID_TOKEN: 'x.y.z' } });
    } catch (x) {
      both = x;
    }
    expect(both?.code).to.equal('usage');
    expect(both?.message).to.contain('key and sigstore');
    rmSync(dirname(key), { recursive: true, force: true });
    expect(noteSignerOf(keyPair().signer, 'olive').name).to.equal('olive');
  });

  it('policy trust: one entry per tier, a half-given keyless signer refused', () => {
    expect(policyEntry('ci', { sigstoreIssuer: ISS, sigstoreIdentity: SUB })).to.deep.equal({ name: 'ci', sigstore: { issuer: ISS, identity: SUB } });
    expect(thrown(() => policyEntry('ci', { sigstoreIdentity: SUB })).code).to.equal('usage');
    expect(thrown(() => policyEntry('ci', {})).code).to.equal('usage');
  });
});
