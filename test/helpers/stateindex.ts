// Tests that play an attacker who can write .git/csae: read the verified index as a whole, change it, and
// write it back under its own key (so that csae's readers take it for current).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VerifiedIndex, type IndexHead } from '../../src/state/verified-index.js';
import type { ChainState, VerifiedEntry, VoidedEntry } from '../../src/mirror/chain.js';

export function rewriteIndex(stateDir: string, change: (st: ChainState) => void): void {
  const head = JSON.parse(readFileSync(join(stateDir, 'index-head.json'), 'utf8')) as IndexHead<VoidedEntry, ChainState['checkpoints'][number]>;
  const idx = new VerifiedIndex<VerifiedEntry, VoidedEntry, ChainState['checkpoints'][number]>(stateDir, head.key);
  const st = idx.load(head);
  if (!st) throw new Error('the verified index could not be read');
  change(st as ChainState);
  if (!idx.write(st)) throw new Error('the verified index could not be written');
}

export function indexHead(stateDir: string): IndexHead<VoidedEntry> {
  return JSON.parse(readFileSync(join(stateDir, 'index-head.json'), 'utf8')) as IndexHead<VoidedEntry>;
}
