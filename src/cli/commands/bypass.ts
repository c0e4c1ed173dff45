// `csae bypass`: named commits onto a protected ref without a bundle, signed and recorded (app/work.ts).
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import { signerOptions, type SignerArgs } from '../signer.js';
import { bypass } from '../../app/work.js';

const command: Command<SignerArgs & { ref: string; range: string; reason: string; iUnderstandThisIsLogged?: boolean }> = {
  command: 'bypass',
  describe: 'Let named commits onto a protected ref without a bundle — signed by a bypass signer and recorded in the chain',
  builder: (a: Argv<any>) =>
    signerOptions(a)
      .option('ref', { type: 'string', demandOption: true, describe: 'the protected ref, e.g. refs/heads/main' })
      .option('range', { type: 'string', demandOption: true, describe: 'A..B: the commits to let through' })
      .option('reason', { type: 'string', demandOption: true })
      .option('i-understand-this-is-logged', { type: 'boolean', describe: 'required: the bypass is itself an audit entry' })
      .example('csae bypass --ref refs/heads/main --range origin/main..HEAD --reason "INC-123: hotfix while the reviewer is out" --i-understand-this-is-logged --key bypass.key', 'signed by a bypass signer; shows in audit gaps as bypassed'),
  run: async (a, ctx, out) => {
    const p = await bypass(ctx, { ref: a.ref, range: a.range, reason: a.reason, understood: !!a.iUnderstandThisIsLogged }, a);
    out.result({ ok: true, published: [p] }, () => `entry ${p.seq} (bypass of ${p.commits} commit(s) on ${a.ref}) ${p.digest}`);
  },
};
export default command;
