// The `key` tier: Ed25519 key files (csae keygen). Signs PAE bytes with the private key; verifies a DSSE
// signature object against a policy entry `key: ed25519:<base64 raw public key>`. The only tier whose
// key also signs checkpoints (signed notes need a long-lived Ed25519 key).
import { createPublicKey, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { decodeBase64, envelopePayload, pae, type DsseSignature } from '../../core/dsse.js';
import { CsaeError } from '../../core/errors.js';
import { keyIdFor, loadPrivateKey, loadPublicKeyFile, publicKeyFromRaw, rawPublicKey } from '../key.js';
import type { SignedEnvelope, SignedMaterial, Signer, SignerEntry, TrustedSigner, Verification } from '../signer.js';
import type { SignerTier } from './tier.js';

export class KeySigner implements Signer {
  readonly tier = 'key' as const;
  readonly keyid: string;
  private readonly key: KeyObject;
  constructor(key: KeyObject) {
    this.key = key;
    this.keyid = keyIdFor(rawPublicKey(createPublicKey(key)));
  }
  async sign(payloadType: string, payload: Buffer): Promise<SignedEnvelope> {
    const sig = edSign(null, pae(payloadType, payload), this.key);
    return { envelope: { payloadType, payload: payload.toString('base64'), signatures: [{ keyid: this.keyid, sig: sig.toString('base64') }] } };
  }
  noteSigner(name: string): { name: string; privateKey: KeyObject } {
    return { name, privateKey: this.key };
  }
}

// PAE bytes once per envelope, however many trusted keys are tried
const paeMemo = new WeakMap<object, Buffer>();
export function paeOf(m: SignedMaterial): Buffer {
  let b = paeMemo.get(m.envelope);
  if (!b) paeMemo.set(m.envelope, (b = pae(m.envelope.payloadType, envelopePayload(m.envelope))));
  return b;
}

export class Ed25519TrustedKey implements TrustedSigner {
  readonly tier = 'key' as const;
  readonly keyid: string;
  private readonly key: KeyObject;
  readonly portableEd25519: Uint8Array;
  constructor(
    readonly name: string,
    readonly raw: Buffer,
  ) {
    this.key = publicKeyFromRaw(raw);
    this.keyid = keyIdFor(raw);
    this.portableEd25519 = raw;
  }
  verify(m: SignedMaterial, s: DsseSignature): Verification {
    const sig = decodeBase64(s.sig);
    if (!sig || sig.length !== 64) return { ok: false };
    try {
      return edVerify(null, paeOf(m), this.key, sig) ? { ok: true, tier: 'key', keyid: this.keyid } : { ok: false };
    } catch {
      return { ok: false };
    }
  }
}

/** The raw public key of a policy entry `ed25519:<base64>`. */
export function entryRawKey(e: SignerEntry): Buffer {
  return Buffer.from(e.key!.slice('ed25519:'.length), 'base64');
}

export const keyTier: SignerTier = {
  name: 'key',
  reported: 'key',
  names: (e) => e.key !== undefined,
  trusted: (e) => new Ed25519TrustedKey(e.name, entryRawKey(e)),
  entry: (o) => (o.key ? { key: 'ed25519:' + loadPublicKeyFile(o.key).toString('base64') } : null),
  async signer(o, ctx) {
    if (o.key) return new KeySigner(loadPrivateKey({ path: resolve(ctx.cwd, o.key) }));
    if (o.keyEnv) return new KeySigner(loadPrivateKey({ envName: o.keyEnv, env: ctx.env }));
    return null;
  },
  record(o, ctx) {
    if (o.key) {
      const p = resolve(ctx.cwd, o.key);
      loadPrivateKey({ path: p });
      return `key:${p}`;
    }
    if (o.keyEnv) {
      loadPrivateKey({ envName: o.keyEnv, env: ctx.env });
      return `key-env:${o.keyEnv}`;
    }
    return null;
  },
  async fromRecord(rec, ctx) {
    if (rec.startsWith('key:')) return new KeySigner(loadPrivateKey({ path: rec.slice(4) }));
    if (rec.startsWith('key-env:')) return new KeySigner(loadPrivateKey({ envName: rec.slice(8), env: ctx.env }));
    return null;
  },
  noteVerifier: (e) => {
    const raw = entryRawKey(e);
    return { raw, key: publicKeyFromRaw(raw) };
  },
};

/** Throws unless `signer` can sign checkpoints (a signed note needs an Ed25519 key). */
export function noteSignerOf(signer: Signer, name: string): { name: string; privateKey: KeyObject } {
  if (!signer.noteSigner) throw new CsaeError('config', `a ${signer.tier} signer cannot sign checkpoints (signed notes need an Ed25519 key)`, { next: 'csae mirror checkpoint --key PATH' });
  return signer.noteSigner(name);
}
