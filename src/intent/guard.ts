// The intent guard (policy intentGuard: off | warn | block), run by the pre-commit hook: is there an open
// intent registration this commit will fall under? Git history decides, not the state files under
// .git/csae/: walking HEAD's first-parent history back to what the protected branches already hold, the
// newest intent or attestation commit says whether work is open (an intent not yet attested) or not (no
// intent, or the last workstream was attested: new work after it needs a new intent).
import type { Repo } from '../git/repo.js';
import { parseTrailers, trailerValue } from '../core/trailers.js';
import { POLICY_PATH, isProtected, type Policy } from '../policy/policy.js';

export interface IntentGuardResult {
  level: 'off' | 'warn' | 'block';
  open: boolean;
  /** the open workstream, when there is one */
  workstream?: string;
  /** why the guard is off or what closed the branch's last workstream */
  reason?: string;
  message?: string;
}

/** How far back the guard looks on a branch that shares nothing with a protected ref it knows. */
const WALK_LIMIT = 1000;

function csaeType(message: string): { type?: string; workstream?: string } {
  try {
    const t = parseTrailers(message);
    return { type: trailerValue(t, 'CSAE-Type'), workstream: trailerValue(t, 'CSAE-Workstream') };
  } catch {
    return {};
  }
}

/** `policy`: the work tree's, as the app resolved it (null: it cannot be read). */
export async function intentGuard(repo: Repo, policy: Policy | null): Promise<IntentGuardResult> {
  const head = await repo.git.resolveCommit('HEAD');
  if (!head) return { level: 'off', open: true, reason: 'the first commit of the repository' };
  // the commit that adopts the policy (its genesis) is not work: nothing to guard until HEAD holds one
  if (!(await repo.git.readFileAt(head, POLICY_PATH).catch(() => null))) return { level: 'off', open: true, reason: 'no policy committed yet (this commit may be its genesis)' };
  if (!policy) return { level: 'off', open: true, reason: 'the policy cannot be read' };
  const level = policy.intentGuard ?? 'warn';
  if (level === 'off') return { level, open: true };
  // what the protected branches already hold (as last fetched) is not this branch's work
  const landed: string[] = [];
  for (const { id, ref: name } of await repo.git.refTips('refs/remotes/')) {
    const branch = name.split('/').slice(3).join('/');
    if (branch && isProtected(policy, `refs/heads/${branch}`)) landed.push(id);
  }
  const ids = await repo.git.walkFirstParents(head, { exclude: landed, max: WALK_LIMIT });
  const objs = await repo.git.readCommits(ids);
  for (const id of ids) {
    const t = csaeType(objs.get(id)?.message ?? '');
    if (t.type === 'intent') return { level, open: true, workstream: t.workstream };
    if (t.type === 'attestation') {
      const reason = `workstream ${t.workstream ?? '?'} was attested at ${id.slice(0, 12)}: work after its attestation commit is not covered by that bundle`;
      return { level, open: false, reason, message: `no open intent registration on this branch (${reason}); this commit will not be covered by any bundle` };
    }
  }
  return { level, open: false, message: 'no open intent registration on this branch: this commit will not be covered by any bundle' };
}
