// `csae audit gaps`: the commits of a ref no verified bundle covers (app/audit.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { gaps } from '../../../app/audit.js';

const command: Command<{ ref: string }> = {
  command: 'gaps',
  describe: 'List commits of a ref that no verified bundle covers (and those covered only post hoc or by bypass)',
  builder: (a: Argv<any>) => a.option('ref', { type: 'string', default: 'HEAD', describe: 'the ref to audit, e.g. origin/main' }).example('csae audit gaps --ref origin/main', 'commits = attested + post hoc + bypassed + uncovered'),
  run: async (a, ctx, out) => {
    const g = await gaps(ctx, { ref: a.ref });
    out.result(g, () =>
      [
        `${g.ref} @ ${g.tip.slice(0, 12)}: ${g.commits} commit(s) after the cutover = ${g.attested} attested + ${g.postHoc.length} post hoc + ${g.bypassed.length} bypassed + ${g.gaps.length} uncovered${g.chainOk ? '' : ' (chain BROKEN: csae mirror verify)'}`,
        ...g.gaps.map((d) => `  gap       ${d.commit.slice(0, 12)} ${d.subject}\n            ${d.message}\n            next: ${d.next}`),
        ...g.postHoc.map((p) => `  post-hoc  ${p.commit.slice(0, 12)} entry ${p.seq} (${p.workstream})`),
        ...g.bypassed.map((p) => `  bypassed  ${p.commit.slice(0, 12)} entry ${p.seq}`),
      ].join('\n'),
    );
    return g.gaps.length || !g.chainOk ? 1 : 0;
  },
};
export default command;
