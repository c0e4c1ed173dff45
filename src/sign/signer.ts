// Signing roles: one-method interfaces (sigstore-js style). A Signer turns bytes into a signature; a
// TrustedKey checks one. Envelope-level signing and verification live in envelope.ts.
export type Tier = 'key' | 'ssh' | 'sigstore+rekor';

export interface Signature {
  keyid: string;
  sig: Buffer;
}

export interface Signer {
  readonly tier: Tier;
  readonly keyid: string;
  sign(data: Buffer): Promise<Signature>;
}

/** A public key the policy trusts, under a name. */
export interface TrustedKey {
  readonly name: string;
  readonly tier: Tier;
  readonly keyid: string;
  verify(data: Buffer, sig: Buffer): boolean;
}
