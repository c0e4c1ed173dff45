// `csae keygen --out PATH`: an Ed25519 key pair (app/policy.ts keygen).
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import { keygen } from '../../app/policy.js';

const command: Command<{ out: string }> = {
  command: 'keygen',
  describe: 'Make an Ed25519 signing key: PATH (private, PKCS#8 PEM, mode 600) and PATH.pub',
  builder: (a: Argv<any>) => a.option('out', { type: 'string', demandOption: true, describe: 'where to write the private key; the public key goes to PATH.pub' }).example('csae keygen --out ~/.csae/olive.key', 'then: csae policy trust --bundles --name olive --key ~/.csae/olive.key.pub'),
  run: async (a, ctx, out) => {
    const r = await keygen(ctx, { out: a.out });
    out.result({ ok: true, private: r.private, public: r.public, keyid: r.keyid }, () => `wrote ${r.private} (private, keep it out of any repository)\nwrote ${r.public} (public)\nkeyid ${r.keyid}\nnext: csae policy trust --bundles --name NAME --key ${r.public}`);
  },
};
export default command;
