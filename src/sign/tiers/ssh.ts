// The `ssh` tier: the developer's existing SSH signing key. Signs with ssh-keygen (ssh.ts); verifies a
// DSSE signature object in-process against a policy entry `ssh: ssh-ed25519 AAAA...`.
import { resolve } from 'node:path';
import { decodeBase64, type DsseSignature } from '../../core/dsse.js';
import { publicKeyFromRaw } from '../key.js';
import { parseSshPublicKey, sshKeyFingerprint, sshSign, verifySshSig } from '../ssh.js';
import { CsaeError } from '../../core/errors.js';
import { readFileSync } from 'node:fs';
import { pae } from '../../core/dsse.js';
import type { KeyObject } from 'node:crypto';
import type { SignedEnvelope, SignedMaterial, Signer, TrustedSigner, Verification } from '../signer.js';
import type { SignerTier } from './tier.js';
import { paeOf } from './key.js';

export class SshSigner implements Signer {
  readonly tier = 'ssh' as const;
  readonly keyid: string;
  constructor(
    private readonly keyPath: string,
    private readonly env: Record<string, string | undefined>,
  ) {
    this.keyid = sshKeyFingerprint(keyPath); // reads and checks the public half now, not at the first signature
  }
  async sign(payloadType: string, payload: Buffer): Promise<SignedEnvelope> {
    const sig = await sshSign(this.keyPath, this.env, pae(payloadType, payload));
    return { envelope: { payloadType, payload: payload.toString('base64'), signatures: [{ keyid: this.keyid, sig: sig.toString('base64') }] } };
  }
}

export class SshTrustedKey implements TrustedSigner {
  readonly tier = 'ssh' as const;
  readonly keyid: string;
  private readonly blob: Buffer;
  private readonly key: KeyObject;
  constructor(
    readonly name: string,
    line: string,
  ) {
    const k = parseSshPublicKey(line);
    this.blob = k.blob;
    this.key = publicKeyFromRaw(k.raw);
    this.keyid = k.fingerprint;
  }
  /** SSHSIG over raw bytes (the primitive; verify() applies it to the envelope's PAE). */
  verifyBytes(data: Buffer, sig: Buffer): boolean {
    return verifySshSig(this.blob, this.key, data, sig);
  }
  verify(m: SignedMaterial, s: DsseSignature): Verification {
    const sig = decodeBase64(s.sig);
    if (!sig) return { ok: false };
    return this.verifyBytes(paeOf(m), sig) ? { ok: true, tier: 'ssh', keyid: this.keyid } : { ok: false };
  }
}

export const sshTier: SignerTier = {
  name: 'ssh',
  reported: 'ssh',
  names: (e) => e.ssh !== undefined,
  trusted: (e) => new SshTrustedKey(e.name, e.ssh!),
  entry(o) {
    if (!o.sshKey && !o.ssh) return null;
    let line = o.ssh ?? '';
    if (o.sshKey) {
      try {
        line = readFileSync(o.sshKey, 'utf8').split('\n').find((l) => l.trim() && !l.startsWith('#')) ?? '';
      } catch {
        throw new CsaeError('key-missing', `cannot read SSH public key ${o.sshKey}`);
      }
    }
    return { ssh: `ssh-ed25519 ${parseSshPublicKey(line).blob.toString('base64')}` };
  },
  async signer(o, ctx) {
    return o.sshKey ? new SshSigner(resolve(ctx.cwd, o.sshKey), ctx.env) : null;
  },
  record(o, ctx) {
    if (!o.sshKey) return null;
    const p = resolve(ctx.cwd, o.sshKey);
    sshKeyFingerprint(p);
    return `ssh:${p}`;
  },
  async fromRecord(rec, ctx) {
    return rec.startsWith('ssh:') ? new SshSigner(rec.slice(4), ctx.env) : null;
  },
};
