// Check 5 (src/validate/checks/range.ts): range.commits is exactly `rev-list head ^base` less what
// earlier entries claim — no hidden commit, no extra one; a range this repository lacks stops the run.
import { expect } from 'chai';
import { range } from '../../../../src/validate/checks/range.js';
import { checkEntry } from '../../../../src/validate/checks/index.js';
import { ctx, entry, env, history } from './_fixture.js';

describe('validate/checks/range (check 5)', () => {
  it('passes when range.commits is exactly rev-list head ^base, and leaves the range for scope', async () => {
    const { git, p } = history();
    const c = await ctx(git, p);
    expect(await range(c)).to.deep.equal({ ok: true, detail: '4 commit(s)' });
    expect(c.ranged.map((r) => r.id)).to.deep.equal(['A0', 'W1', 'W2', 'H']);
  });

  it('fails on a hidden commit (in the range, not listed)', async () => {
    const { git, p } = history();
    p.range.commits = ['A0', 'W2', 'H'];
    const r = await range(await ctx(git, p));
    expect(r.ok).to.equal(false);
    expect(r).to.not.have.property('stop');
    expect(r.detail).to.contain('(W1)');
  });

  it('fails on an extra commit (listed, not in the range)', async () => {
    const { git, p } = history();
    git.commit('X', { parents: ['B'], tree: 'tx' });
    p.range.commits = ['A0', 'W1', 'W2', 'H', 'X'];
    const r = await range(await ctx(git, p));
    expect(r.ok).to.equal(false);
    expect(r.detail).to.contain('(X)');
  });

  it('leaves out commits an earlier entry claims, and counts those a later one claims', async () => {
    const { git, p } = history();
    p.seq = 2;
    p.range.commits = ['W1', 'W2', 'H'];
    const c = await ctx(git, p, { firstClaim: new Map([['A0', 1], ['W1', 3]]) });
    expect(await range(c)).to.deep.equal({ ok: true, detail: '3 commit(s)' });
    expect(c.ranged.map((r) => r.id)).to.deep.equal(['W1', 'W2', 'H']);
  });

  it('a commit an earlier entry already claims cannot be listed again (a commit listed by two entries)', async () => {
    const { git, p } = history();
    p.seq = 2;
    const r = await range(await ctx(git, p, { firstClaim: new Map([['A0', 1]]) }));
    expect(r.ok).to.equal(false);
    expect(r.detail).to.contain('(A0)');
  });

  it('excludes the cutover: history before csae is no entry\'s to list', async () => {
    const { git, p } = history();
    git.commit('C0', { tree: 'tc' });
    git.commits.get('B')!.parents.push('C0');
    const c = await ctx(git, p, { cutover: 'C0' });
    p.range.base = null;
    p.range.commits = ['B', 'A0', 'W1', 'W2', 'H'];
    expect(await range(c)).to.deep.equal({ ok: true, detail: '5 commit(s)' });
  });

  describe('fails closed on missing data', () => {
    it('a head this repository lacks stops the run', async () => {
      const { git, p } = history();
      p.range.head = 'GONE';
      const r = await range(await ctx(git, p));
      expect(r).to.include({ ok: false, stop: true });
    });
    it('a base this repository lacks stops the run (never "everything reachable from head")', async () => {
      const { git, p } = history();
      p.range.base = 'GONE';
      const r = await range(await ctx(git, p));
      expect(r).to.include({ ok: false, stop: true });
    });
    it('an empty range passes check 5 with 0 commits, but the standard entry it belongs to fails', async () => {
      const { git, p } = history();
      p.range = { base: 'H', head: 'H', commits: [] };
      expect(await range(await ctx(git, p))).to.deep.equal({ ok: true, detail: '0 commit(s)' });
      const cl = await checkEntry(entry(p), env(git));
      expect(cl.ok).to.equal(false);
      expect(cl.failed().map((f) => f.name)).to.include.members(['scope', 'attestation']);
    });
    it('listing commits over an empty recomputed range fails (nothing may be claimed that git does not list)', async () => {
      const { git, p } = history();
      p.range = { base: 'H', head: 'H', commits: ['H'] };
      const r = await range(await ctx(git, p));
      expect(r.ok).to.equal(false);
      expect(r.detail).to.contain('(H)');
    });
  });

  it('a repair entry covers no commits', async () => {
    const { git, p } = history();
    p.kind = 'repair';
    expect(await range(await ctx(git, p))).to.deep.equal({ ok: true, detail: 'repair entries cover no commits' });
  });
});
