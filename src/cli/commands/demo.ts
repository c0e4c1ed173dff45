// `csae demo`: the whole ceremony in temporary repositories, offline, narrated (app/demo.ts).
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import { runDemo } from '../../app/demo.js';

const command: Command<{ keep?: string }> = {
  command: 'demo',
  describe: 'Run the whole ceremony in temporary repositories, offline, and narrate what each step proves',
  builder: (a: Argv<any>) => a.option('keep', { type: 'string', describe: 'build the demo in DIR and keep it for inspection' }).example('csae demo --keep /tmp/csae-demo', ''),
  run: async (a, ctx, out) => {
    const r = await runDemo(ctx, { keep: a.keep, nodePath: process.execPath, say: (s) => (out.json ? undefined : out.info(s)) });
    out.result(r, () => `\n${r.ok ? 'demo complete' : 'demo FAILED'}: ${r.steps.filter((s) => s.ok).length}/${r.steps.length} steps in ${(r.ms / 1000).toFixed(1)} s${r.kept ? `; repositories kept in ${r.dir}` : ''}`);
    return r.ok ? 0 : 1;
  },
};
export default command;
