// One CLI command: the words yargs matches, its description, its options and examples (`builder`), and the
// one function that runs it (`run`: argv → options, one call into src/app/, print through the Out). Each
// lives in its own file under commands/ (changesets style); commands/index.ts lists them for yargs.ts.
// Depends on: yargs' types only, so a command file stays loadable without yargs (the fast path, fast.ts).
import type { Argv } from 'yargs';
import type { Handler } from './run.js';

export interface Command<A = any> {
  /** what yargs matches under the command's group: 'prove <what>', 'verify' */
  command: string;
  describe: string;
  /** options, positionals and at least one example (test/e2e/help.test.ts checks every command) */
  builder: (a: Argv<any>) => Argv<any>;
  run: Handler<A>;
}

/** A command group: `csae <name> <command>`; `demand` is the message when no command is named. */
export interface Group {
  name: string;
  describe: string;
  demand: string;
  commands: readonly Command[];
}

export const isGroup = (e: Command | Group): e is Group => 'commands' in e;
