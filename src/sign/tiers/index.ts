// The signer registry: every tier csae knows, in the order a command's options are tried. Adding a tier
// is one module here; policy, init, resolve, checkpoints and publish only iterate this list.
import { CsaeError } from '../../core/errors.js';
import type { Signer, SignerEntry, TrustedSigner } from '../signer.js';
import { keyTier } from './key.js';
import { sshTier } from './ssh.js';
import { sigstoreTier } from './sigstore.js';
import type { SignContext, SignerOptions, SignerTier, TrustContext, TrustOptions } from './tier.js';

export type { SignContext, SignerOptions, SignerTier, TrustContext, TrustOptions } from './tier.js';

export const TIERS: readonly SignerTier[] = [keyTier, sshTier, sigstoreTier];

export function tierOf(e: SignerEntry): SignerTier | undefined {
  return TIERS.find((t) => t.names(e));
}

/** The trusted signers a list of policy entries declares. An entry no tier can verify verifies nothing (fail closed). */
export function trustedSigners(entries: readonly SignerEntry[], t: TrustContext = {}): TrustedSigner[] {
  const out: TrustedSigner[] = [];
  for (const e of entries) {
    const tier = tierOf(e);
    if (tier) out.push(tier.trusted(e, t));
  }
  return out;
}

/** The policy entry `csae policy trust` writes for `name`. */
export function policyEntry(name: string, o: TrustOptions): SignerEntry {
  for (const t of TIERS) {
    const e = t.entry(o);
    if (e) return { name, ...e };
  }
  throw new CsaeError('usage', 'give the signer: --key PUB, --ssh-key PUB, or --sigstore-issuer URL --sigstore-identity ID');
}

/** The signer the command's options name, or null when they name none; two tiers at once is a usage error. */
export async function signerFromOptions(o: SignerOptions, ctx: SignContext): Promise<Signer | null> {
  const named: Signer[] = [];
  for (const t of TIERS) {
    const s = await t.signer(o, ctx);
    if (s) named.push(s);
  }
  if (named.length > 1) throw new CsaeError('usage', `give one signer, not ${named.map((s) => s.tier).join(' and ')}`, { next: 'pass only one of --key/--key-env, --ssh-key, --sigstore' });
  return named[0] ?? null;
}

/** The csae.signer value `csae init` records for these options (the signer is checked now), or null. */
export function recordFor(o: SignerOptions, ctx: SignContext): string | null {
  for (const t of TIERS) {
    const r = t.record(o, ctx);
    if (r) return r;
  }
  return null;
}

export async function signerFromRecord(rec: string, ctx: SignContext): Promise<Signer | null> {
  for (const t of TIERS) {
    const s = await t.fromRecord(rec, ctx);
    if (s) return s;
  }
  return null;
}
