// The catalogue of .git/csae (repo.stateDir): the one place each name under it is spelled, with what it
// is for and whether it is a cache (delete it and the next run recomputes it, only slower) or session
// state (work not yet published: deleting it loses that work). Only src/state/ (and mirror/store.ts for
// the mirror clone) writes under .git/csae; everything goes through atomic.ts. Depends on core only.
import { join } from 'node:path';

export type StateKind = 'clone' | 'cache' | 'session';

export interface StateFile {
  /** path under .git/csae; a trailing slash is a directory */
  path: string;
  kind: StateKind;
  purpose: string;
}

export const STATE_FILES = {
  mirror: { path: 'mirror.git/', kind: 'clone', purpose: 'bare clone of the audit mirror (mirror/store.ts); re-fetched when missing' },
  indexHead: { path: 'index-head.json', kind: 'cache', purpose: 'verified index: its key, version, size and the tip it verified up to' },
  indexEntries: { path: 'entries.jsonl', kind: 'cache', purpose: 'verified index: one verified entry per line' },
  indexOffsets: { path: 'entries.off', kind: 'cache', purpose: 'verified index: byte offset of each line of entries.jsonl' },
  indexLeaves: { path: 'leaves.bin', kind: 'cache', purpose: 'verified index: Merkle leaf hash of each entry' },
  indexClaims: { path: 'claims.idx', kind: 'cache', purpose: 'verified index: commit id -> first claiming entry, sorted' },
  indexClaimsNew: { path: 'claims.new', kind: 'cache', purpose: 'verified index: claims since claims.idx was last merged, in seq order' },
  indexVerdicts: { path: 'verdicts.idx', kind: 'cache', purpose: 'verified index: verdict digests the entries carry' },
  passed: { path: 'passed-entries', kind: 'cache', purpose: 'entries this clone saw pass checks 5-9, under the validator key, appended' },
  cutover: { path: 'cutover.json', kind: 'cache', purpose: 'the first commit adding .csae/policy.yaml, re-checked before use' },
  policyHistory: { path: 'policy-history.json', kind: 'cache', purpose: 'first-parent commits changing the policy up to a tip (hooks only)' },
  policyCache: { path: 'policy-cache.json', kind: 'cache', purpose: 'parsed policies keyed by the sha256 of their bytes' },
  checkpointHeld: { path: 'checkpoint-held', kind: 'cache', purpose: 'newest checkpoint this clone verified: later verifications prove the mirror only grew' },
  witness: { path: 'witness/', kind: 'session', purpose: 'witness/<name>.checkpoint: the newest checkpoint a witness cosigned on this machine' },
  intents: { path: 'intents/', kind: 'session', purpose: 'intents/<workstream>.json: intents registered here (git history stays the source of truth)' },
  verdicts: { path: 'verdicts/', kind: 'session', purpose: 'verdicts/sha256-<hex>.dsse.json (+ .sigstore.json sidecar): signed verdicts not yet published' },
  drafts: { path: 'drafts/', kind: 'session', purpose: 'drafts/<workstream>.json: bundles authored, not yet published' },
  published: { path: 'published/', kind: 'session', purpose: 'published/<seq>-<workstream>.json: drafts retired once their entry was appended' },
} as const satisfies Record<string, StateFile>;

export type StateName = keyof typeof STATE_FILES;

/** Absolute path of a catalogued file or directory under the state dir. */
export function statePath(stateDir: string, name: StateName, ...rest: string[]): string {
  return join(stateDir, STATE_FILES[name].path.replace(/\/$/, ''), ...rest);
}

/** A full lower-case commit id (sha1 or sha256): the only thing a cache may name as a commit. */
export { isCommitId as isId } from '../core/ids.js';

/** A plain JSON object (not an array, not null). */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
