// One signature check of stored bytes, as the serial path does it: parse the DSSE envelope from the file
// bytes, then verify it under the candidate signers. The worker pool runs exactly this function, so its
// results are the serial path's by construction (and a property test holds it to that).
import { parseEnvelope } from '../core/dsse.js';
import { verifyEnvelope, type SignatureCheck } from '../sign/envelope.js';
import type { TrustedSigner } from '../sign/signer.js';

export function verifyStored(bytes: Uint8Array, sidecar: Buffer | null, keys: readonly TrustedSigner[]): SignatureCheck {
  let envelope;
  try {
    envelope = parseEnvelope(JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')), 'envelope');
  } catch {
    return { ok: false, why: 'not a DSSE envelope' };
  }
  return verifyEnvelope({ envelope, sidecar }, keys);
}
