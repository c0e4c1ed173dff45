// `csae audit walk`: walk and verify the whole chain, entry by entry (app/audit.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { walkText } from '../../walktext.js';
import { walk } from '../../../app/audit.js';

const command: Command<{ sync: boolean }> = {
  command: 'walk',
  describe: 'Walk and verify the whole chain, entry by entry, with each verdict',
  builder: (a: Argv<any>) => a.option('sync', { type: 'boolean', default: true, describe: 'fetch the mirror first (--no-sync: offline, local clone only)' }).example('csae audit walk --json', 'every entry, its signer, verdicts, void entries, checkpoints'),
  run: async (a, ctx, out) => {
    const w = await walk(ctx, { sync: a.sync });
    out.result(w, () => walkText(w, 'audit walk'));
    return w.ok ? 0 : 1;
  },
};
export default command;
