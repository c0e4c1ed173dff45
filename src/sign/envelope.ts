// Signing and verifying DSSE envelopes over in-toto Statements. Verification is pure given the trusted
// keys: envelope in, named signer or a typed failure out.
import { pae, decodeBase64, envelopePayload, type DsseEnvelope, IN_TOTO_PAYLOAD_TYPE } from '../core/dsse.js';
import { canonicalize } from '../core/jcs.js';
import type { Signer, Tier, TrustedKey } from './signer.js';

export async function signStatement(statement: unknown, signer: Signer): Promise<DsseEnvelope> {
  const payload = Buffer.from(canonicalize(statement), 'utf8');
  const s = await signer.sign(pae(IN_TOTO_PAYLOAD_TYPE, payload));
  return { payloadType: IN_TOTO_PAYLOAD_TYPE, payload: payload.toString('base64'), signatures: [{ keyid: s.keyid, sig: s.sig.toString('base64') }] };
}

export interface SignatureCheck {
  ok: boolean;
  signer?: string;
  keyid?: string;
  tier?: Tier;
  why?: string;
}

/**
 * Accept when at least one signature verifies under a trusted key. keyid is an unauthenticated hint: it
 * picks which key to try first, never which key to trust.
 */
export function verifyEnvelope(env: DsseEnvelope, trusted: readonly TrustedKey[]): SignatureCheck {
  if (trusted.length === 0) return { ok: false, why: 'the policy trusts no signer for this role' };
  const data = pae(env.payloadType, envelopePayload(env));
  for (const s of env.signatures) {
    const sig = decodeBase64(s.sig);
    if (!sig) continue;
    const ordered = [...trusted].sort((a, b) => Number(b.keyid === s.keyid) - Number(a.keyid === s.keyid));
    for (const k of ordered) if (k.verify(data, sig)) return { ok: true, signer: k.name, keyid: k.keyid, tier: k.tier };
  }
  return { ok: false, why: 'no signature verifies under a trusted key' };
}
