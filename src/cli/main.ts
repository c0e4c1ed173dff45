#!/usr/bin/env node
// csae entry point. What runs often and must start fast — `csae hook ...` (git runs it on every push) and
// `csae audit who` — is dispatched to one bundled module without yargs; everything else goes to yargs
// (bundled too when built). Anything the fast paths do not recognise (--help, typos) falls to yargs.
import { createRequire } from 'node:module';
const argv = process.argv.slice(2);

interface FastArgs {
  json: boolean;
  quiet: boolean;
  color: boolean;
  sync: boolean;
  C?: string;
  pos: string[];
}

/** The global flags and positionals, or null when anything else is present. */
function parseFast(args: string[], allowSync: boolean): FastArgs | null {
  const f: FastArgs = { json: false, quiet: false, color: true, sync: false, pos: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') f.json = true;
    else if (a === '--quiet' || a === '-q') f.quiet = true;
    else if (a === '--no-color') f.color = false;
    else if (a === '--sync' && allowSync) f.sync = true;
    else if (a === '-C' && i + 1 < args.length) f.C = args[++i];
    else if (a.startsWith('-')) return null;
    else f.pos.push(a);
  }
  return f;
}

type FastModule = typeof import('./fast.js');

/**
 * dist/fast.cjs compiled through node:vm with a V8 code cache beside it (Node 20 has no
 * module.enableCompileCache): the cache is named by the sha256 of the bundle, node's version and arch,
 * lives in the package's own dist/ (whoever can write it can already change the code), is written once
 * at exit by the first run and is only ever an input V8 checks again (rejected: compiled as usual).
 * null when there is no such bundle (a build without esbuild) or CSAE_NO_CODE_CACHE is set.
 */
async function cachedFast(): Promise<{ mod: FastModule; how: string } | null> {
  if (process.env.CSAE_NO_CODE_CACHE) return null;
  // builtins through require: each dynamic import() of one costs the ES module loader a job (~2 ms)
  const req = createRequire(import.meta.url);
  const fs = req('node:fs') as typeof import('node:fs');
  const vm = req('node:vm') as typeof import('node:vm');
  const { createHash } = req('node:crypto') as typeof import('node:crypto');
  const { fileURLToPath } = req('node:url') as typeof import('node:url');
  const { dirname, join } = req('node:path') as typeof import('node:path');
  const file = fileURLToPath(new URL('../../fast.cjs', import.meta.url));
  let src: string;
  try {
    src = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const dir = dirname(file);
  const name = `.fast-${createHash('sha256').update(src).update(`\0${process.version}\0${process.arch}`).digest('hex').slice(0, 32)}.v8cache`;
  const cacheFile = join(dir, name);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${src}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as FastModule };
  (script.runInThisContext() as (e: object, r: NodeRequire, m: object, f: string, d: string) => void)(module.exports, createRequire(file), module, file, dir);
  const used = !!cachedData && !script.cachedDataRejected;
  if (!used) {
    // after the run: the cache then holds the functions the run compiled too
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
        for (const f of fs.readdirSync(dir)) if (/^\.fast-[0-9a-f]{32}\.v8cache$/.test(f) && f !== name) fs.rmSync(join(dir, f), { force: true });
      } catch {
        // a read-only install: every run compiles, as without the cache
      }
    });
  }
  return { mod: module.exports, how: `dist/fast.cjs (bundled, code cache ${used ? 'used' : cachedData ? 'rejected' : 'written at exit'})` };
}

async function fastModule(): Promise<FastModule> {
  const trace = (how: string): void => void (process.env.CSAE_TRACE && process.stderr.write(`csae-trace: @${performance.now().toFixed(1)} fast path from ${how}\n`));
  try {
    const c = await cachedFast();
    if (c) {
      trace(c.how);
      return c.mod;
    }
  } catch {
    // fall back to the ES module bundle
  }
  try {
    const m = (await import(new URL('../../fast.mjs', import.meta.url).href)) as typeof import('./fast.js');
    trace('dist/fast.mjs (bundled)');
    return m;
  } catch {
    trace('dist/src modules (no bundle)');
    return import('./fast.js');
  }
}

async function fastPath(): Promise<boolean> {
  if (argv[0] === 'hook') {
    const f = parseFast(argv.slice(1), false);
    const names = ['pre-push', 'pre-receive', 'pre-commit', 'mirror-pre-receive'];
    if (!f || f.pos.length < 1 || f.pos.length > 3 || !names.includes(f.pos[0]!)) return false;
    const { execute, hookHandler } = await fastModule();
    process.exitCode = await execute({ ...f, name: f.pos[0] as 'pre-push', remote: f.pos[1], url: f.pos[2] }, hookHandler);
    return true;
  }
  if (argv[0] === 'audit' && argv[1] === 'who') {
    const f = parseFast(argv.slice(2), true);
    if (!f || f.pos.length !== 1) return false;
    const { execute, whoHandler } = await fastModule();
    process.exitCode = await execute({ ...f, commit: f.pos[0]! }, whoHandler);
    return true;
  }
  return false;
}

async function main(): Promise<void> {
  if (process.env.CSAE_TRACE) {
    process.stderr.write(`csae-trace: @${performance.now().toFixed(1)} main\n`);
    process.on('exit', () => process.stderr.write(`csae-trace: @${performance.now().toFixed(1)} exit\n`));
  }
  if (await fastPath()) return;
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
