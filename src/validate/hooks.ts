// What `csae hook NAME` does for each git hook: read git's stdin, validate, report on stderr, decide the
// exit code. The shims in hooks/ only exec these.
import type { Context, Repo } from '../context.js';
import { isProtected, type Policy } from '../policy/policy.js';
import { parsePrePush, parsePreReceive } from './hookinput.js';
import { validateUpdates, type Report } from './validate.js';
import { intentStatus } from '../intent/intent.js';
import { readPolicyFile } from '../policy/edit.js';

async function protectedTips(repo: Repo, policy: Policy, prefix: string, except: string): Promise<string[]> {
  const lines = await repo.git.lines(['for-each-ref', '--format=%(objectname) %(refname)', prefix]);
  const out: string[] = [];
  for (const l of lines) {
    const [id, name] = l.split(' ') as [string, string];
    const asRemote = 'refs/heads/' + name.slice(prefix.length);
    if (asRemote !== except && isProtected(policy, asRemote)) out.push(id);
  }
  return out;
}

export async function prePush(ctx: Context, repo: Repo, stdin: string, remote: string): Promise<Report> {
  const updates = parsePrePush(stdin);
  const safeRemote = /^[A-Za-z0-9._-]+$/.test(remote) ? remote : null;
  // for a new protected branch, commits already on the remote's other protected refs are not new
  const otherTips = async (policy: Policy, ref: string): Promise<string[]> => (safeRemote ? protectedTips(repo, policy, `refs/remotes/${safeRemote}/`, ref) : []);
  return validateUpdates(ctx, repo, updates, { pushing: true, otherTips });
}

export async function preReceive(ctx: Context, repo: Repo, stdin: string): Promise<Report> {
  const updates = parsePreReceive(stdin);
  const otherTips = async (policy: Policy, ref: string): Promise<string[]> => protectedTips(repo, policy, 'refs/heads/', ref);
  return validateUpdates(ctx, repo, updates, { pushing: true, otherTips });
}

/** intentGuard: warn or block a commit on a branch with no open intent registration. */
export async function intentGuard(repo: Repo): Promise<{ level: 'off' | 'warn' | 'block'; open: boolean; message?: string }> {
  let policy: Policy;
  try {
    policy = readPolicyFile(repo);
  } catch {
    return { level: 'off', open: true };
  }
  const level = policy.intentGuard ?? 'warn';
  if (level === 'off') return { level, open: true };
  const open = (await intentStatus(repo)).some((s) => s.state === 'open');
  return open ? { level, open } : { level, open, message: 'no open intent registration on this branch: this commit will not be covered by any bundle' };
}
