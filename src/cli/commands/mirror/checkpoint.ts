// `csae mirror checkpoint`: sign the Merkle root over all entries and append it (app/audit.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { checkpoint } from '../../../app/audit.js';

const command: Command<{ key?: string; keyEnv?: string }> = {
  command: 'checkpoint',
  describe: 'Sign a checkpoint (C2SP tlog-checkpoint) of the Merkle root over all entries and append it to the mirror',
  builder: (a: Argv<any>) =>
    a
      .option('key', { type: 'string', describe: 'a key trusted for checkpoints (default: the signer csae init recorded)' })
      .option('key-env', { type: 'string' })
      .example('csae mirror checkpoint --key ~/.csae/checkpoints.key', 'sign the Merkle root at the current size; keep the note it prints'),
  run: async (a, ctx, out) => {
    const c = await checkpoint(ctx, a);
    out.result({ ok: true, ...c }, () => c.note);
  },
};
export default command;
