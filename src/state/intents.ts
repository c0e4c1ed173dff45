// .git/csae/intents/<workstream>.json: session state, the intents registered in this clone (the record's
// shape belongs to intent/intent.ts; git history stays the source of truth, this is only a hint).
import { readdirSync, readFileSync } from 'node:fs';
import { assertWorkstream, isCommitId } from '../core/ids.js';
import { writeAtomic } from './atomic.js';
import { isRecord, statePath } from './files.js';

/** Write one intent record; the workstream id is validated before it names a file. */
export function writeIntentRecord(stateDir: string, workstream: string, rec: object): string {
  const file = statePath(stateDir, 'intents', `${assertWorkstream(workstream)}.json`);
  writeAtomic(file, JSON.stringify(rec, null, 2) + '\n');
  return file;
}

/** Every readable record with a valid workstream and commit id; a corrupt file is skipped. */
export function readIntentRecords(stateDir: string): Array<Record<string, unknown> & { workstream: string; commit: string }> {
  const dir = statePath(stateDir, 'intents');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: Array<Record<string, unknown> & { workstream: string; commit: string }> = [];
  for (const n of names) {
    try {
      const r: unknown = JSON.parse(readFileSync(`${dir}/${n}`, 'utf8'));
      if (isRecord(r) && isCommitId(r.commit) && typeof r.workstream === 'string' && `${assertWorkstream(r.workstream)}.json` === n) out.push(r as Record<string, unknown> & { workstream: string; commit: string });
    } catch {
      // a corrupt state file is ignored
    }
  }
  return out;
}
