// `csae chain repair`: name the entry that breaks the chain (app/work.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { signerOptions, type SignerArgs } from '../../signer.js';
import { repairChain } from '../../../app/work.js';

const command: Command<SignerArgs & { break: number; reason: string }> = {
  command: 'repair',
  describe: 'Name the entry that breaks the chain; it then covers nothing and the chain continues past it (the break stays visible)',
  builder: (a: Argv<any>) =>
    signerOptions(a)
      .option('break', { type: 'number', demandOption: true, describe: 'seq of the first entry that fails (csae mirror verify names it)' })
      .option('reason', { type: 'string', demandOption: true })
      .example('csae chain repair --break 17 --reason "entry 17 signed by a revoked key; its commits re-covered by entry 19"', 'after csae mirror verify names entry 17'),
  run: async (a, ctx, out) => {
    const p = await repairChain(ctx, { breakSeq: a.break, reason: a.reason }, a);
    out.result({ ok: true, published: [p] }, () => `entry ${p.seq} (repair of entry ${a.break}) ${p.digest}\nnext: commits the broken entry listed need new coverage (csae verify names them)`);
  },
};
export default command;
