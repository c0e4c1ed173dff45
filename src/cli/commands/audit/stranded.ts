// `csae audit stranded`: intent registrations no mirrored entry covers (app/audit.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { stranded } from '../../../app/audit.js';

const command: Command = {
  command: 'stranded',
  describe: 'List intent registrations on any ref that no mirrored entry covers (close them: csae bundle abandon)',
  builder: (a: Argv<any>) => a.example('csae audit stranded', ''),
  run: async (_a, ctx, out) => {
    const s = await stranded(ctx);
    out.result({ ok: true, stranded: s }, () => (s.length ? s.map((x) => `${x.workstream}  ${x.commit.slice(0, 12)}  ${x.registeredAt}  ${x.operator}  ${x.intent}\n  next: csae bundle author --workstream ${x.workstream}, or csae bundle abandon --workstream ${x.workstream} --reason TEXT`).join('\n') : 'no stranded intents'));
  },
};
export default command;
