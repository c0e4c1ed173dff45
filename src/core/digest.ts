// Digests. Pure; node:crypto only.
import { createHash } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

export function isDigestRef(s: string): boolean {
  return DIGEST_RE.test(s);
}
