// `csae mirror prove WHAT`: an inclusion proof of an entry in the latest checkpoint (app/audit.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { prove } from '../../../app/audit.js';

const command: Command<{ what: string }> = {
  command: 'prove <what>',
  describe: 'Inclusion proof of an entry (by seq, or the entry covering a commit) in the latest checkpoint',
  builder: (a: Argv<any>) => a.positional('what', { type: 'string', demandOption: true, describe: 'entry seq or commit' }).example('csae mirror prove 42', 'by seq').example('csae mirror prove HEAD', 'the entry covering a commit'),
  run: async (a, ctx, out) => {
    const p = await prove(ctx, { what: a.what });
    out.result({ ok: true, ...p }, () => `entry ${p.seq} in a tree of ${p.treeSize}\nleaf ${p.leafHash}\nroot ${p.root}\nproof:\n${p.proof.map((x) => '  ' + x).join('\n') || '  (empty)'}${p.checkpoint ? `\ncheckpoint:\n${p.checkpoint}` : '\n(no checkpoint covers it yet: csae mirror checkpoint)'}`);
  },
};
export default command;
