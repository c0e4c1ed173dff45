// The `sigstore` tier: keyless signing in CI. A policy names it by OIDC issuer and certificate identity
// (`sigstore: {issuer, identity}`), both compared exactly.
import type { DsseSignature } from '../../core/dsse.js';
import { CsaeError } from '../../core/errors.js';
import type { SignedMaterial, SignerEntry, TrustedSigner, Verification } from '../signer.js';
import type { SignerTier } from './tier.js';

class SigstoreIdentity implements TrustedSigner {
  readonly tier = 'sigstore' as const;
  readonly keyid: string;
  constructor(
    readonly name: string,
    readonly issuer: string,
    readonly identity: string,
  ) {
    this.keyid = `${issuer} ${identity}`;
  }
  verify(_m: SignedMaterial, _s: DsseSignature): Verification {
    return { ok: false, why: 'keyless (sigstore) verification is not available in this version' };
  }
}

export const sigstoreTier: SignerTier = {
  name: 'sigstore',
  reported: 'sigstore+rekor',
  names: (e) => e.sigstore !== undefined,
  trusted: (e: SignerEntry) => new SigstoreIdentity(e.name, e.sigstore!.issuer, e.sigstore!.identity),
  entry(o) {
    if (!o.sigstoreIssuer && !o.sigstoreIdentity) return null;
    if (!o.sigstoreIssuer || !o.sigstoreIdentity) throw new CsaeError('usage', 'a keyless signer needs both --sigstore-issuer URL and --sigstore-identity ID');
    return { sigstore: { issuer: o.sigstoreIssuer, identity: o.sigstoreIdentity } };
  },
  async signer(o) {
    if (o.sigstore) throw new CsaeError('usage', '--sigstore signing is not available in this version; use --key PATH (Ed25519) or --ssh-key PATH');
    return null;
  },
  record: () => null,
  fromRecord: async () => null,
};
