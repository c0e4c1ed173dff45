// `csae bundle retroactive`: cover commits that landed uncovered, flagged post hoc (app/work.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { signerOptions, type SignerArgs } from '../../signer.js';
import { bundleRetroactive } from '../../../app/work.js';

const command: Command<SignerArgs & { range: string; reason: string; verdict?: string[]; workstream?: string }> = {
  command: 'retroactive',
  describe: 'Cover commits that landed without a bundle, honestly flagged post-hoc (lower confidence)',
  builder: (a: Argv<any>) =>
    signerOptions(a)
      .option('range', { type: 'string', demandOption: true, describe: 'A..B: the uncovered commits of B not in A' })
      .option('reason', { type: 'string', demandOption: true, describe: 'why they landed uncovered, and what review (if any) happened since' })
      .option('verdict', { type: 'string', array: true, describe: 'post-hoc review verdict file(s)' })
      .option('workstream', { type: 'string' })
      .example('csae bundle retroactive --range abc123~1..abc123 --reason "hotfix during outage; reviewed after"', ''),
  run: async (a, ctx, out) => {
    const p = await bundleRetroactive(ctx, { range: a.range, reason: a.reason, verdicts: a.verdict, workstream: a.workstream }, a);
    out.result({ ok: true, published: [p] }, () => `entry ${p.seq} (retroactive, ${p.commits} commit(s)) ${p.digest}`);
  },
};
export default command;
