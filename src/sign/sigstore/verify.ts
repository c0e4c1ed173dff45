// Offline verification of a Sigstore bundle (v0.1-v0.3) against a trusted root and an identity compared
// exactly. Pure: bundle, trusted root and artifact in as data, a result out; no network, no clock (the
// certificate is checked at the bundle's own timestamps: Rekor's integrated time or an RFC 3161 stamp).
// The sigstore libraries are CommonJS and loaded on first use with require(), so nothing on the hook's
// fast path pays for them unless a keyless signature is being checked.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

export interface SigstoreIdentity {
  issuer: string;
  subject: string;
}

export interface VerifySigstoreInput {
  /** the Sigstore bundle, as parsed JSON */
  bundle: unknown;
  /** the signed bytes of a message signature; for a DSSE bundle, an artifact whose sha256 a subject must name */
  artifact?: Uint8Array;
  /** the trusted root (dev.sigstore.trustedroot.v0.1+json), as parsed JSON */
  trustedRoot: unknown;
  /** OIDC issuer, compared exactly with the certificate's issuer extension */
  issuer: string;
  /** certificate identity (SAN: URI or email), compared exactly — never as a pattern */
  identity: string;
}

export type SigstoreErrorCode = 'bundle-invalid' | 'trusted-root-invalid' | 'verification-failed' | 'identity-mismatch' | 'issuer-mismatch' | 'artifact-mismatch';

export interface VerifySigstoreResult {
  ok: boolean;
  /** the certificate identity that verified (also set when only the identity or issuer differs) */
  identity: SigstoreIdentity | null;
  error?: string;
  code?: SigstoreErrorCode;
}

interface Libs {
  bundle: typeof import('@sigstore/bundle');
  verify: typeof import('@sigstore/verify');
  specs: typeof import('@sigstore/protobuf-specs');
}
let libs: Libs | null = null;
function load(): Libs {
  if (!libs) {
    const req = createRequire(import.meta.url);
    libs = { bundle: req('@sigstore/bundle'), verify: req('@sigstore/verify'), specs: req('@sigstore/protobuf-specs') };
  }
  return libs;
}

// trust material built once per trusted root object (a replay checks many bundles under one root)
const materialMemo = new WeakMap<object, unknown>();

function fail(code: SigstoreErrorCode, error: string, identity: SigstoreIdentity | null = null): VerifySigstoreResult {
  return { ok: false, identity, error, code };
}

export function verifySigstoreBundle(input: VerifySigstoreInput): VerifySigstoreResult {
  const L = load();
  if (typeof input.issuer !== 'string' || !input.issuer || typeof input.identity !== 'string' || !input.identity) return fail('identity-mismatch', 'no issuer and identity to verify against');
  let bundle: ReturnType<typeof L.bundle.bundleFromJSON>;
  try {
    bundle = L.bundle.bundleFromJSON(input.bundle);
  } catch (e) {
    return fail('bundle-invalid', `not a valid Sigstore bundle: ${(e as Error).message}`);
  }
  let material = typeof input.trustedRoot === 'object' && input.trustedRoot ? materialMemo.get(input.trustedRoot) : undefined;
  if (!material) {
    try {
      material = L.verify.toTrustMaterial(L.specs.TrustedRoot.fromJSON(input.trustedRoot));
      if (typeof input.trustedRoot === 'object' && input.trustedRoot) materialMemo.set(input.trustedRoot, material);
    } catch (e) {
      return fail('trusted-root-invalid', `the trusted root is not usable: ${(e as Error).message}`);
    }
  }
  const content = bundle.content;
  // keyless only: a bundle whose key is a hint (a managed key) has no identity to compare
  if (bundle.verificationMaterial.content.$case === 'publicKey') return fail('verification-failed', 'the bundle is signed with a key, not a certificate: there is no identity to check');
  let signer: ReturnType<InstanceType<typeof L.verify.Verifier>['verify']>;
  try {
    const entity = L.verify.toSignedEntity(bundle, content.$case === 'messageSignature' && input.artifact ? Buffer.from(input.artifact) : undefined);
    signer = new L.verify.Verifier(material as ReturnType<typeof L.verify.toTrustMaterial>, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 }).verify(entity);
  } catch (e) {
    const err = e as Error & { code?: string };
    return fail('verification-failed', `the Sigstore bundle does not verify: ${err.code ? err.code + ': ' : ''}${err.message}`);
  }
  const got: SigstoreIdentity = { issuer: signer.identity?.extensions?.issuer ?? '', subject: signer.identity?.subjectAlternativeName ?? '' };
  // exact comparison (sigstore-js matches the SAN as an unanchored regular expression)
  if (got.issuer !== input.issuer) return fail('issuer-mismatch', `certificate issuer ${JSON.stringify(got.issuer)} is not the trusted issuer ${JSON.stringify(input.issuer)}`, got);
  if (got.subject !== input.identity) return fail('identity-mismatch', `certificate identity ${JSON.stringify(got.subject)} is not the trusted identity ${JSON.stringify(input.identity)}`, got);
  if (content.$case === 'dsseEnvelope' && input.artifact) {
    const want = createHash('sha256').update(input.artifact).digest('hex');
    let named = false;
    try {
      const stmt = JSON.parse(Buffer.from(content.dsseEnvelope.payload).toString('utf8')) as { subject?: Array<{ digest?: Record<string, string> }> };
      named = Array.isArray(stmt.subject) && stmt.subject.some((s) => s?.digest?.sha256 === want);
    } catch {
      named = false;
    }
    if (!named) return fail('artifact-mismatch', `no in-toto subject of the DSSE payload has the artifact's sha256 ${want}`, got);
  }
  return { ok: true, identity: got };
}
