// Deterministic Ed25519 keys for the bench: each from a fixed 32-byte seed (sha256 of a label), wrapped
// as PKCS#8 DER (prefix 302e020100300506032b657004220420 + seed). Same seed, same key, same signatures.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { rawPublicKey } from '../src/sign/key.js';
import { KeySigner } from '../src/sign/tiers/key.js';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface BenchKey {
  label: string;
  seed: Buffer;
  privateKey: KeyObject;
  publicKey: KeyObject;
  raw: Buffer; // 32-byte public key
  policyKey: string; // ed25519:<base64 raw>
  signer: KeySigner;
}

export function seededKey(label: string): BenchKey {
  const seed = createHash('sha256').update(`csae-bench/v1/${label}`).digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const raw = rawPublicKey(publicKey);
  return { label, seed, privateKey, publicKey, raw, policyKey: `ed25519:${raw.toString('base64')}`, signer: new KeySigner(privateKey) };
}

/** Write the private key as the PKCS#8 PEM file `csae --key PATH` reads (mode 0600). */
export function writeKeyFile(k: BenchKey, path: string): string {
  writeFileSync(path, k.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(path + '.pub', k.publicKey.export({ type: 'spki', format: 'pem' }));
  return path;
}
