// `csae policy revoke`: departed or compromised signers (app/policy.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { policyRevoke } from '../../../app/policy.js';

const command: Command<{ name: string; compromised?: boolean; since?: number }> = {
  command: 'revoke',
  describe: 'Remove a signer from every role: departed (its earlier entries stay valid) or --compromised (its entries from --since on are void under every policy version)',
  builder: (a: Argv<any>) =>
    a
      .option('name', { type: 'string', demandOption: true, describe: 'the signer name in the policy' })
      .option('compromised', { type: 'boolean', describe: 'the key is compromised: distrust its entries from --since on (default: all), under every policy version' })
      .option('since', { type: 'number', describe: 'with --compromised: the first entry seq to distrust' })
      .example('csae policy revoke --name bob', 'bob left: his entries so far stay valid, later ones are refused')
      .example('csae policy revoke --name bob --compromised --since 42', "bob's key leaked: entries 42 onwards are void; then csae chain repair --break SEQ"),
  run: async (a, ctx, out) => {
    const r = await policyRevoke(ctx, { name: a.name, compromised: a.compromised, since: a.since });
    out.result({ ok: true, name: a.name, removed: r.removed, compromised: !!a.compromised, ...(a.compromised ? { since: a.since ?? 1 } : {}) }, () => `revoked ${a.name} (${r.removed} role(s))${a.compromised ? `; entries it signed from seq ${a.since ?? 1} on are void under every policy version once this lands — then csae mirror verify names them and csae chain repair --break SEQ acknowledges each` : '; its earlier entries stay valid'} (commit it, cover it with a bundle, land it)`);
  },
};
export default command;
