// Which signer a command uses: --key PATH, --key-env NAME, or the default `csae init` recorded in the
// clone's local git config (csae.signer = key:<path> | key-env:<NAME>). Key material is never printed.
import { resolve } from 'node:path';
import { CsaeError } from '../core/errors.js';
import type { Context, Repo } from '../context.js';
import { KeySigner, loadPrivateKey } from './key.js';
import type { Signer } from './signer.js';
import { SshSigner } from './ssh.js';

export interface SignerOptions {
  key?: string;
  keyEnv?: string;
  sshKey?: string;
  sigstore?: boolean;
}

export async function resolveSigner(ctx: Context, repo: Repo | null, o: SignerOptions): Promise<Signer> {
  if (o.sigstore) throw new CsaeError('usage', '--sigstore signing is not available in this version; use --key PATH (Ed25519) or --ssh-key PATH');
  if (o.sshKey) return new SshSigner(resolve(ctx.cwd, o.sshKey), ctx.env);
  if (o.key) return new KeySigner(loadPrivateKey({ path: resolve(ctx.cwd, o.key) }));
  if (o.keyEnv) return new KeySigner(loadPrivateKey({ envName: o.keyEnv, env: ctx.env }));
  const rec = repo ? await repo.git.configGet('csae.signer') : null;
  if (rec?.startsWith('key:')) return new KeySigner(loadPrivateKey({ path: rec.slice(4) }));
  if (rec?.startsWith('key-env:')) return new KeySigner(loadPrivateKey({ envName: rec.slice(8), env: ctx.env }));
  if (rec?.startsWith('ssh:')) return new SshSigner(rec.slice(4), ctx.env);
  throw new CsaeError('key-missing', 'no signing key given and none recorded for this clone', {
    next: 'pass --key PATH (csae keygen --out PATH makes one), or run csae init --key PATH to record a default',
  });
}
