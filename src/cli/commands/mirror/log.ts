// `csae mirror log`: the entries of the local mirror clone, no fetch (app/audit.ts walk).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { walkText } from '../../walktext.js';
import { walk } from '../../../app/audit.js';

const command: Command = {
  command: 'log',
  describe: 'List the entries of the local mirror clone (no fetch)',
  builder: (a: Argv<any>) => a.example('csae mirror log', ''),
  run: async (_a, ctx, out) => {
    const w = await walk(ctx, { sync: false });
    out.result(w, () => walkText(w, 'mirror'));
    return w.ok ? 0 : 1;
  },
};
export default command;
