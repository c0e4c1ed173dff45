// .git/csae/cutover.json: {version, cutover}: the first commit adding .csae/policy.yaml as found by the
// last full walk. Only a hint: validate.resolveCutover re-checks it against git before using it.
import { writeCache } from './atomic.js';
import { isId, statePath } from './files.js';
import { readVersioned } from './json.js';

const VERSION = 1;

export function readCutover(stateDir: string): string | null {
  const j = readVersioned(statePath(stateDir, 'cutover'), VERSION);
  return j && isId(j.cutover) ? j.cutover : null;
}

/** No state dir (yet): nothing is written; the next run walks again. */
export function writeCutover(stateDir: string, cutover: string): void {
  if (!isId(cutover)) return;
  writeCache(statePath(stateDir, 'cutover'), JSON.stringify({ version: VERSION, cutover }) + '\n');
}
