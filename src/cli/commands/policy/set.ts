// `csae policy set KEY VALUE` (app/policy.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { policySet } from '../../../app/policy.js';

const command: Command<{ key: string; value: string }> = {
  command: 'set <key> <value>',
  describe: 'Set a policy value: twoParty, floor, verdict, mergeCommits, rewrites, intentGuard, cutover, repository, mirror.url, mirror.branch, protect, bypass.allowed, sigstore.trustedRoot, witnesses.required',
  builder: (a: Argv<any>) => a.positional('key', { type: 'string', demandOption: true }).positional('value', { type: 'string', demandOption: true }).example('csae policy set twoParty true', '').example('csae policy set mergeCommits clean', '').example('csae policy set sigstore.trustedRoot .csae/trusted_root.json', ''),
  run: async (a, ctx, out) => {
    await policySet(ctx, { key: a.key, value: String(a.value) });
    out.result({ ok: true, key: a.key, value: a.value }, () => `set ${a.key} = ${a.value} in .csae/policy.yaml (commit it)`);
  },
};
export default command;
