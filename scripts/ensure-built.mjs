// `npm run demo` on a fresh clone: build first when dist/ is missing or older than the sources.
// (.npmrc sets ignore-scripts, so `npm install` no longer runs the `prepare` build.)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const built = 'dist/src/cli/main.js';
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
if (!existsSync(built) || statSync(built).mtimeMs < newest('src')) {
  const r = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
