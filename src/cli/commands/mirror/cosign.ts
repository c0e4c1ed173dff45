// `csae mirror cosign`: a witness cosigns the latest checkpoint after a consistency proof (app/audit.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { cosign } from '../../../app/audit.js';

const command: Command<{ key?: string; keyEnv?: string }> = {
  command: 'cosign',
  describe: "As a witness, cosign the latest checkpoint (C2SP tlog-cosignature) after proving it consistent with the newest one this witness cosigned before",
  builder: (a: Argv<any>) =>
    a
      .option('key', { type: 'string', demandOption: true, describe: "the witness's own Ed25519 key (trusted with csae policy trust --witnesses)" })
      .option('key-env', { type: 'string' })
      .example('csae mirror cosign --key ~/.csae/witness-a.key', 'refuses with SECURITY ERROR if the mirror forked since its last cosignature'),
  run: async (a, ctx, out) => {
    const c = await cosign(ctx, a);
    out.result({ ok: true, ...c }, () => c.note);
  },
};
export default command;
