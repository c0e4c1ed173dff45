// Signing roles: one-method interfaces (sigstore-js style). A Signer turns a payload into a signed DSSE
// envelope (and, for tiers that keep more than the envelope, the material stored beside it); a
// TrustedSigner checks one signature object of what was stored. Tiers (key, ssh, sigstore) implement both
// and say how the policy names them: see tiers/index.ts, the registry. Depends on core/ only.
import type { KeyObject } from 'node:crypto';
import type { DsseEnvelope, DsseSignature } from '../core/dsse.js';

/** How a policy names a signer: one field of a signer entry per tier. */
export type TierName = 'key' | 'ssh' | 'sigstore';
/** The trust tier reported for a verified signature: precise, never over-claimed. */
export type Tier = 'key' | 'ssh' | 'sigstore+rekor' | 'unchecked';
// 'unchecked': the mirror guard without a policy checks structure only, never a signature

/** A policy signer entry (.csae/policy.yaml `signers.<role>[]`): a name and exactly one tier field. */
export interface SignerEntry {
  name: string;
  email?: string;
  key?: string; // ed25519:<base64 raw public key>
  ssh?: string; // ssh-ed25519 <base64 blob>
  sigstore?: { issuer: string; identity: string };
}

/** What signing produced: the envelope to store, and the tier's material stored beside it, if any. */
export interface SignedEnvelope {
  envelope: DsseEnvelope;
  /** the Sigstore bundle (.sigstore.json) of a keyless signature; absent for key and ssh */
  sidecar?: Buffer;
}

export interface Signer {
  readonly tier: TierName;
  /** the key id, when the signer knows it before signing (key, ssh); keyless signers learn theirs from the certificate */
  readonly keyid?: string;
  sign(payloadType: string, payload: Buffer): Promise<SignedEnvelope>;
  /** the same key as a signed-note signer (checkpoints): only tiers with a long-lived Ed25519 key have one */
  noteSigner?(name: string): { name: string; privateKey: KeyObject };
}

/** Stored material as read back: the envelope and the bytes stored beside it (null when there are none). */
export interface SignedMaterial {
  envelope: DsseEnvelope;
  sidecar?: Buffer | null;
}

export type Verification = { ok: true; tier: Tier; keyid: string; identity?: string } | { ok: false; why?: string };

/** A signer the policy trusts for a role, under a name. */
export interface TrustedSigner {
  readonly name: string;
  readonly tier: TierName;
  /** key id (key), SHA256 fingerprint (ssh), issuer + identity (sigstore) */
  readonly keyid: string;
  /** Check one signature object of the stored material. A failure's `why` is set only when it says more than "not this signer". */
  verify(m: SignedMaterial, sig: DsseSignature): Verification;
  /**
   * The raw Ed25519 public key, for a tier whose signature is plain Ed25519 over the DSSE PAE: such a
   * signer can be rebuilt in a worker thread (verify/pool.ts). Absent for every other tier.
   */
  readonly portableEd25519?: Uint8Array;
}
