// `csae init`: adopt csae in this clone (app/init.ts).
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import { init, type InitOptions } from '../../app/init.js';

type InitArgs = Omit<InitOptions, 'nodePath'>;

const command: Command<InitArgs> = {
  command: 'init',
  describe: 'Adopt csae in this clone: write .csae/policy.yaml, create/clone the audit mirror, record your signer, install hooks',
  builder: (a: Argv<any>) =>
    a
      .option('mirror', { type: 'string', describe: 'URL or path of the separate audit-mirror repository (created empty if a local path does not exist)' })
      .option('protect', { type: 'string', array: true, describe: 'protected ref(s), default refs/heads/main' })
      .option('key', { type: 'string', describe: 'your Ed25519 private key file, recorded as the default signer for this clone' })
      .option('key-env', { type: 'string', describe: 'name of an environment variable holding the key PEM instead' })
      .option('ssh-key', { type: 'string', describe: 'your SSH signing key (ssh-ed25519; ssh-agent works), recorded as the default signer' })
      .option('repository', { type: 'string', describe: 'repository id (default: normalised origin URL)' })
      .example('csae init --mirror ../audit.git --key ~/.csae/me.key', ''),
  run: async (a, ctx, out) => {
    const r = await init(ctx, { mirror: a.mirror, protect: a.protect, key: a.key, keyEnv: a.keyEnv, sshKey: a.sshKey, repository: a.repository, nodePath: process.execPath });
    out.result({ ok: true, created: r.created, repository: r.policy.repository, mirror: r.mirror, protect: r.policy.protect, hooks: r.hooks }, () => '');
  },
};
export default command;
