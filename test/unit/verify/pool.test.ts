// Unit (property): the parallel signature pool answers exactly what the serial path answers, job for job,
// over randomly mixed batches: valid envelopes, tampered payloads and signatures, wrong or several keys,
// misleading keyid hints, garbage bytes, empty signer lists, and signers that must stay serial.
import { expect } from 'chai';
import { generateKeyPairSync, createPublicKey, type KeyObject } from 'node:crypto';
import { storedBytes } from '../../../src/core/jcs.js';
import { signStatement } from '../../../src/sign/envelope.js';
import { KeySigner, Ed25519TrustedKey } from '../../../src/sign/tiers/key.js';
import { rawPublicKey } from '../../../src/sign/key.js';
import type { TrustedSigner } from '../../../src/sign/signer.js';
import { preverifyEnvelopes, verifyBatch, verifyEnvelopeMemo, type VerifyJob } from '../../../src/verify/pool.js';
import { verifyEnvelope } from '../../../src/sign/envelope.js';
import { parseEnvelope } from '../../../src/core/dsse.js';
import { verifyStored } from '../../../src/verify/serial.js';

/** mulberry32: a small seeded generator, so a failure reproduces from its seed */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('verify/pool: parallel signature verification', function () {
  this.timeout(120_000);
  const priv: KeyObject[] = Array.from({ length: 4 }, () => generateKeyPairSync('ed25519').privateKey);
  const trusted = priv.map((k, i) => new Ed25519TrustedKey(`signer-${i}`, rawPublicKey(createPublicKey(k))));
  /** a signer the pool cannot ship to a worker (another tier): its jobs must stay serial and agree */
  const foreign: TrustedSigner = { name: 'foreign', tier: 'ssh', keyid: 'SHA256:x', verify: () => ({ ok: false }) };
  const keysets: Array<readonly TrustedSigner[]> = [[trusted[0]!], [trusted[1]!, trusted[2]!], [], [trusted[3]!, trusted[0]!], [foreign, trusted[1]!], trusted];

  async function batch(seed: number, n: number): Promise<VerifyJob[]> {
    const r = rng(seed);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
    const jobs: VerifyJob[] = [];
    for (let i = 0; i < n; i++) {
      const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [], predicateType: 'https://csae.dev/test/v1', predicate: { i, seed, pad: 'x'.repeat(Math.floor(r() * 3000)) } };
      const env = await signStatement(statement, new KeySigner(pick(priv)));
      const roll = r();
      if (roll < 0.1) env.payload = Buffer.from(JSON.stringify({ ...statement, predicate: { i: -i } })).toString('base64');
      else if (roll < 0.2) env.signatures[0]!.sig = Buffer.from(Buffer.from(env.signatures[0]!.sig, 'base64').map((b, k) => (k === 7 ? b ^ 1 : b))).toString('base64');
      else if (roll < 0.28) env.signatures[0]!.keyid = trusted[Math.floor(r() * 4)]!.keyid; // a misleading hint
      else if (roll < 0.35) env.signatures.push((await signStatement(statement, new KeySigner(pick(priv)))).signatures[0]!);
      else if (roll < 0.4) env.signatures = [];
      else if (roll < 0.43) env.payload = '!!not base64!!';
      let bytes: Uint8Array = storedBytes(env);
      if (r() < 0.04) bytes = Buffer.from('{"not":"an envelope"}\n');
      if (r() < 0.03) bytes = Buffer.from('garbage \u00ff\n');
      if (r() < 0.5) {
        // a view into a larger buffer, as cat-file output slices are
        const big = Buffer.alloc(bytes.byteLength + 100, 0x20);
        Buffer.from(bytes).copy(big, 37);
        bytes = big.subarray(37, 37 + bytes.byteLength);
      }
      jobs.push({ bytes, keys: pick(keysets) });
    }
    return jobs;
  }

  const serial = (jobs: readonly VerifyJob[]) => jobs.map((j) => verifyStored(j.bytes, j.sidecar ?? null, j.keys));

  for (const [seed, n, threads] of [
    [1, 700, 2],
    [2, 530, 3],
    [3, 300, 4],
  ] as const) {
    it(`seed ${seed}: ${n} jobs on ${threads} threads give the serial results, in order`, async () => {
      const jobs = await batch(seed, n);
      const want = serial(jobs);
      // the batch holds every kind of answer, or the property says little
      expect(want.filter((w) => w.ok).length).to.be.greaterThan(n / 4);
      expect(want.filter((w) => !w.ok).length).to.be.greaterThan(n / 4);
      const seen: number[] = [];
      const got = await verifyBatch(jobs, { threads, minJobs: 0, onProgress: (d, t) => (expect(t).to.equal(n), seen.push(d)) });
      expect(got).to.deep.equal(want);
      expect(seen[seen.length - 1]).to.equal(n);
      expect(seen).to.deep.equal([...seen].sort((a, b) => a - b));
    });
  }

  it('a batch below the threshold, or with one thread, is verified serially with the same results', async () => {
    const jobs = await batch(9, 40);
    expect(await verifyBatch(jobs)).to.deep.equal(serial(jobs));
    expect(await verifyBatch(jobs, { threads: 1, minJobs: 0 })).to.deep.equal(serial(jobs));
  });

  it('envelopes verified ahead answer exactly as verifyEnvelope, and only under a signer list that verifies alike', async () => {
    const jobs = (await batch(11, 400)).filter((j) => {
      try {
        parseEnvelope(JSON.parse(Buffer.from(j.bytes).toString('utf8')), 'x');
        return true;
      } catch {
        return false;
      }
    });
    const items = jobs.map((j) => ({ envelope: parseEnvelope(JSON.parse(Buffer.from(j.bytes).toString('utf8')), 'x'), bytes: j.bytes }));
    const keys = [trusted[1]!, trusted[0]!];
    await preverifyEnvelopes(items, keys, { threads: 2, minJobs: 0 });
    for (const it of items) {
      expect(verifyEnvelopeMemo({ envelope: it.envelope }, keys)).to.deep.equal(verifyEnvelope({ envelope: it.envelope }, keys));
      // a fresh copy of the same signers verifies alike (same fingerprint); another order or set is verified afresh
      expect(verifyEnvelopeMemo({ envelope: it.envelope }, [trusted[1]!, trusted[0]!])).to.deep.equal(verifyEnvelope({ envelope: it.envelope }, keys));
      expect(verifyEnvelopeMemo({ envelope: it.envelope }, [trusted[0]!, trusted[1]!])).to.deep.equal(verifyEnvelope({ envelope: it.envelope }, [trusted[0]!, trusted[1]!]));
      expect(verifyEnvelopeMemo({ envelope: it.envelope }, [trusted[2]!])).to.deep.equal(verifyEnvelope({ envelope: it.envelope }, [trusted[2]!]));
    }
  });

  it('an empty batch is an empty answer', async () => {
    expect(await verifyBatch([], { threads: 2, minJobs: 0 })).to.deep.equal([]);
  });
});
