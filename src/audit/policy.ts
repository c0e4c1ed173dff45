// The policy an audit reads: the work tree's .csae/policy.yaml, else the one committed at HEAD.
import type { Repo } from '../git/repo.js';
import { readPolicyFile } from '../policy/edit.js';
import { loadPolicyAt, type Policy } from '../policy/policy.js';

export async function auditPolicy(repo: Repo): Promise<Policy> {
  try {
    return readPolicyFile(repo);
  } catch (e) {
    const p = await loadPolicyAt(repo.git, 'HEAD');
    if (p) return p;
    throw e;
  }
}
