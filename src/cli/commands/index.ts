// Every csae command, in the order `csae --help` lists them: a file directly in commands/ is a top-level
// command (`csae verify`), a folder is a group (`csae mirror verify`: commands/mirror/verify.ts, listed
// by commands/mirror/index.ts). yargs.ts wires this list; test/e2e/help.test.ts walks it.
// NOTE: not loaded by the fast path (fast.ts imports hook.ts and audit/who.ts alone), so adding a command
// here never slows a push.
import { isGroup, type Command, type Group } from '../command.js';
import keygen from './keygen.js';
import init from './init.js';
import hooks from './hooks.js';
import { policy } from './policy/index.js';
import { intent } from './intent/index.js';
import { verdict } from './verdict/index.js';
import { bundle } from './bundle/index.js';
import { chain } from './chain/index.js';
import bypass from './bypass.js';
import verify from './verify.js';
import hook from './hook.js';
import { mirror } from './mirror/index.js';
import { audit } from './audit/index.js';
import demo from './demo.js';

export const COMMANDS: readonly (Command | Group)[] = [keygen, init, hooks, policy, intent, verdict, bundle, chain, bypass, verify, hook, mirror, audit, demo];

/** Every runnable command as the words a user types, e.g. ['mirror', 'prove'] or ['verify']. */
export function commandWords(): string[][] {
  const word = (c: Command): string => c.command.split(' ')[0]!;
  return COMMANDS.flatMap((e) => (isGroup(e) ? e.commands.map((c) => [e.name, word(c)]) : [[word(e)]]));
}
