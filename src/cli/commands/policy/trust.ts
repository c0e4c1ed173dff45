// `csae policy trust`: trust a signer for roles in .csae/policy.yaml (app/policy.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { policyTrust } from '../../../app/policy.js';
import type { Role } from '../../../policy/policy.js';

interface TrustArgs {
  bundles?: boolean;
  verdicts?: boolean;
  bypass?: boolean;
  checkpoints?: boolean;
  witnesses?: boolean;
  name: string;
  email?: string;
  key?: string;
  sshKey?: string;
  sigstoreIssuer?: string;
  sigstoreIdentity?: string;
}

const command: Command<TrustArgs> = {
  command: 'trust',
  describe: 'Trust a signer for a role',
  builder: (a: Argv<any>) =>
    a
      .option('bundles', { type: 'boolean', describe: 'may sign bundles (entries)' })
      .option('verdicts', { type: 'boolean', describe: 'may sign review verdicts' })
      .option('bypass', { type: 'boolean', describe: 'may sign bypass entries' })
      .option('checkpoints', { type: 'boolean', describe: 'may sign mirror checkpoints' })
      .option('witnesses', { type: 'boolean', describe: 'may cosign mirror checkpoints as a witness (an Ed25519 key of its own)' })
      .option('name', { type: 'string', demandOption: true, describe: 'who this is: the verified identity every check and audit answer uses' })
      .option('email', { type: 'string', describe: "the signer's email, part of its verified identity (name <email>)" })
      .option('key', { type: 'string', describe: 'Ed25519 public key file (PATH.pub from csae keygen)' })
      .option('ssh-key', { type: 'string', describe: 'OpenSSH ssh-ed25519 public key file (e.g. ~/.ssh/id_ed25519.pub)' })
      .option('sigstore-issuer', { type: 'string', describe: 'OIDC issuer URL of a keyless (CI) signer, compared exactly' })
      .option('sigstore-identity', { type: 'string', describe: 'its exact certificate identity (SAN), e.g. a workflow URI; compared exactly, never as a pattern' })
      .example('csae policy trust --verdicts --name rita --key rita.key.pub', '')
      .example('csae policy trust --bundles --name ci --sigstore-issuer https://token.actions.githubusercontent.com --sigstore-identity https://github.com/acme/orca/.github/workflows/publish.yml@refs/heads/main', '')
      .example('csae policy trust --witnesses --name wit-a --key witness-a.key.pub', 'a witness that cosigns checkpoints'),
  run: async (a, ctx, out) => {
    const roles = (['bundles', 'verdicts', 'bypass', 'checkpoints', 'witnesses'] as Role[]).filter((r) => a[r]);
    await policyTrust(ctx, { roles, name: a.name, email: a.email, key: a.key, sshKey: a.sshKey, sigstoreIssuer: a.sigstoreIssuer, sigstoreIdentity: a.sigstoreIdentity });
    out.result({ ok: true, name: a.name, roles }, () => `trusted ${a.name} for ${roles.join(', ')} in .csae/policy.yaml (commit it)`);
  },
};
export default command;
