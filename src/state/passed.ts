// .git/csae/passed-entries: the entries this clone saw pass checks 5-9, so a warm push does not judge them
// again. The first line says under what they passed (the validator's version key); every later line is
// one entry's pass key (its digest, its epoch policy's digest, its cutover: validate.passedKeyOf),
// appended. A file under another key is started afresh. Only a time saver: every acceptance still
// re-reads the entry's bytes from the mirror (validate/trust.ts), and the line key changes with anything
// that could change the answer.
//
// NOTE: not keyed by the verified index's key: an entry's digest pins its seq and predecessor (the whole
// chain before it), so a pass does not depend on how the index was keyed; keying it so made audit who
// (which resolves the epochs from the clone) and the replay (from the trust root) wipe each other's set.
import { appendFileSync, closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { writeCache } from './atomic.js';
import { STATE_FILES } from './files.js';

const FILE = STATE_FILES.passed.path; // 'passed-entries'
const VERSION = 1;

function header(key: string): string {
  return JSON.stringify({ version: VERSION, key });
}

export function loadPassed(dir: string, key: string): Set<string> {
  try {
    const lines = readFileSync(join(dir, FILE), 'utf8').split('\n');
    if (lines[0] !== header(key)) return new Set();
    // the last element is "" after a complete line, or a torn line (no newline yet): never a key
    return new Set(lines.slice(1, -1).filter(Boolean));
  } catch {
    return new Set(); // missing or unreadable: every entry is checked again
  }
}

export function addPassed(dir: string, key: string, keys: readonly string[]): void {
  const fresh = keys.filter((d) => d && !d.includes('\n'));
  if (!fresh.length) return;
  const file = join(dir, FILE);
  const want = header(key) + '\n';
  let current = false;
  try {
    // the first line only: the file holds a line per entry
    const fd = openSync(file, 'r');
    try {
      const b = Buffer.alloc(Buffer.byteLength(want));
      current = readSync(fd, b, 0, b.length, 0) === b.length && b.toString('utf8') === want;
    } finally {
      closeSync(fd);
    }
  } catch {
    current = false;
  }
  try {
    if (current) appendFileSync(file, fresh.join('\n') + '\n');
    else writeCache(file, want + fresh.join('\n') + '\n');
  } catch {
    // a cache that cannot be written costs time, never correctness
  }
}
