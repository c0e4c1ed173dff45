// `csae verdict import FILE`: a verdict envelope signed elsewhere, validated and stored (app/work.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { verdictImport } from '../../../app/work.js';

const command: Command<{ FILE: string }> = {
  command: 'import FILE',
  describe: 'Import a verdict envelope produced elsewhere (validated, stored canonically)',
  builder: (a: Argv<any>) => a.positional('FILE', { type: 'string', demandOption: true }).example('csae verdict import review-42.dsse.json', 'a verdict signed on the reviewer\'s machine'),
  run: async (a, ctx, out) => {
    const v = await verdictImport(ctx, { file: a.FILE });
    out.result({ ok: true, path: v.path, digest: v.digest }, () => `${v.path}\n${v.digest}`);
  },
};
export default command;
