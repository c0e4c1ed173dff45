// `csae policy show`: the policy as csae reads it, plus the cutover in effect — explicit in the policy,
// or derived (the first commit adding .csae/policy.yaml in HEAD's history), or none yet (the commit that
// adds the policy will be it). Depends on: policy, validate (resolveCutover), the git port.
import type { Repo } from '../git/repo.js';
import { workingPolicy } from './policyfile.js';
import { POLICY_PATH, type Policy } from '../policy/policy.js';
import { resolveCutover } from '../validate/validate.js';

export interface CutoverInEffect {
  commit: string | null;
  source: 'policy' | 'derived' | 'none';
  detail: string;
}

export async function policyWithCutover(repo: Repo): Promise<{ policy: Policy; cutover: CutoverInEffect }> {
  const policy = workingPolicy(repo);
  const head = await repo.git.resolveCommit('HEAD');
  if (policy.cutover) {
    const known = await repo.git.hasObject(policy.cutover);
    return { policy, cutover: { commit: policy.cutover, source: 'policy', detail: known ? 'set in the policy: it and every commit reachable from it are exempt' : 'set in the policy, but not in this clone (git fetch): nothing is exempt until it is' } };
  }
  const found = head ? await resolveCutover(repo, policy, head) : null;
  if (found) return { policy, cutover: { commit: found, source: 'derived', detail: `the first commit adding ${POLICY_PATH}: it and every commit reachable from it are exempt` } };
  return { policy, cutover: { commit: null, source: 'none', detail: `${POLICY_PATH} is not committed yet: the commit that adds it will be the cutover` } };
}
