// DSSE v1 envelopes: pre-authentication encoding and strict parsing. Pure.
import { CsaeError } from './errors.js';

export interface DsseSignature {
  keyid?: string;
  sig: string;
}
export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: DsseSignature[];
}

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN in UTF-8 bytes. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const t = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${t.length} `), t, Buffer.from(` ${payload.length} `), Buffer.from(payload)]);
}

const B64_RE = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

/** Decode standard or URL-safe base64 (DSSE says a verifier MUST accept either); null when malformed. */
export function decodeBase64(s: string): Buffer | null {
  if (typeof s !== 'string' || !B64_RE.test(s)) return null;
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Structural check of an envelope read from outside; throws schema-invalid naming the problem. */
export function parseEnvelope(value: unknown, where: string): DsseEnvelope {
  const bad = (why: string): never => {
    throw new CsaeError('schema-invalid', `${where}: not a DSSE envelope: ${why}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('expected a JSON object');
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) if (!['payloadType', 'payload', 'signatures'].includes(k)) bad(`unknown field "${k}"`);
  if (typeof v.payloadType !== 'string' || v.payloadType === '') bad('payloadType missing');
  if (typeof v.payload !== 'string') bad('payload is not base64');
  // one payload, one spelling: a stored envelope's bytes (and so its digest) must not vary with base64
  // slack. The round trip also rejects anything that is not base64, without a regex over the payload.
  if (Buffer.from(v.payload as string, 'base64').toString('base64') !== v.payload) bad('payload is not canonical standard base64 (padded, no URL-safe characters)');
  if (!Array.isArray(v.signatures) || v.signatures.length === 0) bad('no signatures');
  for (const s of v.signatures as unknown[]) {
    if (typeof s !== 'object' || s === null) bad('signature is not an object');
    const so = s as Record<string, unknown>;
    if (typeof so.sig !== 'string' || decodeBase64(so.sig) === null) bad('signature "sig" is not base64');
    if (so.keyid !== undefined && typeof so.keyid !== 'string') bad('keyid is not a string');
    for (const k of Object.keys(so)) if (k !== 'sig' && k !== 'keyid') bad(`unknown signature field "${k}"`);
  }
  return v as unknown as DsseEnvelope;
}

export function envelopePayload(env: DsseEnvelope): Buffer {
  // canonical base64 (everything csae stores) round-trips natively; anything else takes the strict path
  const fast = Buffer.from(env.payload, 'base64');
  const b = fast.toString('base64') === env.payload ? fast : decodeBase64(env.payload);
  if (!b) throw new CsaeError('schema-invalid', 'payload is not base64');
  return b;
}
