// `csae intent status`: the intents registered in this clone and how far each got (app/work.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { intentStatus } from '../../../app/work.js';

const command: Command = {
  command: 'status',
  describe: 'List registered intents in this clone and whether each is open or attested',
  builder: (a: Argv<any>) => a.example('csae intent status --json', 'open · authored · mirrored · not-on-branch, with the entry that covers each'),
  run: async (_a, ctx, out) => {
    const s = await intentStatus(ctx);
    out.result({ ok: true, intents: s }, () => (s.length ? s.map((x) => `${x.state.padEnd(13)} ${x.workstream}  ${x.commit.slice(0, 12)}  ${x.intent}${x.entry ? `  (entry ${x.entry.seq}, ${x.entry.kind})` : ''}`).join('\n') : 'no intents registered in this clone (csae intent register --workstream ID --intent TEXT)'));
  },
};
export default command;
