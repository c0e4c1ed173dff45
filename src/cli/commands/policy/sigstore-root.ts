// `csae policy sigstore-root --out FILE`: fetch the Sigstore trusted root through TUF (app/policy.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { sigstoreRoot } from '../../../app/policy.js';

const command: Command<{ out: string; tufMirror?: string; tufRoot?: string }> = {
  command: 'sigstore-root',
  describe: 'Fetch the current Sigstore trusted root through TUF (needs network) and write it to a file; commit it and name it with csae policy set sigstore.trustedRoot',
  builder: (a: Argv<any>) =>
    a
      .option('out', { type: 'string', demandOption: true, describe: 'where to write the trusted root JSON (e.g. .csae/trusted_root.json)' })
      .option('tuf-mirror', { type: 'string', describe: 'another TUF repository (default: the Sigstore public-good one)' })
      .option('tuf-root', { type: 'string', describe: 'the initial root.json of that TUF repository' })
      .example('csae policy sigstore-root --out .csae/trusted_root.json', 'then: csae policy set sigstore.trustedRoot .csae/trusted_root.json'),
  run: async (a, ctx, out) => {
    const { path } = await sigstoreRoot(ctx, { out: a.out, tufMirror: a.tufMirror, tufRoot: a.tufRoot });
    out.result({ ok: true, path }, () => `wrote ${path}\nnext: csae policy set sigstore.trustedRoot ${a.out}, then commit it`);
  },
};
export default command;
