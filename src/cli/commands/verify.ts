// `csae verify`: the CI replay. Writes the CI formats it is asked for; the check itself is app/verify.ts.
import { appendFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import { formatReport } from '../output.js';
import { annotations, junit, sarif, stepSummary } from '../formats.js';
import { verify } from '../../app/verify.js';

interface VerifyArgs {
  ref?: string;
  range?: string;
  policyRef?: string;
  format: 'text' | 'json' | 'junit' | 'sarif';
  vsa?: string;
  key?: string;
  deepen: boolean;
  summary?: string;
  sarif?: string;
  junit?: string;
  annotations?: boolean;
  ci: boolean;
}

const command: Command<VerifyArgs> = {
  command: 'verify',
  describe: 'CI replay: check that every commit of a ref (after the cutover) or of a range is covered by a verified, mirrored bundle',
  builder: (a: Argv<any>) =>
    a
      .option('ref', { type: 'string', describe: 'replay the whole history of REF (default HEAD); the policy is read at its tip' })
      .option('range', { type: 'string', describe: 'A..B: check only the commits of B not in A (a pull request)' })
      .option('policy-ref', { type: 'string', describe: 'read the policy (trust root) here instead, e.g. the PR base branch' })
      .option('format', { choices: ['text', 'json', 'junit', 'sarif'] as const, default: 'text' })
      .option('vsa', { type: 'string', describe: 'also write a SLSA Verification Summary Attestation of the result to FILE' })
      .option('key', { type: 'string', describe: 'sign the VSA (DSSE) with this Ed25519 key' })
      .option('summary', { type: 'string', describe: 'append a markdown summary (commit → entry → verdicts → confidence) to FILE (default under GitHub Actions: $GITHUB_STEP_SUMMARY)' })
      .option('sarif', { type: 'string', describe: 'also write SARIF 2.1.0 to FILE (for code scanning upload)' })
      .option('junit', { type: 'string', describe: 'also write JUnit XML to FILE' })
      .option('annotations', { type: 'boolean', describe: 'print a GitHub ::error annotation per uncovered commit (default: under GitHub Actions)' })
      .option('ci', { type: 'boolean', default: true, describe: 'with neither --ref nor --range, take the check from GitHub Actions / GitLab CI (--no-ci: replay HEAD)' })
      .option('deepen', { type: 'boolean', default: true, describe: 'in a shallow clone, fetch the missing history from the remote (--no-deepen: fail with exit 3 instead)' })
      .conflicts('ref', 'range')
      .example('csae verify --ref origin/main', 'replay all of main')
      .example('csae verify --range origin/main..HEAD --policy-ref origin/main --format junit', 'a pull-request check')
      .example('csae verify --ref origin/main --no-deepen', 'in a shallow clone, fail (exit 3) rather than fetch the history')
      .example('csae verify --sarif csae.sarif --junit csae.xml', 'in GitHub Actions or GitLab CI: the pull/merge request (or pushed ref) from the environment'),
  run: async (a, ctx, out) => {
    // under GitHub Actions the summary and annotations are written whether the check came from the
    // event or from --ref/--range (the action's `args`)
    const actions = a.ci && ctx.env.GITHUB_ACTIONS === 'true';
    const wantSummary = a.summary ?? (actions ? ctx.env.GITHUB_STEP_SUMMARY : undefined);
    const { report, vsa, ci, rows } = await verify(ctx, { ref: a.ref, range: a.range, policyRef: a.policyRef, vsa: a.vsa, key: a.key, deepen: a.deepen, detectCi: a.ci, rows: !!wantSummary || undefined });
    if (vsa) out.info(`wrote verification summary ${a.vsa}${vsa.signed ? ' (signed)' : ''}`);
    const summaryFile = wantSummary ?? ci?.summaryFile;
    if (summaryFile) appendFileSync(resolve(ctx.cwd, summaryFile), stepSummary(report, rows ?? [], ci));
    if (a.sarif) writeFileSync(resolve(ctx.cwd, a.sarif), JSON.stringify(sarif(report), null, 2) + '\n');
    if (a.junit) writeFileSync(resolve(ctx.cwd, a.junit), junit(report));
    // NOTE: on stderr, which the Actions runner scans for workflow commands like stdout, so stdout stays
    // one document under --json / --format
    if (a.annotations ?? ci?.annotations ?? actions) for (const l of annotations(report)) out.err(l);
    const fmt = a.json ? 'json' : a.format;
    if (fmt === 'json') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else if (fmt === 'junit') process.stdout.write(junit(report));
    else if (fmt === 'sarif') process.stdout.write(JSON.stringify(sarif(report), null, 2) + '\n');
    else out.result(report, () => formatReport(report, out));
    return report.ok ? 0 : 1;
  },
};
export default command;
