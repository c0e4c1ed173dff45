// What a signer tier is: how it signs, how it verifies the material it stored, and how the policy names
// it. One module per tier implements this (key.ts, ssh.ts, sigstore.ts); index.ts lists them, and every
// caller (policy, init, resolve, checkpoints, publish) iterates that list instead of naming a tier.
import type { KeyObject } from 'node:crypto';
import type { Signer, SignerEntry, Tier, TierName, TrustedSigner } from '../signer.js';

/** The signing options every signing command takes (--key, --key-env, --ssh-key, --sigstore). */
export interface SignerOptions {
  key?: string;
  keyEnv?: string;
  sshKey?: string;
  sigstore?: boolean;
}

/** `csae policy trust` options naming the signer (file paths already resolved). */
export interface TrustOptions {
  key?: string;
  sshKey?: string;
  ssh?: string;
  sigstoreIssuer?: string;
  sigstoreIdentity?: string;
}

export interface SignContext {
  cwd: string;
  env: Record<string, string | undefined>;
}

/** Trust material a tier may need besides the policy entry (the Sigstore trusted root). */
export interface TrustContext {
  /** the trusted root JSON the policy names (sigstore.trustedRoot), read at the policy's revision; undefined: the pinned default */
  sigstoreTrustedRoot?: unknown;
  /** why the named trusted root could not be read (then keyless signatures verify under nobody) */
  sigstoreTrustedRootError?: string;
}

export interface SignerTier {
  readonly name: TierName;
  /** the trust tier reported for its signatures */
  readonly reported: Tier;
  /** does this policy entry name a signer of this tier? */
  names(e: SignerEntry): boolean;
  /** the trusted signer a policy entry declares (throws policy-invalid/key-invalid on a malformed one) */
  trusted(e: SignerEntry, t: TrustContext): TrustedSigner;
  /** the policy entry fields `csae policy trust` writes, or null when the options name another tier */
  entry(o: TrustOptions): Omit<SignerEntry, 'name'> | null;
  /** the signer the command's options name, or null when they name another tier */
  signer(o: SignerOptions, ctx: SignContext): Promise<Signer | null>;
  /** the clone default `csae init` records as csae.signer (checked now), or null */
  record(o: SignerOptions, ctx: SignContext): string | null;
  /** the signer a recorded csae.signer value names, or null when it is another tier's */
  fromRecord(rec: string, ctx: SignContext): Promise<Signer | null>;
  /** checkpoint (signed note) verification key of an entry, for tiers that have one */
  noteVerifier?(e: SignerEntry): { raw: Buffer; key: KeyObject };
}
