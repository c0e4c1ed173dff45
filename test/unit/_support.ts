// Shared support for the unit tests. Locates the third-party interop vectors (<repo root>/../shared/vectors):
// the compiled test may run from dist/test/unit or from a scratch outDir, so the repo root is found by
// walking up to the nearest package.json, from this file and then from the working directory.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

export function vectorsDir(): string | null {
  const override = process.env.CSAE_VECTORS;
  if (override) return existsSync(override) ? override : null;
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    const root = findRoot(start);
    if (root === null) continue;
    const dir = join(root, '..', 'shared', 'vectors');
    if (existsSync(dir)) return dir;
  }
  return null;
}

/** Call from a `before` hook: the vectors directory, or skip the suite with a visible message. */
export function requireVectors(ctx: Mocha.Context): string {
  const dir = vectorsDir();
  if (dir === null) {
    console.log('  (skipped: ../shared/vectors not present)');
    ctx.skip();
  }
  return dir!;
}

export function readJson<T = any>(dir: string, rel: string): T {
  return JSON.parse(readFileSync(join(dir, rel), 'utf8')) as T;
}

/** Run fn, expect it to throw, and return what it threw (tests assert codes, not message text). */
export function thrown(fn: () => unknown): any {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error to be thrown');
}
