// csae command line: yargs wiring only. Each command (one file in commands/, listed in commands/index.ts)
// turns argv into options and calls one function of src/app/; exit codes come from src/core/errors.ts
// via run.ts.
import yargs, { type Argv } from 'yargs';
import { isGroup, type Command } from './command.js';
import { action, outFrom } from './run.js';
import { reportError } from './output.js';
import { CsaeError } from '../core/errors.js';
import { COMMANDS } from './commands/index.js';
import { packageVersion } from '../paths.js';

const EPILOG = `Exit codes: 0 ok · 1 verification/coverage failed · 2 usage or configuration · 3 environment (git, mirror, I/O).
The ceremony: csae intent register → work → csae verdict record → csae bundle author → csae bundle publish → git push.
Try it offline in seconds: csae demo`;

export async function yargsMain(argv: string[]): Promise<void> {
  let y = yargs(argv)
    .scriptName('csae')
    .usage('csae <command> [options]\n\nSigned, chained, offline-verifiable provenance for every commit that lands on a protected branch.')
    .option('C', { type: 'string', describe: 'run as if started in this directory (like git -C)', global: true })
    .option('json', { type: 'boolean', describe: 'machine output on stdout, nothing else there', global: true })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'only errors', global: true })
    .option('color', { type: 'boolean', default: true, describe: 'colour (--no-color, or NO_COLOR, turns it off)', global: true });
  const add = (to: Argv<any>, c: Command): Argv<any> => to.command(c.command, c.describe, c.builder, action(c.run));
  for (const e of COMMANDS) y = isGroup(e) ? y.command(e.name, e.describe, (g: Argv<any>) => e.commands.reduce(add, g).demandCommand(1, e.demand)) : add(y, e);
  await y
    .demandCommand(1, 'say which command (csae --help lists them)')
    .recommendCommands()
    .strict()
    .epilog(EPILOG)
    .help()
    .alias('h', 'help')
    .version(packageVersion())
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      // NOTE: yargs' "Did you mean X?" alone does not say what was wrong: name the word it did not know
      const unknown = msg?.startsWith('Did you mean') ? unknownCommand(argv) : undefined;
      // NOTE: through reportError, so --json gets its one error document ({ok:false, error:{code:'usage'}}) here too
      reportError(outFrom({ json: argv.includes('--json') }), new CsaeError('usage', `${unknown ? `Unknown command: ${unknown}. ` : ''}${msg}`, { next: 'add --help to the command for its options and examples' }));
      process.exit(2);
    })
    .parseAsync();
}

const firstWord = (c: Command): string => c.command.split(' ')[0]!;

/** The command words of argv csae has no command for ('frob', 'mirror frob'), or undefined. */
export function unknownCommand(argv: readonly string[]): string | undefined {
  const pos: string[] = [];
  for (let i = 0; i < argv.length && pos.length < 2; i++) {
    if (argv[i] === '-C') i++;
    else if (!argv[i]!.startsWith('-')) pos.push(argv[i]!);
  }
  if (pos[0] === undefined) return undefined;
  const top = COMMANDS.find((e) => (isGroup(e) ? e.name : firstWord(e)) === pos[0]);
  if (!top) return pos[0];
  if (isGroup(top) && pos[1] !== undefined && !top.commands.some((c) => firstWord(c) === pos[1])) return `${pos[0]} ${pos[1]}`;
  return undefined;
}
