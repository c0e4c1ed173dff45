// Which signer a command uses: its options (--key PATH, --key-env NAME, --ssh-key PATH, --sigstore), or
// the default `csae init` recorded in the clone's local git config (csae.signer). Key material is never
// printed. Tiers are tried through the registry (tiers/index.ts).
import { CsaeError } from '../core/errors.js';
import type { Context, Repo } from '../context.js';
import type { Signer } from './signer.js';
import { signerFromOptions, signerFromRecord, type SignerOptions } from './tiers/index.js';

export type { SignerOptions } from './tiers/index.js';

export async function resolveSigner(ctx: Context, repo: Repo | null, o: SignerOptions): Promise<Signer> {
  const given = await signerFromOptions(o, ctx);
  if (given) return given;
  const rec = repo ? await repo.git.configGet('csae.signer') : null;
  const recorded = rec ? await signerFromRecord(rec, ctx) : null;
  if (recorded) return recorded;
  throw new CsaeError('key-missing', 'no signing key given and none recorded for this clone', {
    next: 'pass --key PATH (csae keygen --out PATH makes one), or run csae init --key PATH to record a default',
  });
}
