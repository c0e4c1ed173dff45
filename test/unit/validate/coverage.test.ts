// Coverage (src/validate/coverage.ts): which entry covers which commit. Only a commit's first claimant can
// cover it, and only if it passes (the caller's evaluate, asked once per entry); void, repair and
// other-ref bypass entries cover nothing; missing data (an unknown seq, an empty range) covers nothing;
// mergeCommits: clean accepts exactly a clean merge of covered parents.
import { expect } from 'chai';
import type { BundlePredicate } from '../../../src/core/statement.js';
import type { ChainResult, VerifiedEntry } from '../../../src/mirror/chain.js';
import { memoryView, type ChainView } from '../../../src/mirror/view.js';
import type { Policy } from '../../../src/policy/policy.js';
import { candidates, checkCoverage, type CoverageInput, type EntryVerdict } from '../../../src/validate/coverage.js';
import { FakeGit } from '../../helpers/fakegit.js';

const POLICY: Policy = { version: 1, repository: 'acme/app', mirror: { url: 'file:///m' }, protect: ['refs/heads/main'] };

function e(seq: number, commits: string[], o: Partial<BundlePredicate> = {}): VerifiedEntry {
  const p: BundlePredicate = {
    version: 1, kind: 'retroactive', repository: 'acme/app', workstream: `ws-${seq}`, scope: null,
    range: { base: null, head: commits[commits.length - 1] ?? 'none', commits }, verdicts: [], selfAttestation: null,
    seq, predecessor: null, author: 'Olive <olive@example.com>', createdAt: '2026-01-01T00:00:00Z', notes: { reason: 'r' }, ...o,
  };
  return { seq, digest: 'sha256:' + String(seq).padStart(64, '0'), path: `e/${seq}`, mirrorCommit: `M${seq}`, signer: 'olive', keyid: 'k', tier: 'key', predicate: p };
}

function chain(entries: VerifiedEntry[], voided: ChainResult['voided'] = []): ChainResult {
  return { head: 'M', lastSeq: entries.length + voided.length, lastDigest: null, entries, voided, verdicts: {}, checkpoints: [], problems: [], intact: true };
}

/** evaluate that passes the seqs in `pass` and records every call */
function judge(pass: number[]): { calls: number[]; evaluate: CoverageInput['evaluate'] } {
  const calls: number[] = [];
  return {
    calls,
    evaluate: async (x) => {
      calls.push(x.seq);
      return { seq: x.seq, kind: x.predicate.kind, workstream: x.predicate.workstream, ok: pass.includes(x.seq), checks: [] } satisfies EntryVerdict;
    },
  };
}

function input(commits: string[], view: ChainView, evaluate: CoverageInput['evaluate'], o: Partial<CoverageInput> = {}): CoverageInput {
  const git = new FakeGit();
  return { commits, view, readCommits: (ids) => git.readCommits(ids), ref: 'refs/heads/main', policy: POLICY, evaluate, ...o };
}

describe('validate/coverage', () => {
  it('a commit is covered by its first claimant when that entry passes; the rest stay uncovered', async () => {
    const j = judge([1, 2]);
    const r = await checkCoverage(input(['a', 'b', 'c', 'x'], memoryView(chain([e(1, ['a', 'b']), e(2, ['c'])])), j.evaluate));
    expect(r.covered).to.deep.equal([
      { commit: 'a', seq: 1, kind: 'retroactive' },
      { commit: 'b', seq: 1, kind: 'retroactive' },
      { commit: 'c', seq: 2, kind: 'retroactive' },
    ]);
    expect(r.uncovered).to.deep.equal(['x']);
    expect(r.entries.map((v) => [v.seq, v.ok])).to.deep.equal([[1, true], [2, true]]);
  });

  it('asks evaluate at most once per entry, and only for entries that claim a pushed commit', async () => {
    const j = judge([1, 3]);
    await checkCoverage(input(['a', 'b', 'c'], memoryView(chain([e(1, ['a', 'b', 'c']), e(2, ['q']), e(3, ['z'])])), j.evaluate));
    expect(j.calls).to.deep.equal([1]);
  });

  it('a failing entry covers none of its commits', async () => {
    const r = await checkCoverage(input(['a', 'b'], memoryView(chain([e(1, ['a', 'b'])])), judge([]).evaluate));
    expect(r.covered).to.deep.equal([]);
    expect(r.uncovered).to.deep.equal(['a', 'b']);
    expect(r.entries.map((v) => [v.seq, v.ok])).to.deep.equal([[1, false]]);
  });

  it('a commit listed by two entries: only the first claimant can cover it, even when the later one passes', async () => {
    const view = memoryView(chain([e(1, ['a']), e(2, ['a', 'b'])]));
    expect(view.firstClaim('a')).to.equal(1);
    const j = judge([2]);
    const r = await checkCoverage(input(['a', 'b'], view, j.evaluate));
    expect(r.uncovered).to.deep.equal(['a']);
    expect(r.covered).to.deep.equal([{ commit: 'b', seq: 2, kind: 'retroactive' }]);
    expect(candidates(view, ['a', 'b']).map((x) => x.seq)).to.deep.equal([1, 2]);
  });

  it('void entries cover nothing: they are not chain entries, and are never evaluated', async () => {
    const voided = [{ seq: 1, digest: 'sha256:' + '1'.repeat(64), why: 'authority' as const, checks: [{ name: 'signature' as const, ok: false, detail: 'untrusted' }] }];
    const j = judge([1, 2]);
    const r = await checkCoverage(input(['a', 'b'], memoryView(chain([e(2, ['b'])], voided)), j.evaluate));
    expect(r.uncovered).to.deep.equal(['a']);
    expect(r.covered.map((c) => c.commit)).to.deep.equal(['b']);
    expect(j.calls).to.deep.equal([2]);
  });

  it('a repair entry covers nothing, even when it lists commits and passes', async () => {
    const r = await checkCoverage(input(['a'], memoryView(chain([e(1, ['a'], { kind: 'repair' })])), judge([1]).evaluate));
    expect(r.uncovered).to.deep.equal(['a']);
  });

  it('a bypass covers only the ref it names', async () => {
    const view = memoryView(chain([e(1, ['a'], { kind: 'bypass', range: { base: null, head: 'a', commits: ['a'], ref: 'refs/heads/release' } })]));
    expect((await checkCoverage(input(['a'], view, judge([1]).evaluate))).uncovered).to.deep.equal(['a']);
    const there = await checkCoverage(input(['a'], view, judge([1]).evaluate, { ref: 'refs/heads/release' }));
    expect(there.covered).to.deep.equal([{ commit: 'a', seq: 1, kind: 'bypass' }]);
  });

  describe('fails closed on missing data', () => {
    it('an index that names a seq it has no entry for covers nothing (unknown seq)', async () => {
      const lying: ChainView = { ...memoryView(chain([])), firstClaim: (c) => (c === 'a' ? 7 : undefined), entry: () => undefined };
      const j = judge([7]);
      const r = await checkCoverage(input(['a'], lying, j.evaluate));
      expect(r.uncovered).to.deep.equal(['a']);
      expect(j.calls).to.deep.equal([]);
      expect(candidates(lying, ['a'])).to.deep.equal([]);
    });
    it('a claim lookup that names an entry which does not list the commit covers nothing (a poisoned index)', async () => {
      const real = memoryView(chain([e(1, ['a'])]));
      const lying: ChainView = { ...real, firstClaim: (c) => (c === 'a' || c === 'x' ? 1 : undefined) };
      const r = await checkCoverage(input(['a', 'x'], lying, judge([1]).evaluate));
      expect(r.covered).to.deep.equal([{ commit: 'a', seq: 1, kind: 'retroactive' }]);
      expect(r.uncovered).to.deep.equal(['x']);
    });
    it('an entry with an empty range covers nothing, though it passes', async () => {
      const j = judge([1]);
      const r = await checkCoverage(input(['a'], memoryView(chain([e(1, [])])), j.evaluate));
      expect(r.uncovered).to.deep.equal(['a']);
      expect(r.covered).to.deep.equal([]);
    });
    it('an empty chain covers nothing', async () => {
      const r = await checkCoverage(input(['a', 'b'], memoryView(chain([])), judge([]).evaluate));
      expect(r).to.deep.include({ covered: [], uncovered: ['a', 'b'], entries: [] });
    });
  });

  describe('mergeCommits: clean', () => {
    /** main m1 (covered by 1), side s1 (covered by 2), merge M of the two */
    function merged(tree = 'tM'): { git: FakeGit; view: ChainView } {
      const git = new FakeGit();
      git.commit('base').commit('m1', { parents: ['base'] }).commit('s1', { parents: ['base'] }).commit('M', { parents: ['m1', 's1'], tree });
      return { git, view: memoryView(chain([e(1, ['m1']), e(2, ['s1'])])) };
    }
    const clean = { ...POLICY, mergeCommits: 'clean' as const };

    it('accepts a merge of covered parents whose tree is exactly what git merges them to', async () => {
      const { git, view } = merged();
      const r = await checkCoverage(input(['m1', 's1', 'M'], view, judge([1, 2]).evaluate, { policy: clean, readCommits: (ids) => git.readCommits(ids), mergeTree: async () => 'tM' }));
      expect(r.uncovered).to.deep.equal([]);
      expect(r.covered.find((c) => c.commit === 'M')).to.deep.equal({ commit: 'M', seq: null, kind: 'merge', rule: 'clean-merge' });
    });
    it('refuses a merge whose tree differs (an evil merge), one with an uncovered parent, and a conflicted one', async () => {
      const { git, view } = merged();
      const read = (ids: readonly string[]) => git.readCommits(ids);
      const evil = await checkCoverage(input(['m1', 's1', 'M'], view, judge([1, 2]).evaluate, { policy: clean, readCommits: read, mergeTree: async () => 'tOther' }));
      expect(evil.uncovered).to.deep.equal(['M']);
      const half = await checkCoverage(input(['m1', 's1', 'M'], view, judge([1]).evaluate, { policy: clean, readCommits: read, mergeTree: async () => 'tM' }));
      expect(half.uncovered).to.deep.equal(['s1', 'M']);
      const conflict = await checkCoverage(input(['m1', 's1', 'M'], view, judge([1, 2]).evaluate, { policy: clean, readCommits: read, mergeTree: async () => null }));
      expect(conflict.uncovered).to.deep.equal(['M']);
    });
    it('a merge commit whose object cannot be read stays uncovered', async () => {
      const { view } = merged();
      const r = await checkCoverage(input(['m1', 's1', 'M'], view, judge([1, 2]).evaluate, { policy: clean, readCommits: async () => new Map(), mergeTree: async () => 'tM' }));
      expect(r.uncovered).to.deep.equal(['M']);
    });
    it('under mergeCommits: none the same clean merge stays uncovered', async () => {
      const { git, view } = merged();
      const r = await checkCoverage(input(['m1', 's1', 'M'], view, judge([1, 2]).evaluate, { readCommits: (ids) => git.readCommits(ids), mergeTree: async () => 'tM' }));
      expect(r.uncovered).to.deep.equal(['M']);
    });
  });
});
