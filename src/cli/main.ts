#!/usr/bin/env node
// csae entry point. `csae hook ...` (what git runs on every push) is dispatched without loading yargs or
// the other commands: start-up time is most of a pre-push hook's budget. Everything else goes to yargs.
const argv = process.argv.slice(2);

async function hookFastPath(args: string[]): Promise<boolean> {
  const names = ['pre-push', 'pre-receive', 'pre-commit', 'mirror-pre-receive'];
  const flags = { json: false, quiet: false, color: true, C: undefined as string | undefined };
  const pos: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') flags.json = true;
    else if (a === '--quiet' || a === '-q') flags.quiet = true;
    else if (a === '--no-color') flags.color = false;
    else if (a === '-C' && i + 1 < args.length) flags.C = args[++i];
    else if (a.startsWith('-')) return false; // anything else (--help, typos): let yargs explain
    else pos.push(a);
  }
  if (pos.length < 1 || pos.length > 3 || !names.includes(pos[0]!)) return false;
  // the single-file bundle when built (scripts/build-hook.mjs), else the separate modules
  const { execute, hookHandler } = await fastModule();
  process.exitCode = await execute({ ...flags, name: pos[0] as 'pre-push', remote: pos[1], url: pos[2] }, hookHandler);
  return true;
}

/** `csae audit who COMMIT [--json] [--sync] [-C DIR] [-q] [--no-color]`, without yargs. */
async function whoFastPath(args: string[]): Promise<boolean> {
  const flags = { json: false, quiet: false, color: true, sync: false, C: undefined as string | undefined };
  const pos: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') flags.json = true;
    else if (a === '--quiet' || a === '-q') flags.quiet = true;
    else if (a === '--no-color') flags.color = false;
    else if (a === '--sync') flags.sync = true;
    else if (a === '-C' && i + 1 < args.length) flags.C = args[++i];
    else if (a.startsWith('-')) return false;
    else pos.push(a);
  }
  if (pos.length !== 1) return false;
  const mod = await fastModule();
  process.exitCode = await mod.execute({ ...flags, commit: pos[0]! }, mod.whoHandler);
  return true;
}

async function fastModule(): Promise<typeof import('./hookentry.js')> {
  try {
    return (await import(new URL('../../hook.mjs', import.meta.url).href)) as typeof import('./hookentry.js');
  } catch {
    return import('./hookentry.js');
  }
}

async function main(): Promise<void> {
  if (argv[0] === 'hook' && (await hookFastPath(argv.slice(1)))) return;
  if (argv[0] === 'audit' && argv[1] === 'who' && (await whoFastPath(argv.slice(2)))) return;
  let mod: typeof import('./yargs.js');
  try {
    mod = (await import(new URL('../../cli.mjs', import.meta.url).href)) as typeof import('./yargs.js');
  } catch {
    mod = await import('./yargs.js');
  }
  await mod.yargsMain(argv);
}

main().catch((e: unknown) => {
  process.stderr.write(`csae: unexpected failure: ${(e as Error)?.message ?? String(e)}\n`);
  process.exitCode = 3;
});
