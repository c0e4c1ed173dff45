// Refreshing the Sigstore trusted root where there is network: through TUF (@sigstore/tuf), starting from
// the root seeded in that package (or a given root.json for another TUF repository). Verification never
// does this: it uses the root the policy names, or the one pinned in this package.
import { createRequire } from 'node:module';
import { CsaeError } from '../../core/errors.js';

export const PUBLIC_GOOD_TUF = 'https://tuf-repo-cdn.sigstore.dev';

export async function fetchTrustedRoot(o: { cachePath: string; mirrorURL?: string; rootPath?: string }): Promise<Record<string, unknown>> {
  const req = createRequire(import.meta.url);
  const tuf = req('@sigstore/tuf') as typeof import('@sigstore/tuf');
  const specs = req('@sigstore/protobuf-specs') as typeof import('@sigstore/protobuf-specs');
  const mirror = o.mirrorURL ?? PUBLIC_GOOD_TUF;
  try {
    const root = await tuf.getTrustedRoot({ cachePath: o.cachePath, mirrorURL: mirror, ...(o.rootPath ? { rootPath: o.rootPath } : {}), forceCache: false, retry: 1, timeout: 15000 });
    return specs.TrustedRoot.toJSON(root) as Record<string, unknown>;
  } catch (e) {
    const err = e as Error & { code?: string; cause?: { message?: string } };
    throw new CsaeError('io', `could not refresh the Sigstore trusted root from ${mirror}: ${err.code ? err.code + ': ' : ''}${err.message}${err.cause?.message ? ` (${err.cause.message})` : ''}`, {
      next: 'run it again where the TUF repository is reachable; verification meanwhile uses the pinned root (or the policy sigstore.trustedRoot)',
    });
  }
}
