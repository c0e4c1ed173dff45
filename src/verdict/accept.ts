// The one place a verdict is accepted (DESIGN §2.2, §5 check 8): signed by a trusted reviewer, `pass`,
// clearing its own floor and the policy's. The reviewer is the verified identity — the policy's signer
// name (and email) — never the name the verdict declares; the two-party rule compares verified signers.
// Pure: the verdict, the policy of the epoch and the bundle signer in, a decision out.
import { verifyEnvelopeMemo } from '../verify/pool.js';
import { signerIdentity, trustedKeys, type Policy } from '../policy/policy.js';
import { reviewerIdentity, verdictMaterial, type VerdictFile } from './verdict.js';

export interface VerdictDecision {
  ok: boolean;
  /** the verified reviewer (policy name, + email), when the signature verifies */
  identity: string | null;
  signer: string | null;
  keyid: string | null;
  /** what the verdict declares about its reviewer: shown, never decisive */
  declared: string;
  problems: string[];
  /** true when the verdict is passing and by someone other than the bundle signer */
  secondParty: boolean;
}

export function acceptVerdict(v: VerdictFile, policy: Policy, bundleSigner?: { name: string; keyid: string } | null): VerdictDecision {
  const problems: string[] = [];
  const vp = v.statement.predicate;
  const declared = reviewerIdentity(vp);
  // NOTE: answered from the parallel pass when the cold paths verified this verdict ahead (verify/pool.ts)
  const sig = verifyEnvelopeMemo(verdictMaterial(v), trustedKeys(policy, 'verdicts'));
  if (!sig.ok) return { ok: false, identity: null, signer: null, keyid: null, declared, problems: [`verdict ${v.digest.slice(0, 19)}: ${sig.why} (verdict signers)`], secondParty: false };
  const identity = signerIdentity(policy, 'verdicts', sig.signer!);
  const floor = policy.require?.floor ?? 0;
  if (vp.status !== 'pass') problems.push(`verdict by ${identity} is ${vp.status}`);
  if (vp.score < vp.floor || vp.score < floor) problems.push(`verdict by ${identity} scores ${vp.score}, below the floor ${Math.max(vp.floor, floor)}`);
  const same = !!bundleSigner && (sig.keyid === bundleSigner.keyid || sig.signer === bundleSigner.name);
  if (same && policy.require?.twoParty) problems.push(`two-party rule: the verdict is signed by ${identity}, who also signs the bundle (declared reviewer: ${declared})`);
  return { ok: problems.length === 0, identity, signer: sig.signer!, keyid: sig.keyid!, declared, problems, secondParty: problems.length === 0 && !same };
}

/** Under twoParty, does a retroactive entry need a second party's passing verdict? */
export function retroactiveNeedsSecondParty(policy: Policy): boolean {
  return !!policy.require?.twoParty && policy.retroactive !== 'solo';
}
