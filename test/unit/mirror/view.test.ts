// The two ChainViews (src/mirror/view.ts) answer identically: the one over the verified index's lookup
// files and the one over the in-memory chain — for every commit, every seq (voided holes, seqs that do not
// exist) and every verdict blob. And the comparison is real: files written from a different chain, or
// damaged, are caught; stale files are not opened.
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../../src/core/digest.js';
import type { BundlePredicate } from '../../../src/core/statement.js';
import type { ChainResult, VerifiedEntry, VoidedEntry } from '../../../src/mirror/chain.js';
import { indexedView, memoryView, type ChainView } from '../../../src/mirror/view.js';
import { VerifiedIndex } from '../../../src/state/verified-index.js';
import { mkTemp, useTempDirs } from '../../helpers/gitrepo.js';
import { viewDifferences } from '../../helpers/views.js';

const C = (s: string): string => sha256Hex(s).slice(0, 40);
const D = (s: string): string => 'sha256:' + sha256Hex(s);

function e(seq: number, commits: string[], verdicts: string[] = []): VerifiedEntry {
  const p: BundlePredicate = {
    version: 1, kind: 'standard', repository: 'acme/app', workstream: `ws-${seq}`, scope: null,
    range: { base: null, head: commits[commits.length - 1]!, commits }, verdicts: verdicts.map((d) => ({ digest: d, status: 'pass', score: 9, floor: 7, reviewer: 'rita' })),
    selfAttestation: null, seq, predecessor: null, author: 'Olive <olive@example.com>', createdAt: '2026-01-01T00:00:00Z',
  };
  return { seq, digest: D(`entry ${seq}`), path: `e/${seq}`, mirrorCommit: C(`m${seq}`), signer: 'olive', keyid: 'k', tier: 'key', epoch: 0, epochCommit: null, signedAs: 'olive', predicate: p };
}

/** four entries: 2 is void (a hole), a commit listed by 1 and 3, verdicts on 1 and 4 */
function sample(): ChainResult {
  const [a, b, x, y, z] = ['a', 'b', 'x', 'y', 'z'].map(C) as [string, string, string, string, string];
  const entries = [e(1, [a, x], [D('v1')]), e(3, [x, y]), e(4, [b, z], [D('v4a'), D('v4b')])];
  return {
    head: C('head'), lastSeq: 4, lastDigest: D('entry 4'), entries, voided: [{ seq: 2, digest: D('entry 2'), why: 'authority', checks: [] }],
    verdicts: { [D('v1')]: C('blob v1'), [D('v4a')]: C('blob v4a'), [D('v4b')]: C('blob v4b') }, checkpoints: [], problems: [], intact: true,
    leaves: [1, 2, 3, 4].map((n) => sha256Hex(`leaf ${n}`)),
  };
}

const KEY = 'the-key';

function writeIndexFiles(dir: string, key: string, chain: ChainResult): void {
  if (!new VerifiedIndex<VerifiedEntry>(dir, key).write(chain)) throw new Error('the index was not written');
}

/** what MirrorStore does: the index's view when its head is this mirror head, else null */
function openIndexedView(dir: string, key: string, head: string, full: () => Promise<ChainResult>): ChainView | null {
  const idx = new VerifiedIndex<VerifiedEntry, VoidedEntry>(dir, key);
  const h = idx.readHead();
  return h && h.head === head ? indexedView(h, idx.lookup(h), full) : null;
}

function indexed(dir: string, chain: ChainResult, written: ChainResult = chain): ChainView | null {
  writeIndexFiles(dir, KEY, written);
  return openIndexedView(dir, KEY, chain.head!, async () => chain);
}

/** every question worth asking of a chain: its commits and some it never saw, every seq around it, its verdicts */
function questions(chain: ChainResult): { commits: string[]; seqs: number[]; verdicts: string[] } {
  const listed = chain.entries.flatMap((x) => x.predicate.range.commits);
  const known = listed[0]!;
  const commits = [...new Set(listed), C('never listed'), known.slice(0, 39), known + '0', known.toUpperCase(), '', ' '.repeat(40), 'f'.repeat(64)];
  const seqs = [-1, 0, 0.5, ...Array.from({ length: chain.lastSeq + 3 }, (_, i) => i + 1), Number.NaN, 1e12];
  return { commits, seqs, verdicts: [...Object.keys(chain.verdicts), D('no such verdict')] };
}

describe('mirror/view: the indexed view answers as the memory view does', () => {
  useTempDirs();

  it('for every commit, every seq (a voided hole, seqs before and after) and every verdict blob', () => {
    const chain = sample();
    const mem = memoryView(chain);
    const idx = indexed(mkTemp('csae-view-'), chain)!;
    expect(idx).to.not.equal(null);
    const q = questions(chain);
    // entries first: the indexed view learns an entry's verdict blobs when the entry is read
    expect(viewDifferences(idx, mem, { commits: q.commits, seqs: q.seqs })).to.deep.equal([]);
    expect(viewDifferences(idx, mem, { commits: [], seqs: [], verdicts: q.verdicts })).to.deep.equal([]);
    // the answers themselves, so "equal" is not "both empty"
    expect(idx.firstClaim(C('x'))).to.equal(1);
    expect(idx.firstClaim(C('y'))).to.equal(3);
    expect(idx.entry(2)).to.equal(undefined);
    expect(idx.entry(4)?.predicate.verdicts).to.have.length(2);
  });

  it('an empty chain: both know nothing', () => {
    const chain: ChainResult = { head: C('h'), lastSeq: 0, lastDigest: null, entries: [], leaves: [], verdicts: {}, checkpoints: [], problems: [], intact: true };
    const idx = indexed(mkTemp('csae-view-'), chain)!;
    const q = { commits: [C('a'), ''], seqs: [0, 1, 2] };
    expect(viewDifferences(idx, memoryView(chain), q)).to.deep.equal([]);
  });

  describe('the comparison catches a divergence', () => {
    it('lookup files written from another chain (a commit first claimed by a later entry)', () => {
      const chain = sample();
      const other = sample();
      other.entries[0]!.predicate.range.commits = [C('a')]; // entry 1 no longer lists x: 3 claims it first
      const diffs = viewDifferences(indexed(mkTemp('csae-view-'), chain, other)!, memoryView(chain), questions(chain));
      expect(diffs.filter((d) => d.question === 'firstClaim')).to.deep.equal([{ question: 'firstClaim', key: C('x'), a: 3, b: 1 }]);
      expect(diffs.filter((d) => d.question === 'entry').map((d) => d.key)).to.deep.equal(['1']);
    });
    it('an entry missing from the lookup files', () => {
      const chain = sample();
      const other = { ...sample(), entries: sample().entries.filter((x) => x.seq !== 3) };
      const diffs = viewDifferences(indexed(mkTemp('csae-view-'), chain, other)!, memoryView(chain), questions(chain));
      expect(diffs.map((d) => [d.question, d.key])).to.deep.equal([['firstClaim', C('y')], ['entry', '3']]);
    });
    it('a damaged line: the indexed view answers nothing for it, never another entry', () => {
      const chain = sample();
      const dir = mkTemp('csae-view-');
      writeIndexFiles(dir, KEY, chain);
      const file = join(dir, 'entries.jsonl');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"seq":3', '"seq":4'));
      const idx = openIndexedView(dir, KEY, chain.head!, async () => chain)!;
      expect(idx.entry(3)).to.equal(undefined);
      expect(viewDifferences(idx, memoryView(chain), questions(chain)).map((d) => [d.question, d.key])).to.deep.equal([['entry', '3']]);
    });
  });

  describe('lookup files that do not describe this chain are not opened', () => {
    for (const [what, damage] of [
      ['another mirror head', (dir: string) => writeFileSync(join(dir, 'index-head.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(dir, 'index-head.json'), 'utf8')), head: C('other') }))],
      ['another key (policy)', (dir: string) => writeFileSync(join(dir, 'index-head.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(dir, 'index-head.json'), 'utf8')), key: 'other' }))],
      ['another format version', (dir: string) => writeFileSync(join(dir, 'index-head.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(dir, 'index-head.json'), 'utf8')), version: 1 }))],
      ['a truncated claims file', (dir: string) => writeFileSync(join(dir, 'claims.idx'), readFileSync(join(dir, 'claims.idx')).subarray(1))],
      ['an offsets file of the wrong length', (dir: string) => writeFileSync(join(dir, 'entries.off'), readFileSync(join(dir, 'entries.off')).subarray(16))],
      ['a missing head file', (dir: string) => writeFileSync(join(dir, 'index-head.json'), '')],
    ] as const) {
      it(what, () => {
        const chain = sample();
        const dir = mkTemp('csae-view-');
        writeIndexFiles(dir, KEY, chain);
        expect(openIndexedView(dir, KEY, chain.head!, async () => chain), 'control').to.not.equal(null);
        damage(dir);
        expect(openIndexedView(dir, KEY, chain.head!, async () => chain)).to.equal(null);
      });
    }
  });
});
