// The working policy a command runs under, resolved once per command here and passed down (STYLE:
// resolve once, at the edge): domain functions take a `Policy` and never read .csae/policy.yaml
// themselves. Historic versions (the policy at a commit: epochs, the trust root) are history reads and
// stay in the domain (policy/policy.ts loadPolicyAt, policy/epochs.ts).
// Depends on: policy, the git port. Must not: print or read process state.
import type { Repo } from '../git/repo.js';
import { readPolicyFile } from '../policy/edit.js';
import { loadPolicyAt, type Policy } from '../policy/policy.js';

/** The write side's policy: the work tree's .csae/policy.yaml (`not-initialised` when there is none). */
export function workingPolicy(repo: Repo): Policy {
  return readPolicyFile(repo);
}

/** What an audit reads: the work tree's .csae/policy.yaml, else the one committed at HEAD (a bare or CI checkout). */
export async function auditedPolicy(repo: Repo): Promise<Policy> {
  try {
    return readPolicyFile(repo);
  } catch (e) {
    const p = await loadPolicyAt(repo.git, 'HEAD');
    if (p) return p;
    throw e;
  }
}

/** The intent guard's: null when the work tree's policy cannot be read (the guard is then off). */
export function guardPolicy(repo: Repo): Policy | null {
  try {
    return readPolicyFile(repo);
  } catch {
    return null;
  }
}
