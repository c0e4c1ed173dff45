// Check 2 (DESIGN §5): the envelope is signed by a signer the policy in force at the entry trusts for
// its kind (bypass entries: a bypass signer; others: a bundle signer), less keys revoked as compromised
// from this entry on. No policy configured (the mirror's own guard without one): not checked, said so.
import type { CheckOutcome } from '../../core/checks.js';
import { verifyEnvelope } from '../../sign/envelope.js';
import type { Tier, TrustedSigner } from '../../sign/signer.js';
import type { ChainOptions } from '../chain.js';
import type { ChainStepContext } from './context.js';

export function signature(ctx: ChainStepContext): CheckOutcome {
  const { seq, path, bytes, o, sidecar } = ctx;
  const envelope = ctx.envelope!;
  const p = ctx.statement!.predicate;
  const all = p.kind === 'bypass' ? o.bypassKeys : o.bundleKeys;
  const keys = all ? usable(all, seq, o.compromised) : null;
  const sig = keys ? (o.signatures?.get(bytes!, keys, sidecar) ?? verifyEnvelope({ envelope, sidecar }, keys)) : { ok: true, signer: '(not checked)', keyid: '', tier: 'unchecked' as Tier, identity: undefined };
  ctx.sig = sig;
  if (!keys) return { ok: true, detail: 'not checked: no policy configured for this guard' };
  if (sig.ok) return { ok: true, detail: `${sig.signer} (${sig.tier}${sig.identity ? ` ${sig.identity}` : ''})` };
  const bad = all && all.length !== keys.length ? verifyEnvelope({ envelope, sidecar }, all) : null;
  const c = bad?.ok ? o.compromised!.find((x) => x.keyid === bad.keyid) : undefined;
  return { ok: false, detail: c ? `${path}: signed by ${c.name}, whose key is revoked as compromised from entry ${c.since} on` : `${path}: ${sig.why} (${p.kind === 'bypass' ? 'bypass' : 'bundle'} signers of the policy in force at entry ${seq})` };
}

/** Trusted keys less those revoked as compromised from `seq` or earlier. */
export function usable(keys: readonly TrustedSigner[], seq: number, compromised: ChainOptions['compromised']): readonly TrustedSigner[] {
  // NOTE: the same array when nothing is withdrawn: the signature memo (verify/pool.ts) is keyed by it
  if (!compromised?.some((c) => c.since <= seq && keys.some((k) => k.keyid === c.keyid))) return keys;
  return keys.filter((k) => !compromised.some((c) => c.keyid === k.keyid && c.since <= seq));
}
