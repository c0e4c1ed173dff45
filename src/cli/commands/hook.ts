// `csae hook NAME`: what the shims in hooks/ exec. Also reachable without yargs (see main.ts) so the
// pre-push hook starts fast: fast.ts takes hookHandler alone, and the command below is tree-shaken out of
// dist/fast.mjs. Reads git's stdin, calls the use case, prints.
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import type { Handler } from '../run.js';
import { formatReport } from '../output.js';
import { HOOK_NAMES, runHook, type HookName } from '../../app/hooks.js';

export interface HookArgs {
  name: HookName;
  remote?: string;
  url?: string;
}

function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

export const hookHandler: Handler<HookArgs> = async (a, ctx, out) => {
  const r = await runHook(ctx, { name: a.name, stdin: a.name === 'pre-commit' ? '' : readStdin(), remote: a.remote });
  if (r.hook === 'pre-commit') {
    const g = r.guard;
    if (a.json) process.stdout.write(JSON.stringify({ ok: r.ok, ...g }, null, 2) + '\n');
    if (g.message) out.err(`csae: ${g.level === 'block' ? 'commit refused' : 'warning'}: ${g.message}\n  next: csae intent register --workstream ID --intent TEXT${g.level === 'block' ? '' : '   (policy intentGuard: warn)'}`);
  } else if (r.hook === 'mirror-pre-receive') {
    if (a.json) process.stdout.write(JSON.stringify(r.guard, null, 2) + '\n');
    for (const x of r.guard.refs) if (!x.ok || !a.quiet) out.err(`csae mirror guard: ${x.ref} ${x.ok ? 'ok' : 'REJECTED'}: ${x.reason}`);
  } else {
    if (a.json) process.stdout.write(JSON.stringify(r.report, null, 2) + '\n');
    if ((!r.ok || !a.quiet) && r.report.refs.length) out.err(formatReport(r.report, out));
  }
  return r.ok ? 0 : 1;
};

const command: Command<HookArgs> = {
  command: 'hook <name> [remote] [url]',
  describe: "What the hook shims run (reads git's hook input on stdin)",
  builder: (a: Argv<any>) =>
    a
      .example('git push   # .git/hooks/pre-push execs: csae hook pre-push origin URL', '')
      .example('csae hook pre-commit --json', 'the intent guard: is this commit under an open intent?')
      .positional('name', { choices: HOOK_NAMES, demandOption: true }).positional('remote', { type: 'string', describe: 'pre-push: the remote name git passes' }).positional('url', { type: 'string', describe: 'pre-push: the remote URL git passes' }),
  run: hookHandler,
};
export default command;
