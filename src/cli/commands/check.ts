// verify (CI replay), hook NAME (what the shims exec)
import type { Argv } from 'yargs';
import { action } from '../run.js';
import { formatReport } from '../output.js';
import { hookHandler } from './hook.js';
import { junit, sarif } from '../formats.js';
import { verify } from '../../app/verify.js';
import { HOOK_NAMES } from '../../app/hooks.js';

export function checkCommands(y: Argv<any>): Argv<any> {
  return y
    .command(
      'verify',
      'CI replay: check that every commit of a ref (after the cutover) or of a range is covered by a verified, mirrored bundle',
      (a: Argv<any>) =>
        a
          .option('ref', { type: 'string', describe: 'replay the whole history of REF (default HEAD); the policy is read at its tip' })
          .option('range', { type: 'string', describe: 'A..B: check only the commits of B not in A (a pull request)' })
          .option('policy-ref', { type: 'string', describe: 'read the policy (trust root) here instead, e.g. the PR base branch' })
          .option('format', { choices: ['text', 'json', 'junit', 'sarif'] as const, default: 'text' })
          .option('vsa', { type: 'string', describe: 'also write a SLSA Verification Summary Attestation of the result to FILE' })
          .option('key', { type: 'string', describe: 'sign the VSA (DSSE) with this Ed25519 key' })
          .option('deepen', { type: 'boolean', default: true, describe: 'in a shallow clone, fetch the missing history from the remote (--no-deepen: fail with exit 3 instead)' })
          .conflicts('ref', 'range')
          .example('csae verify --ref origin/main', 'replay all of main')
          .example('csae verify --range origin/main..HEAD --policy-ref origin/main --format junit', 'a pull-request check')
          .example('csae verify --ref origin/main --no-deepen', 'in a shallow clone, fail (exit 3) rather than fetch the history'),
      action<{ ref?: string; range?: string; policyRef?: string; format: 'text' | 'json' | 'junit' | 'sarif'; vsa?: string; key?: string; deepen: boolean }>(async (a, ctx, out) => {
        const { report, vsa } = await verify(ctx, { ref: a.ref, range: a.range, policyRef: a.policyRef, vsa: a.vsa, key: a.key, deepen: a.deepen });
        if (vsa) out.info(`wrote verification summary ${a.vsa}${vsa.signed ? ' (signed)' : ''}`);
        const fmt = a.json ? 'json' : a.format;
        if (fmt === 'json') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        else if (fmt === 'junit') process.stdout.write(junit(report));
        else if (fmt === 'sarif') process.stdout.write(JSON.stringify(sarif(report), null, 2) + '\n');
        else out.result(report, () => formatReport(report, out));
        return report.ok ? 0 : 1;
      }),
    )
    .command('hook <name> [remote] [url]', "What the hook shims run (reads git's hook input on stdin)", (a: Argv<any>) =>
      a.positional('name', { choices: HOOK_NAMES, demandOption: true }).positional('remote', { type: 'string', describe: 'pre-push: the remote name git passes' }).positional('url', { type: 'string', describe: 'pre-push: the remote URL git passes' }),
      action(hookHandler),
    );
}

