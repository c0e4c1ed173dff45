// The signer options every signing command takes (verdict record, bundle publish|retroactive|abandon,
// chain repair, bypass); app/signer.ts decides which signer they name.
import type { Argv } from 'yargs';

export const signerOptions = (a: Argv<any>): Argv<any> =>
  a
    .option('key', { type: 'string', describe: 'Ed25519 private key file (default: the signer csae init recorded)' })
    .option('key-env', { type: 'string', describe: 'name of an environment variable holding the private key PEM' })
    .option('ssh-key', { type: 'string', describe: 'SSH signing key (ssh-keygen -Y sign; its .pub beside it)' })
    .option('sigstore', { type: 'boolean', describe: 'keyless Sigstore signing in CI with the ambient identity token (GitHub Actions id-token: write, or SIGSTORE_ID_TOKEN); services from CSAE_SIGSTORE_FULCIO_URL / _REKOR_URL / _TSA_URL' });

export interface SignerArgs {
  key?: string;
  keyEnv?: string;
  sshKey?: string;
  sigstore?: boolean;
}
