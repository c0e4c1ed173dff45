// Every command's --help carries at least one example, for every command the registry lists (issue 6: the
// list is src/cli/commands/index.ts, never a copy here); a user's slip (unknown command, missing flag,
// wrong choice) is a usage error, exit 2, naming what was wrong.
import { expect } from 'chai';
import { runCsae, ROOT } from '../helpers/gitrepo.js';
import { commandWords } from '../../src/cli/commands/index.js';

describe('e2e: every command --help has an example', function () {
  this.timeout(120_000);
  const commands = commandWords();

  it('the registry lists every command, top-level and grouped', () => {
    const names = commands.map((w) => w.join(' '));
    // a floor, not the list: the registry is the list; this catches it coming back empty or losing a group
    expect(names.length).to.be.greaterThan(30);
    expect(names).to.include.members(['init', 'verify', 'hook', 'demo', 'intent register', 'bundle publish', 'mirror verify', 'audit walk', 'audit who', 'policy trust']);
    expect(new Set(names).size).to.equal(names.length);
  });

  it('each --help exits 0 with an Examples: section', async () => {
    const missing: string[] = [];
    for (let i = 0; i < commands.length; i += 6) {
      await Promise.all(
        commands.slice(i, i + 6).map(async (words) => {
          const r = await runCsae([...words, '--help'], { cwd: ROOT });
          if (r.code !== 0 || !/^Examples:\n  csae |^Examples:\n  git /m.test(r.stdout)) missing.push(`${words.join(' ')} (exit ${r.code})`);
        }),
      );
    }
    expect(missing).to.deep.equal([]);
  });
});

describe('e2e: usage errors are exit 2 and name the problem', function () {
  this.timeout(60_000);
  const cases: { args: string[]; names: RegExp }[] = [
    { args: ['frobnicate'], names: /frobnicate/ },
    // yargs alone would say only "Did you mean prove?"
    { args: ['mirror', 'frob'], names: /Unknown command: mirror frob/ },
    { args: ['audit', 'whoo', 'HEAD'], names: /Unknown command: audit whoo/ },
    { args: ['intent', 'register', '--workstream', 'ws-x'], names: /Missing required argument: intent/ },
    { args: ['keygen'], names: /Missing required argument: out/ },
    { args: ['mirror'], names: /say which: verify/ },
    { args: ['verify', '--format', 'xml'], names: /Invalid values:[\s\S]*format/ },
    { args: ['verify', '--ref', 'a', '--range', 'b'], names: /mutually exclusive/ },
    { args: ['hooks', 'reinstall'], names: /Invalid values:[\s\S]*action/ },
  ];
  it(`${cases.length} slips`, async () => {
    const wrong: string[] = [];
    await Promise.all(
      cases.map(async (c) => {
        const r = await runCsae(c.args, { cwd: ROOT });
        if (r.code !== 2 || !c.names.test(r.stderr) || /\n\s+at /.test(r.stderr)) wrong.push(`${c.args.join(' ')}: exit ${r.code}: ${r.stderr.trim()}`);
      }),
    );
    expect(wrong).to.deep.equal([]);
  });
});
