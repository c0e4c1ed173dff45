// `csae intent register`: the intent commit (A0), the scope claim made before the work (app/work.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { intentRegister } from '../../../app/work.js';

const command: Command<{ workstream: string; intent: string; operator?: string; agent?: string; model?: string; session?: string }> = {
  command: 'register',
  describe: 'Make the intent commit (A0): an empty-change commit whose trailers carry the workstream, intent and operator',
  builder: (a: Argv<any>) =>
    a
      .option('workstream', { type: 'string', demandOption: true, describe: 'id: 1-64 of a-z 0-9 . _ - (e.g. ws-schema-cleanup)' })
      .option('intent', { type: 'string', demandOption: true, describe: 'one sentence, <= 500 characters: what this work is authorised to do' })
      .option('operator', { type: 'string', describe: '"Name <email>" (default: git user.name/user.email)' })
      .option('agent', { type: 'string', describe: 'declare the AI agent assisting this work (CSAE-Agent trailer; reported as declared, never checked)' })
      .option('model', { type: 'string', describe: "the agent's model (CSAE-Model), e.g. claude-opus-4-5" })
      .option('session', { type: 'string', describe: "the agent's session id (CSAE-Session)" })
      .example('csae intent register --workstream ws-schema-cleanup --intent "Refactor the user schema and its consumers"', '')
      .example('csae intent register --workstream ws-login --intent "Add SSO login" --agent Claude --model claude-opus-4-5 --session 7f3a9c', 'declare AI assistance'),
  run: async (a, ctx, out) => {
    const r = await intentRegister(ctx, a);
    out.result({ ok: true, ...r }, () => `${r.commit}\nnext: do the work, then csae verdict record / csae bundle author`);
  },
};
export default command;
