// Which signer a command uses: its options (--key PATH, --key-env NAME, --ssh-key PATH, --sigstore), or
// the default `csae init` recorded in the clone's local git config (csae.signer). Key material is never
// printed. Tiers are tried through the registry (tiers/index.ts).
import { CsaeError } from '../core/errors.js';
import type { Context } from '../context.js';
import type { Signer } from './signer.js';
import { signerFromOptions, signerFromRecord, type SignerOptions } from './tiers/index.js';

export type { SignerOptions } from './tiers/index.js';

/** @param recorded the clone's `csae.signer` record (read by the caller from git config), or null */
export async function resolveSigner(ctx: Context, recorded: string | null, o: SignerOptions): Promise<Signer> {
  const given = await signerFromOptions(o, ctx);
  if (given) return given;
  const fromRecord = recorded ? await signerFromRecord(recorded, ctx) : null;
  if (fromRecord) return fromRecord;
  throw new CsaeError('key-missing', 'no signing key given and none recorded for this clone', {
    next: 'pass --key PATH (csae keygen --out PATH makes one), or run csae init --key PATH to record a default',
  });
}
