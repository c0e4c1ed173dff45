// Every command's --help carries at least one example (issue 8: "today 10 of 29 have one").
import { expect } from 'chai';
import { runCsae, ROOT } from '../helpers/gitrepo.js';

const COMMANDS = [
  'init', 'keygen', 'policy trust', 'policy set', 'policy revoke', 'policy show', 'intent register', 'intent status',
  'verdict record', 'verdict import', 'bundle author', 'bundle publish', 'bundle retroactive', 'bundle abandon',
  'chain repair', 'bypass', 'mirror verify', 'mirror checkpoint', 'mirror cosign', 'mirror prove', 'mirror log',
  'verify', 'hook', 'hooks', 'audit walk', 'audit who', 'audit gaps', 'audit stranded', 'audit report', 'demo',
];

describe('e2e: every command --help has an example', function () {
  this.timeout(120_000);
  it(`all ${COMMANDS.length} commands`, async () => {
    const missing: string[] = [];
    for (let i = 0; i < COMMANDS.length; i += 6) {
      await Promise.all(
        COMMANDS.slice(i, i + 6).map(async (cmd) => {
          const r = await runCsae([...cmd.split(' '), '--help'], { cwd: ROOT });
          if (r.code !== 0 || !/^Examples:\n  csae |^Examples:\n  git /m.test(r.stdout)) missing.push(cmd);
        }),
      );
    }
    expect(missing).to.deep.equal([]);
  });
});
