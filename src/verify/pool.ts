// Parallel signature verification for the cold paths (a fresh clone verifying 10,000 entries and their
// verdicts): a batch of jobs (stored envelope bytes + the signers that may have signed it) in, one
// SignatureCheck per job out, in order, identical to verifyStored() run serially. Work is spread over
// worker threads, one per core (os.availableParallelism), in chunks each worker pulls when it is free.
//
// Only `key`-tier signers (raw Ed25519 keys) travel to workers. A job whose signers include another tier
// (ssh, sigstore) or that carries a sidecar runs serially here; so does a batch too small to repay
// starting threads (~30-60 ms each).
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { verifyEnvelope, type SignatureCheck } from '../sign/envelope.js';
import type { SignedMaterial, TrustedSigner } from '../sign/signer.js';
import type { DsseEnvelope } from '../core/dsse.js';
import { verifyStored } from './serial.js';

export interface VerifyJob {
  /** the stored envelope file (JCS bytes + newline), exactly as read from the mirror */
  bytes: Uint8Array;
  /** the signers that may have signed it (a role's trusted signers) */
  keys: readonly TrustedSigner[];
  /** material stored beside the envelope (a Sigstore bundle): such jobs run serially */
  sidecar?: Buffer | null;
}

export interface PoolOptions {
  /** worker threads (default: the machine's available parallelism); 0 or 1 verifies serially */
  threads?: number;
  /** below this many parallel-capable jobs the batch runs serially (default 256) */
  minJobs?: number;
  /** called after each finished chunk with the jobs done so far */
  onProgress?: (done: number, total: number) => void;
}

/** @internal the worker protocol */
export interface PortableKey {
  name: string;
  raw: Uint8Array;
}
/** @internal */
export interface WorkerBatch {
  id: number;
  data: ArrayBuffer;
  items: Array<{ at: number; len: number; ks: number }>;
}
/** @internal */
export interface WorkerReply {
  id: number;
  results: SignatureCheck[];
}

const CHUNK = 128;

/** The signers as data a worker can rebuild, or null when any of them is not a raw Ed25519 key. */
function portable(keys: readonly TrustedSigner[]): PortableKey[] | null {
  const out: PortableKey[] = [];
  for (const k of keys) {
    if (!k.portableEd25519) return null;
    out.push({ name: k.name, raw: new Uint8Array(k.portableEd25519) });
  }
  return out;
}

/** Verify every job; results[i] is what verifyStored(jobs[i]) returns. */
export async function verifyBatch(jobs: readonly VerifyJob[], o: PoolOptions = {}): Promise<SignatureCheck[]> {
  const results: Array<SignatureCheck | undefined> = new Array(jobs.length);
  const keysetIndex = new Map<readonly TrustedSigner[], number>();
  const keysets: PortableKey[][] = [];
  const parallel: Array<{ i: number; ks: number }> = [];
  const serial: number[] = [];
  jobs.forEach((j, i) => {
    if (j.sidecar) return serial.push(i);
    let ks = keysetIndex.get(j.keys);
    if (ks === undefined) {
      const p = portable(j.keys);
      ks = p ? keysets.push(p) - 1 : -1;
      keysetIndex.set(j.keys, ks);
    }
    if (ks < 0) serial.push(i);
    else parallel.push({ i, ks });
  });
  const threads = Math.min(o.threads ?? availableParallelism(), Math.ceil(parallel.length / CHUNK));
  let done = 0;
  const progress = (n: number): void => {
    done += n;
    o.onProgress?.(done, jobs.length);
  };
  if (threads < 2 || parallel.length < (o.minJobs ?? 256)) {
    serial.push(...parallel.map((p) => p.i));
    parallel.length = 0;
  }
  const work = parallel.length ? runWorkers(jobs, parallel, keysets, threads, results, progress) : Promise.resolve();
  // the serial remainder runs here while the workers run
  for (let k = 0; k < serial.length; k++) {
    const j = jobs[serial[k]!]!;
    results[serial[k]!] = verifyStored(j.bytes, j.sidecar ?? null, j.keys);
    if ((k + 1) % CHUNK === 0 || k + 1 === serial.length) progress(((k + 1) % CHUNK) || CHUNK);
  }
  await work;
  // a worker that failed leaves its jobs unanswered: they are verified here, the same way
  for (let i = 0; i < jobs.length; i++) if (!results[i]) results[i] = verifyStored(jobs[i]!.bytes, jobs[i]!.sidecar ?? null, jobs[i]!.keys);
  return results as SignatureCheck[];
}

function workerUrl(): URL {
  // in the bundled CLI (dist/cli.mjs) the worker is its own bundle beside it; otherwise the compiled module
  const bundled = new URL('./verify-worker.mjs', import.meta.url);
  return existsSync(fileURLToPath(bundled)) ? bundled : new URL('./worker.js', import.meta.url);
}

async function runWorkers(jobs: readonly VerifyJob[], parallel: ReadonlyArray<{ i: number; ks: number }>, keysets: PortableKey[][], threads: number, results: Array<SignatureCheck | undefined>, progress: (n: number) => void): Promise<void> {
  const chunks: Array<Array<{ i: number; ks: number }>> = [];
  for (let k = 0; k < parallel.length; k += CHUNK) chunks.push(parallel.slice(k, k + CHUNK));
  let next = 0;
  const url = workerUrl();
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      let w: Worker;
      try {
        w = new Worker(url, { workerData: { keysets } });
      } catch {
        return resolve(); // no threads here: the caller verifies what is left
      }
      let current: Array<{ i: number; ks: number }> | null = null;
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        current = null;
        void w.terminate().then(
          () => resolve(),
          () => resolve(),
        );
      };
      const send = (): void => {
        if (next >= chunks.length) return finish();
        current = chunks[next++]!;
        // one fresh buffer per chunk, transferred (a Buffer view would clone its whole pool)
        let total = 0;
        for (const c of current) total += jobs[c.i]!.bytes.byteLength;
        const data = new Uint8Array(total);
        const items: WorkerBatch['items'] = [];
        let at = 0;
        for (const c of current) {
          const b = jobs[c.i]!.bytes;
          data.set(b, at);
          items.push({ at, len: b.byteLength, ks: c.ks });
          at += b.byteLength;
        }
        w.postMessage({ id: next, data: data.buffer, items } satisfies WorkerBatch, [data.buffer]);
      };
      w.on('message', (m: WorkerReply) => {
        const c = current;
        if (!c || m.results.length !== c.length) return finish(); // unanswered jobs are verified by the caller
        c.forEach((x, k) => (results[x.i] = m.results[k]));
        progress(c.length);
        send();
      });
      w.on('error', finish);
      w.on('exit', finish);
      send();
    });
  await Promise.all(Array.from({ length: threads }, one));
}

/** Signature results computed ahead, looked up by the very bytes object and signer list they were computed for. */
export interface SignatureMemo {
  get(bytes: Uint8Array, keys: readonly TrustedSigner[], sidecar?: Buffer | null): SignatureCheck | undefined;
  readonly size: number;
}

/**
 * Verify `jobs` ahead (in parallel) and remember each result by its job's bytes object and signer list:
 * a later serial check of the same bytes under the same signers reads the answer instead of verifying.
 * Jobs with a sidecar are not remembered (the later check verifies them itself).
 */
export async function preverify(jobs: readonly VerifyJob[], o: PoolOptions = {}): Promise<SignatureMemo> {
  const plain = jobs.filter((j) => !j.sidecar);
  const results = await verifyBatch(plain, o);
  const memo = new WeakMap<Uint8Array, { keys: readonly TrustedSigner[]; result: SignatureCheck }>();
  plain.forEach((j, i) => memo.set(j.bytes, { keys: j.keys, result: results[i]! }));
  return {
    size: plain.length,
    get(bytes, keys, sidecar) {
      if (sidecar) return undefined;
      const m = memo.get(bytes);
      return m && m.keys === keys ? m.result : undefined;
    },
  };
}

// ---- envelopes verified ahead (verdicts read by the validator and the audit walk) ----

/** Signer lists that verify alike share a fingerprint: tier, name and key id, in order (the first match names the signer). */
export function signersFingerprint(keys: readonly TrustedSigner[]): string {
  return keys.map((k) => `${k.tier}\u0000${k.name}\u0000${k.keyid}`).join('\u0001');
}

const envelopeMemo = new WeakMap<DsseEnvelope, Map<string, SignatureCheck>>();

/**
 * Verify parsed envelopes ahead, in parallel, from the bytes each was parsed from (or their canonical
 * form), and remember the answers on the envelope objects for verifyEnvelopeMemo.
 */
export async function preverifyEnvelopes(items: ReadonlyArray<{ envelope: DsseEnvelope; bytes: Uint8Array }>, keys: readonly TrustedSigner[], o: PoolOptions = {}): Promise<void> {
  const results = await verifyBatch(items.map((it) => ({ bytes: it.bytes, keys })), o);
  const fp = signersFingerprint(keys);
  items.forEach((it, i) => {
    let m = envelopeMemo.get(it.envelope);
    if (!m) envelopeMemo.set(it.envelope, (m = new Map()));
    m.set(fp, results[i]!);
  });
}

/** verifyEnvelope, answered from preverifyEnvelopes when it saw this envelope object under these signers. */
export function verifyEnvelopeMemo(m: SignedMaterial, keys: readonly TrustedSigner[]): SignatureCheck {
  if (!m.sidecar) {
    const hit = envelopeMemo.get(m.envelope)?.get(signersFingerprint(keys));
    if (hit) return hit;
  }
  return verifyEnvelope(m, keys);
}
