// Which signer a command uses: resolved once, here, from the command's options or the default
// `csae init` recorded in the clone's git config (csae.signer). sign/ itself never reads git.
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import { resolveSigner, type SignerOptions } from '../sign/resolve.js';
import type { Signer } from '../sign/signer.js';

export type { SignerOptions } from '../sign/resolve.js';

export async function signerFor(ctx: Context, repo: Repo | null, o: SignerOptions): Promise<Signer> {
  return resolveSigner(ctx, repo ? await repo.git.configGet('csae.signer') : null, o);
}
