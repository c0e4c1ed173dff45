// Keyless signing (sigstore-js's template: prepare → sign → package → witnesses): an ephemeral P-256 key,
// a ten-minute certificate from Fulcio for the ambient OIDC identity, the signature logged in Rekor (and
// optionally timestamped by a TSA), all packaged as a Sigstore bundle v0.3 over our DSSE envelope. Needs
// the network; the libraries load only when a keyless signature is made.
import { createRequire } from 'node:module';
import { CsaeError } from '../../core/errors.js';
import { storedBytes } from '../../core/jcs.js';
import type { DsseEnvelope } from '../../core/dsse.js';
import type { SignedEnvelope, Signer } from '../signer.js';

export const PUBLIC_GOOD = { fulcio: 'https://fulcio.sigstore.dev', rekor: 'https://rekor.sigstore.dev' } as const;

export interface SigstoreServices {
  fulcio: string;
  rekor: string;
  tsa?: string;
}

/** Service URLs: the public-good instance unless CSAE_SIGSTORE_FULCIO_URL / _REKOR_URL / _TSA_URL say otherwise. */
export function servicesFrom(env: Record<string, string | undefined>): SigstoreServices {
  const url = (name: string, dflt?: string): string | undefined => {
    const v = env[name] || dflt;
    if (v === undefined) return undefined;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new CsaeError('config', `${name}=${JSON.stringify(v)} is not a URL`, { next: `export ${name}=https://...` });
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new CsaeError('config', `${name} must be an http(s) URL, got ${u.protocol}`);
    return v.replace(/\/+$/, '');
  };
  return { fulcio: url('CSAE_SIGSTORE_FULCIO_URL', PUBLIC_GOOD.fulcio)!, rekor: url('CSAE_SIGSTORE_REKOR_URL', PUBLIC_GOOD.rekor)!, ...(env.CSAE_SIGSTORE_TSA_URL ? { tsa: url('CSAE_SIGSTORE_TSA_URL') } : {}) };
}

/** Which ambient identity token is available: SIGSTORE_ID_TOKEN, or GitHub Actions OIDC; null when none. */
export function ambientTokenSource(env: Record<string, string | undefined>): 'SIGSTORE_ID_TOKEN' | 'github-actions' | null {
  if (env.SIGSTORE_ID_TOKEN) return 'SIGSTORE_ID_TOKEN';
  if (env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) return 'github-actions';
  return null;
}

async function ambientToken(env: Record<string, string | undefined>): Promise<string> {
  if (env.SIGSTORE_ID_TOKEN) return env.SIGSTORE_ID_TOKEN;
  const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL!);
  url.searchParams.append('audience', 'sigstore');
  let r: Response;
  try {
    r = await fetch(url, { headers: { Accept: 'application/json', Authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` } });
  } catch (e) {
    throw new CsaeError('io', `could not fetch the GitHub Actions identity token: ${(e as Error).message}`, { next: 'retry the job; the workflow needs `permissions: id-token: write`' });
  }
  const body = (await r.json().catch(() => null)) as { value?: unknown } | null;
  if (!r.ok || typeof body?.value !== 'string') throw new CsaeError('key-missing', `GitHub Actions refused an identity token (HTTP ${r.status})`, { next: 'give the workflow `permissions: id-token: write`' });
  return body.value;
}

type SignLib = typeof import('@sigstore/sign');
type BundleLib = typeof import('@sigstore/bundle');

export class SigstoreSigner implements Signer {
  readonly tier = 'sigstore' as const;
  constructor(
    private readonly services: SigstoreServices,
    private readonly env: Record<string, string | undefined>,
  ) {}

  async sign(payloadType: string, payload: Buffer): Promise<SignedEnvelope> {
    const req = createRequire(import.meta.url);
    const S = req('@sigstore/sign') as SignLib;
    const B = req('@sigstore/bundle') as BundleLib;
    const fetchOpts = { timeout: 30000, retry: 2 };
    const signer = new S.FulcioSigner({ identityProvider: { getToken: () => ambientToken(this.env) }, fulcioBaseURL: this.services.fulcio, ...fetchOpts });
    // NOTE: Rekor v1 `intoto` entries: cosign and sigstore-js verify them, and @sigstore/mock's `dsse`
    // entries do not verify (see docs/DECISIONS.md)
    const witnesses: import('@sigstore/sign').Witness[] = [new S.RekorWitness({ rekorBaseURL: this.services.rekor, entryType: 'intoto', fetchOnConflict: true, ...fetchOpts })];
    if (this.services.tsa) witnesses.push(new S.TSAWitness({ tsaBaseURL: this.services.tsa, ...fetchOpts }));
    let json: ReturnType<BundleLib['bundleToJSON']>;
    try {
      const bundle = await new S.DSSEBundleBuilder({ signer, witnesses }).create({ data: payload, type: payloadType });
      json = B.bundleToJSON(bundle);
    } catch (e) {
      if (e instanceof CsaeError) throw e;
      const err = e as Error & { code?: string; cause?: { message?: string } };
      throw new CsaeError('io', `keyless signing failed (Fulcio ${this.services.fulcio}, Rekor ${this.services.rekor}): ${err.code ? err.code + ': ' : ''}${err.message}${err.cause?.message ? ` (${err.cause.message})` : ''}`, {
        next: 'check the identity token and the CSAE_SIGSTORE_*_URL settings, then run the command again',
      });
    }
    const env = json.dsseEnvelope as DsseEnvelope | undefined;
    if (!env) throw new CsaeError('io', 'the Sigstore bundle holds no DSSE envelope');
    return { envelope: { payloadType: env.payloadType, payload: env.payload, signatures: env.signatures.map((s) => ({ ...(s.keyid ? { keyid: s.keyid } : {}), sig: s.sig })) }, sidecar: storedBytes(json) };
  }
}
