// Signing and verifying DSSE envelopes over in-toto Statements, for every tier. Verification is pure
// given the trusted signers: stored material in, the named signer or a typed failure out.
import { envelopePayload, type DsseEnvelope, IN_TOTO_PAYLOAD_TYPE } from '../core/dsse.js';
import { canonicalize } from '../core/jcs.js';
import type { SignedEnvelope, SignedMaterial, Signer, Tier, TrustedSigner } from './signer.js';

/** Sign `statement` (JCS bytes) with any tier; the result may carry a sidecar to store beside it. */
export async function signEnvelope(statement: unknown, signer: Signer): Promise<SignedEnvelope> {
  return signer.sign(IN_TOTO_PAYLOAD_TYPE, Buffer.from(canonicalize(statement), 'utf8'));
}

/** Sign where only the envelope is kept (VSA, tests): refuses a tier whose signature lives beside it. */
export async function signStatement(statement: unknown, signer: Signer): Promise<DsseEnvelope> {
  const s = await signEnvelope(statement, signer);
  if (s.sidecar) throw new Error(`a ${signer.tier} signature is stored beside the envelope; use signEnvelope and keep the sidecar`);
  return s.envelope;
}

export interface SignatureCheck {
  ok: boolean;
  signer?: string;
  keyid?: string;
  tier?: Tier;
  /** the certificate identity of a keyless signature (issuer + subject) */
  identity?: string;
  why?: string;
}

/**
 * Accept when at least one signature object verifies under a trusted signer. keyid is an unauthenticated
 * hint: it picks which signer to try first, never which to trust.
 */
export function verifyEnvelope(env: DsseEnvelope | SignedMaterial, trusted: readonly TrustedSigner[]): SignatureCheck {
  const m: SignedMaterial = 'signatures' in env ? { envelope: env } : env;
  if (trusted.length === 0) return { ok: false, why: 'the policy trusts no signer for this role' };
  // a payload that is not base64 verifies under nobody
  try {
    envelopePayload(m.envelope);
  } catch {
    return { ok: false, why: 'the payload is not base64' };
  }
  const reasons = new Set<string>();
  for (const s of m.envelope.signatures) {
    const ordered = [...trusted].sort((a, b) => Number(b.keyid === s.keyid) - Number(a.keyid === s.keyid));
    for (const t of ordered) {
      const r = t.verify(m, s);
      if (r.ok) return { ok: true, signer: t.name, keyid: r.keyid, tier: r.tier, ...(r.identity ? { identity: r.identity } : {}) };
      if (r.why) reasons.add(`${t.name}: ${r.why}`);
    }
  }
  return { ok: false, why: `no signature verifies under a trusted key${reasons.size ? ` (${[...reasons].join('; ')})` : ''}` };
}
