// `csae bundle publish`: sign the authored drafts and append them to the audit mirror (app/work.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { signerOptions, type SignerArgs } from '../../signer.js';
import { exitCodeFor } from '../../../core/errors.js';
import { bundlePublish } from '../../../app/work.js';

const command: Command<SignerArgs & { workstream?: string; all?: boolean }> = {
  command: 'publish',
  describe: "Sign each authored bundle of this branch (with seq and predecessor), append it to the audit mirror, push the mirror; one failing draft never stops the others",
  builder: (a: Argv<any>) =>
    signerOptions(a)
      .option('workstream', { type: 'string', describe: 'publish only this one (whatever branch authored it)' })
      .option('all', { type: 'boolean', describe: "publish every waiting draft in this clone, other branches' too" })
      .conflicts('all', 'workstream')
      .example('csae bundle publish --key ~/.csae/olive.key', 'the drafts authored on this branch')
      .example('csae bundle publish --workstream ws-schema-cleanup', 'one workstream, whatever branch authored it')
      .example('csae bundle publish --sigstore', 'in CI: keyless, with the job\'s identity token'),
  run: async (a, ctx, out) => {
    const r = await bundlePublish(ctx, { workstream: a.workstream, all: a.all }, a);
    out.result(r, () =>
      [
        ...r.results.map((x) =>
          x.status === 'failed'
            ? `FAILED    ${x.workstream}: ${x.error!.message}${x.error!.next ? `\n          next: ${x.error!.next}` : ''}`
            : `${x.status === 'published' ? 'published' : 'already  '} ${x.workstream}: entry ${x.seq} ${x.digest}${x.status === 'already-published' ? ' (was in the mirror already; draft retired)' : ''}`,
        ),
        r.published.length || r.results.some((x) => x.status === 'already-published') ? 'next: git push' : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
    // the worst failure decides the exit code (0 when every draft is in the mirror)
    return Math.max(0, ...r.results.filter((x) => x.error).map((x) => exitCodeFor(x.error!.code)));
  },
};
export default command;
