// A signature worker (worker_threads): rebuilds the `key`-tier signers it was given, then answers batches
// of stored envelopes with verifyStored's results, in order. Started only by pool.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { Ed25519TrustedKey } from '../sign/tiers/key.js';
import { verifyStored } from './serial.js';
import type { PortableKey, WorkerBatch, WorkerReply } from './pool.js';

const keysets = (workerData as { keysets: PortableKey[][] }).keysets.map((ks) => ks.map((k) => new Ed25519TrustedKey(k.name, Buffer.from(k.raw))));

parentPort!.on('message', (m: WorkerBatch) => {
  const data = new Uint8Array(m.data);
  const results = m.items.map((it) => verifyStored(data.subarray(it.at, it.at + it.len), null, keysets[it.ks]!));
  parentPort!.postMessage({ id: m.id, results } satisfies WorkerReply);
});
