// The report page's keyless check (browser/verify.ts): the Sigstore bundle must sign exactly the stored
// envelope, and the envelope's ECDSA P-256 signature must verify under the certificate's key. The
// certificate is a real X.509 made by openssl (skipped, saying so, without openssl).
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateP256Key, pae, verifyKeyless } from '../../../src/audit/browser/verify.js';

describe('report page: keyless signatures against the certificate key', () => {
  let certDer: Buffer;
  let keyPem: string;
  before(function () {
    const dir = mkdtempSync(join(tmpdir(), 'csae-cert-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=csae-test', '-days', '1', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
      execFileSync('openssl', ['x509', '-in', join(dir, 'c.pem'), '-outform', 'DER', '-out', join(dir, 'c.der')], { stdio: 'ignore' });
      certDer = readFileSync(join(dir, 'c.der'));
      keyPem = readFileSync(join(dir, 'k.pem'), 'utf8');
    } catch {
      console.log('      (skipped: openssl is not installed)');
      this.skip();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  function signed(payloadText: string): { env: { payloadType: string; payload: string; signatures: Array<{ sig: string }> }; payload: Uint8Array } {
    const payload = Buffer.from(payloadText);
    const sig = sign('sha256', Buffer.from(pae('application/vnd.in-toto+json', payload)), createPrivateKey(keyPem));
    return { env: { payloadType: 'application/vnd.in-toto+json', payload: payload.toString('base64'), signatures: [{ sig: sig.toString('base64') }] }, payload };
  }
  const bundle = (env: unknown, cert = certDer): string => JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', verificationMaterial: { certificate: { rawBytes: cert.toString('base64') } }, dsseEnvelope: env });

  it("reads the certificate's P-256 key and verifies the envelope's signature", () => {
    expect(certificateP256Key(new Uint8Array(certDer))).to.have.length(65);
    const { env, payload } = signed('{"a":1}');
    expect(verifyKeyless(bundle(env), env, payload)).to.deep.equal({ ok: true });
  });

  it('fails when a signature byte changes, when the bundle signs another envelope, or without a certificate', () => {
    const { env, payload } = signed('{"a":1}');
    const sig = Buffer.from(env.signatures[0]!.sig, 'base64');
    sig[sig.length - 3] ^= 1;
    const bad = { ...env, signatures: [{ sig: sig.toString('base64') }] };
    expect(verifyKeyless(bundle(bad), bad, payload).ok).to.equal(false);
    const other = signed('{"a":2}').env;
    expect(verifyKeyless(bundle(other), env, payload).why).to.match(/another envelope/);
    expect(verifyKeyless(JSON.stringify({ dsseEnvelope: env }), env, payload).why).to.match(/no P-256 signing certificate/);
    expect(verifyKeyless('not json', env, payload).ok).to.equal(false);
  });
});
