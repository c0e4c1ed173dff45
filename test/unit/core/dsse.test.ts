import { expect } from 'chai';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBase64, envelopePayload, IN_TOTO_PAYLOAD_TYPE, pae, parseEnvelope, type DsseEnvelope } from '../../../src/core/dsse.js';
import { isCsaeError } from '../../../src/core/errors.js';
import { readJson, requireVectors, thrown } from '../_support.js';

/** DSSE verification as a consumer does it: any one signature verifying over PAE is enough. */
function verifyEnvelope(env: unknown, key: KeyObject): boolean {
  let parsed: DsseEnvelope;
  try {
    parsed = parseEnvelope(env, 'test');
  } catch {
    return false;
  }
  const body = envelopePayload(parsed);
  const msg = pae(parsed.payloadType, body);
  return parsed.signatures.some((s) => {
    const sig = decodeBase64(s.sig);
    return sig !== null && verify('sha256', msg, { key, dsaEncoding: 'ieee-p1363' }, sig);
  });
}

describe('core/dsse', () => {
  describe('pae', () => {
    it('counts UTF-8 bytes, not characters', () => {
      expect(pae('t\u00e9', Buffer.from('\u20ac', 'utf8')).toString('utf8')).to.equal('DSSEv1 3 t\u00e9 3 \u20ac');
    });
    it('handles empty type and body', () => {
      expect(pae('', Buffer.alloc(0)).toString('hex')).to.equal('445353457631203020203020');
    });
    it('uses the in-toto payload type constant', () => {
      expect(IN_TOTO_PAYLOAD_TYPE).to.equal('application/vnd.in-toto+json');
    });
  });

  describe('decodeBase64', () => {
    it('accepts standard and URL-safe alphabets to the same bytes', () => {
      expect(decodeBase64('+/+/')!.toString('hex')).to.equal('fbffbf');
      expect(decodeBase64('-_-_')!.toString('hex')).to.equal('fbffbf');
      expect(decodeBase64('aGVsbG8gd29ybGQ=')!.toString()).to.equal('hello world');
      expect(decodeBase64('')!.length).to.equal(0);
    });
    it('refuses malformed input', () => {
      for (const s of ['a', 'abcde', 'ab=', 'ab=c', 'a b c d', '****', 'aGVsbG8=\n']) expect(decodeBase64(s), JSON.stringify(s)).to.equal(null);
      expect(decodeBase64(42 as unknown as string)).to.equal(null);
    });
  });

  describe('parseEnvelope', () => {
    const good = { payloadType: 'x', payload: 'aGk=', signatures: [{ sig: 'AAAA' }] };
    it('returns a well-formed envelope unchanged', () => {
      expect(parseEnvelope(good, 'w')).to.deep.equal(good);
      expect(parseEnvelope({ ...good, signatures: [{ keyid: 'k', sig: 'AAAA' }] }, 'w').signatures[0]!.keyid).to.equal('k');
    });
    const bad: [string, unknown][] = [
      ['null', null],
      ['an array', [good]],
      ['a string', 'envelope'],
      ['an unknown field', { ...good, extra: 1 }],
      ['a missing payloadType', { payload: 'aGk=', signatures: [{ sig: 'AAAA' }] }],
      ['an empty payloadType', { ...good, payloadType: '' }],
      ['a non-base64 payload', { ...good, payload: '***' }],
      ['a numeric payload', { ...good, payload: 12 }],
      ['signatures not an array', { ...good, signatures: { sig: 'AAAA' } }],
      ['no signatures', { ...good, signatures: [] }],
      ['a null signature', { ...good, signatures: [null] }],
      ['a non-base64 sig', { ...good, signatures: [{ sig: 'not base64!' }] }],
      ['a missing sig', { ...good, signatures: [{ keyid: 'k' }] }],
      ['a numeric keyid', { ...good, signatures: [{ sig: 'AAAA', keyid: 7 }] }],
    ];
    for (const [what, value] of bad) {
      it(`rejects ${what} with schema-invalid`, () => {
        const e = thrown(() => parseEnvelope(value, 'entries/x.dsse.json'));
        expect(isCsaeError(e)).to.equal(true);
        expect(e.code).to.equal('schema-invalid');
      });
    }
  });

  describe('interop: secure-systems-lab/dsse vectors', function () {
    let dir: string;
    let v: any;
    let key: KeyObject;
    before(function () {
      dir = requireVectors(this);
      v = readJson(dir, 'dsse/dsse-test-vector.json');
      key = createPublicKey(readFileSync(join(dir, 'dsse', v.official.key.spkiPemFile), 'utf8'));
    });

    it('reproduces the official PAE known answer', () => {
      const o = v.official;
      const got = pae(o.payloadType, Buffer.from(o.payloadHex, 'hex'));
      expect(got.toString('hex')).to.equal(o.paeHex);
      expect(got.toString('utf8')).to.equal(o.paeText);
      expect(got.length).to.equal(o.paeLengthBytes);
    });

    it('reproduces every derived PAE known answer', () => {
      expect(v.derivedPaeKnownAnswers.length).to.be.greaterThan(0);
      for (const c of v.derivedPaeKnownAnswers) {
        expect(pae(c.payloadType, Buffer.from(c.bodyHex, 'hex')).toString('hex'), c.desc).to.equal(c.paeHex);
      }
    });

    it('the public key matches the published point', () => {
      const jwk = key.export({ format: 'jwk' });
      expect(jwk.x).to.equal(v.official.key.jwkPublic.x);
      expect(jwk.y).to.equal(v.official.key.jwkPublic.y);
    });

    it('verifies the official envelope (P1363 signature) through pae + decodeBase64', () => {
      for (const file of ['envelope.json', 'envelope-with-keyid.json']) {
        const env = JSON.parse(readFileSync(join(dir, 'dsse', file), 'utf8'));
        expect(verifyEnvelope(env, key), file).to.equal(true);
        expect(envelopePayload(parseEnvelope(env, file)).toString('utf8')).to.equal('hello world');
      }
    });

    it('verifies the DER form of the same signature with the default encoding', () => {
      const o = v.official;
      const msg = pae(o.payloadType, Buffer.from(o.payloadHex, 'hex'));
      expect(verify('sha256', msg, key, Buffer.from(o.signature.derHex, 'hex'))).to.equal(true);
      expect(decodeBase64(o.signature.base64)!.length).to.equal(64);
    });

    it('a tampered PAE does not verify', () => {
      const o = v.official;
      const msg = pae(o.payloadType, Buffer.from('hello worle'));
      expect(verify('sha256', msg, { key, dsaEncoding: 'ieee-p1363' }, decodeBase64(o.signature.base64)!)).to.equal(false);
    });

    it('decides every derived envelope case as expected', () => {
      expect(v.derivedEnvelopeCases.length).to.equal(5);
      for (const c of v.derivedEnvelopeCases) {
        expect(verifyEnvelope(c.envelope, key), c.id).to.equal(c.expect === 'accept');
      }
    });
  });
});
