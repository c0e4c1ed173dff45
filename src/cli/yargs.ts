// csae command line: yargs wiring only. Each command turns argv into options and calls one library
// function (src/*); exit codes come from src/core/errors.ts via run.ts.
import yargs from 'yargs';
import { setupCommands } from './commands/setup.js';
import { workCommands } from './commands/work.js';
import { checkCommands } from './commands/check.js';
import { inspectCommands } from './commands/inspect.js';
import { demoCommand } from './commands/demo.js';
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
  y = setupCommands(y);
  y = workCommands(y);
  y = checkCommands(y);
  y = inspectCommands(y);
  y = demoCommand(y);
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
      process.stderr.write(`csae: ${msg}\n  next: add --help to the command for its options and examples\n`);
      process.exit(2);
    })
    .parseAsync();
}

