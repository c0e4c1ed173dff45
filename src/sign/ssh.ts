// SSHSIG for the `ssh` tier (tiers/ssh.ts): the developer's existing SSH signing key. Signing runs `ssh-keygen -Y sign -n csae`
// (so keys in ssh-agent or with passphrases work as git's gpg.format=ssh does); verification is done
// in-process from the SSHSIG format (PROTOCOL.sshsig) for ssh-ed25519 keys, so a replay of thousands of
// entries spawns nothing. Policy entries are OpenSSH public keys, optionally with an allowed-signers
// principal in front.
import { spawn } from 'node:child_process';
import { createHash, verify as edVerify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CsaeError } from '../core/errors.js';

export const SSH_NAMESPACE = 'csae';

class Reader {
  private pos = 0;
  constructor(private readonly b: Buffer) {}
  u32(): number {
    if (this.pos + 4 > this.b.length) throw new Error('truncated');
    const v = this.b.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Buffer {
    if (n < 0 || this.pos + n > this.b.length) throw new Error('truncated');
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  string(): Buffer {
    return this.bytes(this.u32());
  }
  get done(): boolean {
    return this.pos === this.b.length;
  }
}

function sshString(b: Buffer | string): Buffer {
  const v = Buffer.isBuffer(b) ? b : Buffer.from(b);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(v.length);
  return Buffer.concat([len, v]);
}

/** Parse "ssh-ed25519 AAAA... [comment]" or "principal ssh-ed25519 AAAA... [comment]". */
export function parseSshPublicKey(line: string): { blob: Buffer; raw: Buffer; fingerprint: string } {
  const parts = line.trim().split(/\s+/);
  const i = parts.findIndex((p) => /^(ssh-|ecdsa-|sk-)/.test(p));
  if (i < 0 || !parts[i + 1]) throw new CsaeError('key-invalid', 'not an OpenSSH public key line (expected "ssh-ed25519 AAAA...")');
  if (parts[i] !== 'ssh-ed25519') throw new CsaeError('key-invalid', `${parts[i]} keys are not supported for csae signing; use an ssh-ed25519 key`, { next: 'ssh-keygen -t ed25519 -f ~/.ssh/csae_ed25519' });
  const blob = Buffer.from(parts[i + 1]!, 'base64');
  let raw: Buffer;
  try {
    const r = new Reader(blob);
    if (r.string().toString() !== 'ssh-ed25519') throw new Error('type');
    raw = Buffer.from(r.string());
    if (raw.length !== 32 || !r.done) throw new Error('length');
  } catch {
    throw new CsaeError('key-invalid', 'the ssh-ed25519 key blob is malformed');
  }
  return { blob, raw, fingerprint: 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '') };
}

/** The bytes an SSHSIG signature covers (PROTOCOL.sshsig). */
function signedData(namespace: string, hashAlg: string, message: Buffer): Buffer {
  const h = createHash(hashAlg).update(message).digest();
  return Buffer.concat([Buffer.from('SSHSIG'), sshString(namespace), sshString(''), sshString(hashAlg), sshString(h)]);
}

/** Verify an SSHSIG blob (PROTOCOL.sshsig) by ssh-ed25519 key `blob`/`key` over `data` in the csae namespace. */
export function verifySshSig(blob: Buffer, key: KeyObject, data: Buffer, sig: Buffer): boolean {
  try {
    const r = new Reader(sig);
    if (r.bytes(6).toString() !== 'SSHSIG' || r.u32() !== 1) return false;
    if (!r.string().equals(blob)) return false;
    const ns = r.string().toString();
    r.string(); // reserved
    const hashAlg = r.string().toString();
    const inner = new Reader(r.string());
    if (!r.done || ns !== SSH_NAMESPACE || (hashAlg !== 'sha512' && hashAlg !== 'sha256')) return false;
    if (inner.string().toString() !== 'ssh-ed25519') return false;
    const s = inner.string();
    if (s.length !== 64 || !inner.done) return false;
    return edVerify(null, signedData(ns, hashAlg, data), key, s);
  } catch {
    return false;
  }
}

/** The fingerprint of the public half beside `keyPath` (KEY.pub), read and checked now. */
export function sshKeyFingerprint(keyPath: string): string {
  let pub: string;
  try {
    pub = readFileSync(keyPath.endsWith('.pub') ? keyPath : keyPath + '.pub', 'utf8');
  } catch {
    throw new CsaeError('key-missing', `cannot read ${keyPath}.pub (the public half of the SSH key)`, { next: 'ssh-keygen -y -f KEY > KEY.pub' });
  }
  return parseSshPublicKey(pub).fingerprint;
}

/** Sign `data` with `ssh-keygen -Y sign -n csae` (agent and passphrase handling as git's gpg.format=ssh); the raw SSHSIG blob. */
export function sshSign(keyPath: string, env: Record<string, string | undefined>, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh-keygen', ['-Y', 'sign', '-n', SSH_NAMESPACE, '-f', keyPath], { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(new CsaeError('git-missing', `could not run ssh-keygen: ${e.message}`, { next: 'install OpenSSH (ssh-keygen) 8.1 or newer' })));
    child.on('close', (code) => {
      const armored = Buffer.concat(out).toString();
      const m = /-----BEGIN SSH SIGNATURE-----([\s\S]*?)-----END SSH SIGNATURE-----/.exec(armored);
      if (code !== 0 || !m) return reject(new CsaeError('key-invalid', `ssh-keygen could not sign with ${keyPath}: ${Buffer.concat(err).toString().trim() || 'exit ' + code}`));
      resolve(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
    });
    child.stdin.end(data);
  });
}
