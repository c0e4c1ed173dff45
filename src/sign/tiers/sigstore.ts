// The `sigstore` tier: keyless signing in CI. A policy names it by OIDC issuer and certificate identity
// (`sigstore: {issuer, identity}`), both compared exactly. What it stores beside the DSSE envelope is the
// Sigstore bundle (.sigstore.json); verifying it is offline: the bundle's envelope must be the stored
// envelope byte for byte, and the bundle must verify under the trusted root the policy names (default:
// the public-good root pinned in this package) with the certificate valid at the tlog's integrated time.
// The sigstore libraries load only when a keyless signature is made or checked (sigstore/*.ts).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DsseSignature } from '../../core/dsse.js';
import { CsaeError } from '../../core/errors.js';
import { canonicalize } from '../../core/jcs.js';
import type { SignedMaterial, SignerEntry, TrustedSigner, Verification } from '../signer.js';
import type { SignerTier, TrustContext } from './tier.js';
// light modules: each requires the sigstore libraries only when called
import { verifySigstoreBundle } from '../sigstore/verify.js';
import { SigstoreSigner, ambientTokenSource, servicesFrom } from '../sigstore/sign.js';

export const SIGSTORE_BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const ROOT_FILE = 'sigstore-public-good.trusted_root.json';

let pinned: unknown;
/** The public-good trusted root pinned in the package (trust/), found from this module or the bundled hook. */
export function pinnedTrustedRoot(): unknown {
  if (pinned) return pinned;
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, d = dirname(d)) {
    const f = join(d, 'trust', ROOT_FILE);
    if (existsSync(f)) return (pinned = JSON.parse(readFileSync(f, 'utf8')));
  }
  throw new CsaeError('io', `the pinned Sigstore trusted root (trust/${ROOT_FILE}) is missing from the installation`, { next: 'reinstall csae, or csae policy set sigstore.trustedRoot PATH' });
}

export class SigstoreIdentity implements TrustedSigner {
  readonly tier = 'sigstore' as const;
  readonly keyid: string;
  constructor(
    readonly name: string,
    readonly issuer: string,
    readonly identity: string,
    private readonly trust: TrustContext,
  ) {
    this.keyid = `${issuer} ${identity}`;
  }
  verify(m: SignedMaterial, _s: DsseSignature): Verification {
    if (this.trust.sigstoreTrustedRootError) return { ok: false, why: this.trust.sigstoreTrustedRootError };
    if (!m.sidecar) return { ok: false, why: 'no Sigstore bundle (.sigstore.json) is stored beside the envelope' };
    let bundle: { mediaType?: unknown; dsseEnvelope?: unknown };
    try {
      bundle = JSON.parse(m.sidecar.toString('utf8'));
    } catch {
      return { ok: false, why: 'the Sigstore bundle (.sigstore.json) is not JSON (truncated or corrupt)' };
    }
    if (bundle?.mediaType !== SIGSTORE_BUNDLE_V03) return { ok: false, why: `the Sigstore bundle has mediaType ${JSON.stringify(bundle?.mediaType)}, expected ${SIGSTORE_BUNDLE_V03}` };
    // the bundle must sign exactly the stored envelope (same payload type, payload and signatures)
    if (!bundle.dsseEnvelope || canonicalize(bundle.dsseEnvelope) !== canonicalize(m.envelope)) return { ok: false, why: 'the Sigstore bundle signs another envelope than the stored one' };
    let trustedRoot: unknown;
    try {
      trustedRoot = this.trust.sigstoreTrustedRoot ?? pinnedTrustedRoot();
    } catch (e) {
      return { ok: false, why: (e as Error).message };
    }
    const r = verifySigstoreBundle({ bundle, trustedRoot, issuer: this.issuer, identity: this.identity });
    if (!r.ok) return { ok: false, why: r.error };
    return { ok: true, tier: 'sigstore+rekor', keyid: this.keyid, identity: `${r.identity!.subject} (issuer ${r.identity!.issuer})` };
  }
}

export const sigstoreTier: SignerTier = {
  name: 'sigstore',
  reported: 'sigstore+rekor',
  names: (e) => e.sigstore !== undefined,
  trusted: (e: SignerEntry, t: TrustContext) => new SigstoreIdentity(e.name, e.sigstore!.issuer, e.sigstore!.identity, t),
  entry(o) {
    if (!o.sigstoreIssuer && !o.sigstoreIdentity) return null;
    if (!o.sigstoreIssuer || !o.sigstoreIdentity) throw new CsaeError('usage', 'a keyless signer needs both --sigstore-issuer URL and --sigstore-identity ID');
    let u: URL;
    try {
      u = new URL(o.sigstoreIssuer);
    } catch {
      throw new CsaeError('usage', `--sigstore-issuer ${JSON.stringify(o.sigstoreIssuer)} is not a URL (e.g. https://token.actions.githubusercontent.com)`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new CsaeError('usage', `--sigstore-issuer must be an https URL, got ${u.protocol}`);
    if (/[\s\x00-\x1f]/.test(o.sigstoreIdentity) || o.sigstoreIdentity.length > 1000) throw new CsaeError('usage', '--sigstore-identity must be the exact certificate identity (a URI or an email, no spaces)');
    return { sigstore: { issuer: o.sigstoreIssuer, identity: o.sigstoreIdentity } };
  },
  async signer(o, ctx) {
    if (!o.sigstore) return null;
    if (!ambientTokenSource(ctx.env)) {
      throw new CsaeError('key-missing', '--sigstore signs with the ambient identity token of a CI job, and there is none here', {
        next: 'in GitHub Actions give the job `permissions: id-token: write`; elsewhere export SIGSTORE_ID_TOKEN',
      });
    }
    return new SigstoreSigner(servicesFrom(ctx.env), ctx.env);
  },
  // keyless signing is per CI job: nothing to record as a clone default
  record: () => null,
  fromRecord: async () => null,
};
