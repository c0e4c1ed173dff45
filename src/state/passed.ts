// .git/csae/passed-entries: the entries this clone saw pass checks 5-9, so a warm push does not judge them
// again. The first line says under what they passed (the validator's version key and the verified index's
// key); every later line is one entry's pass key (its digest, its epoch policy's digest, its cutover:
// validate.passedKeyOf), appended. A file under
// another key is started afresh. Only a time saver: every acceptance still re-reads the entry's bytes
// from the mirror (validate/trust.ts), and the key changes with anything that could change the answer.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCache } from './atomic.js';
import { STATE_FILES } from './files.js';

const FILE = STATE_FILES.passed.path; // 'passed-entries'
const VERSION = 1;

function header(key: string, chain: string): string {
  return JSON.stringify({ version: VERSION, key, chain });
}

export function loadPassed(dir: string, key: string, chain: string): Set<string> {
  try {
    const lines = readFileSync(join(dir, FILE), 'utf8').split('\n');
    if (lines[0] !== header(key, chain)) return new Set();
    // the last element is "" after a complete line, or a torn line (no newline yet): never a key
    return new Set(lines.slice(1, -1).filter(Boolean));
  } catch {
    return new Set(); // missing or unreadable: every entry is checked again
  }
}

export function addPassed(dir: string, key: string, chain: string, keys: readonly string[]): void {
  const fresh = keys.filter((d) => d && !d.includes('\n'));
  if (!fresh.length) return;
  const file = join(dir, FILE);
  let current = false;
  try {
    current = readFileSync(file, 'utf8').startsWith(header(key, chain) + '\n');
  } catch {
    current = false;
  }
  try {
    if (current) appendFileSync(file, fresh.join('\n') + '\n');
    else writeCache(file, header(key, chain) + '\n' + fresh.join('\n') + '\n');
  } catch {
    // a cache that cannot be written costs time, never correctness
  }
}
