// `csae hook NAME`: what the shims in hooks/ exec. Also reachable without yargs (see main.ts) so the
// pre-push hook starts fast.
import { readFileSync } from 'node:fs';
import type { Handler } from '../run.js';
import { formatReport } from '../output.js';
import { openBareRepo, openRepo } from '../../context.js';
import { intentGuard, prePush, preReceive } from '../../validate/hooks.js';
import { mirrorPreReceive } from '../../mirror/guard.js';

export interface HookArgs {
  name: 'pre-push' | 'pre-receive' | 'pre-commit' | 'mirror-pre-receive';
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
  if (a.name === 'pre-commit') {
    const g = await intentGuard(await openRepo(ctx));
    if (a.json) process.stdout.write(JSON.stringify({ ok: !(g.level === 'block' && !g.open), ...g }, null, 2) + '\n');
    if (g.message) out.err(`csae: ${g.level === 'block' ? 'commit refused' : 'warning'}: ${g.message}\n  next: csae intent register --workstream ID --intent TEXT${g.level === 'block' ? '' : '   (policy intentGuard: warn)'}`);
    return g.level === 'block' && !g.open ? 1 : 0;
  }
  const stdin = readStdin();
  if (a.name === 'mirror-pre-receive') {
    const g = await mirrorPreReceive(await openBareRepo(ctx), stdin);
    if (a.json) process.stdout.write(JSON.stringify(g, null, 2) + '\n');
    for (const r of g.refs) if (!r.ok || !a.quiet) out.err(`csae mirror guard: ${r.ref} ${r.ok ? 'ok' : 'REJECTED'}: ${r.reason}`);
    return g.ok ? 0 : 1;
  }
  const report = a.name === 'pre-push' ? await prePush(ctx, await openRepo(ctx), stdin, a.remote ?? 'origin') : await preReceive(ctx, await openBareRepo(ctx), stdin);
  if (a.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  if ((!report.ok || !a.quiet) && report.refs.length) out.err(formatReport(report, out));
  return report.ok ? 0 : 1;
};
