// Check 6 (src/validate/checks/scope.ts): A0 is an intent registration for the workstream, with the
// entry's intent, operator and time, whose parent is range.base and whose tree is unchanged; A0 is listed;
// every commit of the range descends from A0.
import { expect } from 'chai';
import { range } from '../../../../src/validate/checks/range.js';
import { scope } from '../../../../src/validate/checks/scope.js';
import { intentMessage } from '../../../../src/intent/intent.js';
import type { BundlePredicate } from '../../../../src/core/statement.js';
import type { FakeGit } from '../../../helpers/fakegit.js';
import { ctx, history, OP } from './_fixture.js';

/** scope as checkEntry runs it: after range has left the recomputed range */
async function run(git: FakeGit, p: BundlePredicate): Promise<Awaited<ReturnType<typeof scope>>> {
  const c = await ctx(git, p);
  await range(c);
  return scope(c);
}

describe('validate/checks/scope (check 6)', () => {
  it('passes for an intent commit on base that every commit descends from', async () => {
    const { git, p } = history();
    expect(await run(git, p)).to.deep.equal({ ok: true, detail: 'ws-1 registered at A0' });
  });

  it('fails when the scope commit is not an intent registration (and its parent is not base)', async () => {
    const { git, p } = history();
    p.scope!.commit = 'W1';
    const r = await run(git, p);
    expect(r.ok).to.equal(false);
    expect(r.detail!.split('; ').length).to.be.at.least(2);
  });

  it('fails when the intent is for another workstream', async () => {
    const { git, p } = history();
    p.workstream = 'ws-2';
    expect((await run(git, p)).ok).to.equal(false);
  });

  for (const [what, change] of [
    ['intent text', (p: BundlePredicate) => (p.scope!.intent = 'Something else.')],
    ['operator', (p: BundlePredicate) => (p.scope!.operator = 'Mallory <m@example.com>')],
    ['registration time', (p: BundlePredicate) => (p.scope!.registeredAt = '2030-01-01T00:00:00Z')],
  ] as const) {
    it(`fails when the entry's ${what} differs from the registration commit`, async () => {
      const { git, p } = history();
      change(p);
      expect((await run(git, p)).ok).to.equal(false);
    });
  }

  it('fails when the intent commit changes files', async () => {
    const { git, p } = history();
    git.commits.get('A0')!.tree = 'tX';
    const r = await run(git, p);
    expect(r.ok).to.equal(false);
    expect(r.detail!.split('; ')).to.have.length(1);
  });

  it('fails when the intent commit is not listed in range.commits', async () => {
    const { git, p } = history();
    p.range.commits = ['W1', 'W2', 'H'];
    const r = await run(git, p);
    expect(r.ok).to.equal(false);
  });

  it('fails on work before intent registration (a merged commit not descending from A0)', async () => {
    const { git, p } = history();
    git.commit('S', { parents: ['B'], tree: 'ts' }).commit('Mg', { parents: ['H', 'S'], tree: 't2' });
    p.range.head = 'Mg';
    p.range.commits = ['A0', 'W1', 'W2', 'H', 'S', 'Mg'];
    const r = await run(git, p);
    expect(r.ok).to.equal(false);
    expect(r.detail).to.contain('(S)');
  });

  it('fails on a second intent registration for the same workstream after base (A0 must be the base\'s child)', async () => {
    const { git, p } = history();
    git.commit('A1', { parents: ['B'], tree: 't0', message: intentMessage('ws-1', 'Add the thing.', OP) });
    p.scope!.commit = 'A1';
    expect((await run(git, p)).ok).to.equal(false);
  });

  describe('fails closed on missing data', () => {
    it('no scope at all', async () => {
      const { git, p } = history();
      p.scope = null;
      expect((await run(git, p)).ok).to.equal(false);
    });
    it('a scope commit this repository lacks', async () => {
      const { git, p } = history();
      p.scope!.commit = 'GONE';
      expect((await run(git, p)).ok).to.equal(false);
    });
    it('a base commit this repository lacks (its tree cannot be compared)', async () => {
      const { git, p } = history();
      git.commits.delete('B');
      const c = await ctx(git, p);
      const r = await scope(c);
      expect(r.ok).to.equal(false);
    });
  });

  it('is n/a for the recovery kinds', async () => {
    const { git, p } = history();
    p.kind = 'retroactive';
    expect(await scope(await ctx(git, p))).to.deep.equal({ ok: true, detail: 'n/a for retroactive' });
  });
});
