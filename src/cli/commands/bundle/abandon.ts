// `csae bundle abandon`: close a stranded intent, recorded as abandoned (app/work.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { signerOptions, type SignerArgs } from '../../signer.js';
import { bundleAbandon } from '../../../app/work.js';

const command: Command<SignerArgs & { workstream: string; reason: string }> = {
  command: 'abandon',
  describe: 'Close a stranded intent honestly: the intent commit is covered, the work recorded as abandoned',
  builder: (a: Argv<any>) =>
    signerOptions(a)
      .option('workstream', { type: 'string', demandOption: true })
      .option('reason', { type: 'string', demandOption: true })
      .example('csae bundle abandon --workstream ws-spike --reason "spike dropped; nothing landed"', 'a stranded intent (csae audit stranded lists them)'),
  run: async (a, ctx, out) => {
    const p = await bundleAbandon(ctx, { workstream: a.workstream, reason: a.reason }, a);
    out.result({ ok: true, published: [p] }, () => `entry ${p.seq} (abandonment of ${p.workstream}) ${p.digest}`);
  },
};
export default command;
