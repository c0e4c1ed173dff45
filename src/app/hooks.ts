// What each git hook decides (`csae hook NAME`): pre-push and pre-receive validate the ref updates git
// writes on stdin, pre-commit is the intent guard, mirror-pre-receive guards the audit mirror. The CLI
// reads stdin and prints; the shims in hooks/ only exec the CLI.
// Depends on: the domain (validate, mirror, intent, policy) and the git port. Must not: read process state.
import type { Context } from '../context.js';
import { openBareRepo, openRepo, type Repo } from '../git/repo.js';
import type { Policy } from '../policy/policy.js';
import type { RefTip } from '../validate/trust.js';
import { parsePrePush, parsePreReceive } from '../git/hookinput.js';
import { validateUpdates, type Report } from '../validate/validate.js';
import { intentGuard, type IntentGuardResult } from '../intent/guard.js';
import { guardPolicy } from './policyfile.js';
import { mirrorPreReceive, type GuardResult } from '../mirror/guard.js';
import { withCompleteHistory } from '../git/shallow.js';

export type HookName = 'pre-push' | 'pre-receive' | 'pre-commit' | 'mirror-pre-receive';
export const HOOK_NAMES: readonly HookName[] = ['pre-push', 'pre-receive', 'pre-commit', 'mirror-pre-receive'];

export type { IntentGuardResult };

/** What a hook run decided, by hook kind: the CLI turns it into output and an exit code. */
export type HookOutcome =
  | { hook: 'pre-commit'; ok: boolean; guard: IntentGuardResult }
  | { hook: 'mirror-pre-receive'; ok: boolean; guard: GuardResult }
  | { hook: 'pre-push' | 'pre-receive'; ok: boolean; report: Report };

/** The repository's branches as refs/heads/... (pre-push: the remote's, as this clone last fetched them). */
async function branchTips(repo: Repo, prefix: string): Promise<RefTip[]> {
  const out: RefTip[] = [];
  for (const { id, ref } of await repo.git.refTips(prefix)) {
    const branch = ref.slice(prefix.length);
    if (branch !== 'HEAD') out.push({ name: 'refs/heads/' + branch, id });
  }
  return out;
}

export async function prePush(ctx: Context, repo: Repo, stdin: string, remote: string): Promise<Report> {
  const updates = parsePrePush(stdin);
  const safeRemote = /^[A-Za-z0-9._-]+$/.test(remote) ? remote : null;
  // the remote's protected refs: the repository's one trust root, and the commits that are not new
  const refs = async (): Promise<RefTip[]> => (safeRemote ? branchTips(repo, `refs/remotes/${safeRemote}/`) : []);
  return validateUpdates(ctx, repo, updates, { pushing: true, client: true, refs });
}

export async function preReceive(ctx: Context, repo: Repo, stdin: string): Promise<Report> {
  const updates = parsePreReceive(stdin);
  const refs = async (): Promise<RefTip[]> => branchTips(repo, 'refs/heads/');
  return validateUpdates(ctx, repo, updates, { pushing: true, refs });
}

/** One hook run: `stdin` is what git wrote to the hook (empty for pre-commit), `remote` pre-push's remote name. */
export async function runHook(ctx: Context, o: { name: HookName; stdin: string; remote?: string }): Promise<HookOutcome> {
  switch (o.name) {
    case 'pre-commit': {
      const repo = await openRepo(ctx);
      const guard = await intentGuard(repo, guardPolicy(repo));
      return { hook: o.name, ok: !(guard.level === 'block' && !guard.open), guard };
    }
    case 'mirror-pre-receive': {
      const guard = await mirrorPreReceive(await openBareRepo(ctx), o.stdin);
      return { hook: o.name, ok: guard.ok, guard };
    }
    case 'pre-push': {
      // a shallow clone deepens from the remote it pushes to, and only when a walk reaches the cut;
      // pre-receive has nowhere to fetch from, so a cut there refuses the push (exit 3)
      const repo = await openRepo(ctx);
      const remote = o.remote ?? 'origin';
      const from = async (): Promise<string | null> => ((await repo.git.remotes()).includes(remote) ? remote : null);
      const report = await withCompleteHistory(repo.git, { deepen: true, remote: from, info: ctx.info }, () => prePush(ctx, repo, o.stdin, remote));
      return { hook: o.name, ok: report.ok, report };
    }
    case 'pre-receive': {
      const report = await preReceive(ctx, await openBareRepo(ctx), o.stdin);
      return { hook: o.name, ok: report.ok, report };
    }
  }
}
