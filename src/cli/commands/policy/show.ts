// `csae policy show`: the policy as csae reads it, with the cutover in effect (app/policy.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { policyShow } from '../../../app/policy.js';
import { serializePolicy } from '../../../policy/policy.js';

const command: Command = {
  command: 'show',
  describe: 'Print the policy as csae reads it, and the cutover in effect (explicit, or derived from history)',
  builder: (a: Argv<any>) => a.example('csae policy show --json', 'the policy object plus cutoverInEffect {commit, source, detail}'),
  run: async (_a, ctx, out) => {
    const { policy: p, cutover } = await policyShow(ctx);
    out.result({ ...p, cutoverInEffect: cutover }, () => `${serializePolicy(p).trimEnd()}\n# cutover in effect: ${cutover.commit ?? '(none yet)'} (${cutover.source}) — ${cutover.detail}`);
  },
};
export default command;
