// Where the installed package lives, found by walking up from this module to csae's package.json, so
// the same code works from dist/src/** and from the single-file bundles (dist/fast.mjs, dist/cli.mjs).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let d = start;
  for (;;) {
    const p = join(d, 'package.json');
    if (existsSync(p)) {
      try {
        if ((JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'csae') return d;
      } catch {
        // not ours; keep walking
      }
    }
    const up = dirname(d);
    if (up === d) return join(start, '..', '..', '..');
    d = up;
  }
}

export const PKG_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** csae's own version, from its package.json (not the version of whatever project csae runs in). */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PKG_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
