// `csae bundle author`: the claim, the self-attestation commit and a draft for publish (app/work.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { bundleAuthor } from '../../../app/work.js';

const command: Command<{ workstream?: string; verdict?: string[] }> = {
  command: 'author',
  describe: 'Compute the claim, make the self-attestation commit (A(n+1)) and leave a draft for publish',
  builder: (a: Argv<any>) =>
    a
      .option('workstream', { type: 'string', describe: 'default: the one open workstream on this branch' })
      .option('verdict', { type: 'string', array: true, describe: 'verdict file(s) (default: local verdicts that cover the range)' })
      .example('csae bundle author --workstream ws-schema-cleanup --verdict .git/csae/verdicts/sha256-....dsse.json', ''),
  run: async (a, ctx, out) => {
    const r = await bundleAuthor(ctx, { workstream: a.workstream, verdicts: a.verdict });
    out.result({ ok: true, workstream: r.workstream, attestation: r.attestation, claimDigest: r.claimDigest, commits: [...r.claim.range.commits, r.attestation], draft: r.draftPath }, () => `${r.attestation}\nclaim ${r.claimDigest}\nnext: csae bundle publish, then push`);
  },
};
export default command;
