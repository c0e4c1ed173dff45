// The one way csae writes a file under .git/csae: write a temporary file next to it, then rename, so a
// reader never sees half a file. A state file that cannot be written costs time, never correctness:
// callers that only cache use writeCache, which swallows the error.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeAtomic(file: string, data: string | Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** writeAtomic for caches: a failure is ignored (the next run recomputes), and no directory is made. */
export function writeCache(file: string, data: string | Buffer): void {
  try {
    if (!existsSync(dirname(file))) return;
    writeAtomic(file, data);
  } catch {
    // optimisation only
  }
}
