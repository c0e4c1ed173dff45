// `csae mirror verify`: fetch the mirror and verify every entry from scratch (app/audit.ts walk).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { paint } from '../../output.js';
import { walkText } from '../../walktext.js';
import { walk } from '../../../app/audit.js';

const command: Command<{ since?: string }> = {
  command: 'verify',
  describe: 'Fetch the mirror and verify every entry from scratch: linear, append-only, seq, predecessor links, signatures, verdict files, checkpoints',
  builder: (a: Argv<any>) => a.option('since', { type: 'string', describe: 'a checkpoint you kept earlier: prove the mirror only grew since' }).example('csae mirror verify --since ~/audit/checkpoint-2026-06', ''),
  run: async (a, ctx, out) => {
    const w = await walk(ctx, { sync: true, since: a.since });
    out.result(w, () => walkText(w, w.ok ? paint(out, 32, 'mirror verifies') : paint(out, 31, 'mirror does NOT verify')));
    return w.ok ? 0 : 1;
  },
};
export default command;
