// Ed25519 key files for the `key` tier (tiers/key.ts) (private PKCS#8 PEM, public SPKI PEM). Keys come by path or by the
// *name* of an environment variable holding the PEM; key material is never printed or logged.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CsaeError } from '../core/errors.js';
import { sha256Hex } from '../core/digest.js';

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function rawPublicKey(pub: KeyObject): Buffer {
  const der = pub.export({ type: 'spki', format: 'der' });
  if (der.length !== 44 || !der.subarray(0, 12).equals(SPKI_ED25519_PREFIX)) throw new CsaeError('key-invalid', 'not an Ed25519 public key');
  return der.subarray(12);
}

/**
 * NOTE: one KeyObject per key material for the life of the process: a policy's signers are read once per
 * entry and per verdict on the cold paths, and building a KeyObject costs more than verifying with it. A
 * KeyObject is immutable and named by its exact bytes, so the memo cannot answer for another key.
 */
const keyObjects = new Map<string, KeyObject>();

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new CsaeError('key-invalid', `an Ed25519 public key is 32 bytes, got ${raw.length}`);
  const name = raw.toString('hex');
  let k = keyObjects.get(name);
  if (!k) keyObjects.set(name, (k = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' })));
  return k;
}

export function keyIdFor(raw: Buffer): string {
  return sha256Hex(raw);
}

export function generateKeyFiles(path: string): { publicPath: string; keyid: string } {
  for (const p of [path, path + '.pub']) {
    if (existsSync(p)) throw new CsaeError('usage', `${p} already exists; refusing to overwrite a key`, { next: 'choose another --out path, or remove the old key deliberately' });
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  try {
    // a fresh machine has no ~/.csae yet: make the key's directory, private to its owner
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    writeFileSync(path + '.pub', publicKey.export({ type: 'spki', format: 'pem' }), { flag: 'wx' });
  } catch (e) {
    throw new CsaeError('io', `could not write ${path}: ${(e as Error).message}`, { cause: e });
  }
  return { publicPath: path + '.pub', keyid: keyIdFor(rawPublicKey(publicKey)) };
}

export type KeySource = { path: string } | { envName: string; env: Record<string, string | undefined> };

function readPem(src: KeySource): string {
  if ('path' in src) {
    try {
      return readFileSync(src.path, 'utf8');
    } catch (e) {
      throw new CsaeError('key-missing', `cannot read key file ${src.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
        next: `csae keygen --out ${src.path}   (or pass the right --key PATH)`,
      });
    }
  }
  const v = src.env[src.envName];
  if (!v) throw new CsaeError('key-missing', `environment variable ${src.envName} is not set`, { next: `export ${src.envName}="$(cat path/to/key)"` });
  return v;
}

export function loadPrivateKey(src: KeySource): KeyObject {
  const pem = readPem(src);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new CsaeError('key-invalid', `${'path' in src ? src.path : '$' + src.envName} is not a PEM private key`, { next: 'csae keygen --out PATH makes one' });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new CsaeError('key-invalid', `${'path' in src ? src.path : '$' + src.envName} is a ${key.asymmetricKeyType} key; csae key signing uses Ed25519`);
  return key;
}

/** Load a public key from a .pub PEM file (or a private key file, whose public half is used). */
export function loadPublicKeyFile(path: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CsaeError('key-missing', `cannot read public key ${path}: ${(e as NodeJS.ErrnoException).code ?? ''}`, { next: 'csae keygen --out PATH writes PATH.pub' });
  }
  try {
    const k = text.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(text)) : createPublicKey(text);
    return rawPublicKey(k);
  } catch (e) {
    if (e instanceof CsaeError) throw e;
    throw new CsaeError('key-invalid', `${path} is not an Ed25519 PEM public key`);
  }
}
