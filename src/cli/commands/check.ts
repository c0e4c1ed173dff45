// verify (CI replay), hook NAME (what the shims exec)
import type { Argv } from 'yargs';
import { action } from '../run.js';
import { formatReport } from '../output.js';
import { openRepo } from '../../context.js';
import { replay, type Report } from '../../validate/validate.js';
import { hookHandler } from './hook.js';
import { fullRefName, resolveRev, splitRange } from '../../git/range.js';
import { junit, sarif } from '../formats.js';
import { vsaBytes, vsaStatement } from '../../validate/vsa.js';
import { resolveSigner } from '../../sign/resolve.js';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

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
          .conflicts('ref', 'range')
          .example('csae verify --ref origin/main', 'replay all of main')
          .example('csae verify --range origin/main..HEAD --policy-ref origin/main --format junit', 'a pull-request check'),
      action<{ ref?: string; range?: string; policyRef?: string; format: 'text' | 'json' | 'junit' | 'sarif'; vsa?: string; key?: string }>(async (a, ctx, out) => {
        const repo = await openRepo(ctx);
        let report: Report;
        const policyRev = a.policyRef ? await resolveRev(repo.git, a.policyRef) : undefined;
        if (a.range) {
          const { from, to } = splitRange(a.range);
          const base = await resolveRev(repo.git, from);
          const tip = await resolveRev(repo.git, to);
          report = await replay(repo, { ref: await fullRefName(repo, to), tip, base, policyRev: policyRev ?? base });
        } else {
          const name = a.ref ?? 'HEAD';
          const tip = await resolveRev(repo.git, name);
          report = await replay(repo, { ref: await fullRefName(repo, name), tip, policyRev });
        }
        if (a.vsa && report.basis) {
          const st = vsaStatement({ report, tip: report.basis.tip, policy: report.basis.policy, chain: report.basis.chain, now: ctx.now() });
          writeFileSync(resolve(ctx.cwd, a.vsa), await vsaBytes(st, a.key ? await resolveSigner(ctx, repo, { key: a.key }) : undefined));
          out.info(`wrote verification summary ${a.vsa}${a.key ? ' (signed)' : ''}`);
        }
        const { basis: _basis, ...shown } = report;
        report = shown;
        const fmt = a.json ? 'json' : a.format;
        if (fmt === 'json') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        else if (fmt === 'junit') process.stdout.write(junit(report));
        else if (fmt === 'sarif') process.stdout.write(JSON.stringify(sarif(report), null, 2) + '\n');
        else out.result(report, () => formatReport(report, out));
        return report.ok ? 0 : 1;
      }),
    )
    .command('hook <name> [remote] [url]', "What the hook shims run (reads git's hook input on stdin)", (a: Argv<any>) =>
      a.positional('name', { choices: ['pre-push', 'pre-receive', 'pre-commit', 'mirror-pre-receive'] as const, demandOption: true }).positional('remote', { type: 'string', describe: 'pre-push: the remote name git passes' }).positional('url', { type: 'string', describe: 'pre-push: the remote URL git passes' }),
      action(hookHandler),
    );
}

