// `csae audit report --html FILE`: the self-verifying HTML audit page (app/audit.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { report } from '../../../app/audit.js';

const command: Command<{ html: string; ref?: string[]; sync: boolean }> = {
  command: 'report',
  describe: 'Write one self-contained HTML page that re-verifies the mirror in the browser: coverage of the protected refs, search (commit, workstream, person, agent), entries with scope, verdicts, signers, policy version and declared assistance',
  builder: (a: Argv<any>) =>
    a
      .option('html', { type: 'string', demandOption: true, describe: 'output file' })
      .option('ref', { type: 'string', array: true, describe: 'a ref whose coverage to report (repeatable; default: the protected refs, as origin has them)' })
      .option('sync', { type: 'boolean', default: true, describe: 'fetch the mirror first (--no-sync: the local clone only)' })
      .example('csae audit report --html audit.html', 'open audit.html in a browser: it verifies itself, offline')
      .example('csae audit report --html audit.html --ref origin/main --ref origin/release', ''),
  run: async (a, ctx, out) => {
    const r = await report(ctx, { html: a.html, refs: a.ref, sync: a.sync });
    out.result(r, () => `wrote ${r.file} (${r.entries} entries, ${(r.bytes / 1e6).toFixed(1)} MB, coverage of ${r.refs.join(', ') || 'no protected ref'})${r.ok ? '' : `: the audit found problems${r.uncovered ? ` (${r.uncovered} uncovered commit(s))` : ''}, see the report`}`);
    return r.ok ? 0 : 1;
  },
};
export default command;
