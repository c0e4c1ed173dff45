// User-given revisions and ranges (src/git/range.ts) against a fake git port: what reaches git is
// validated first, and the answers come from the port's named operations only.
import { expect } from 'chai';
import { fullRefName, resolveRange, resolveRev, splitRange } from '../../../src/git/range.js';
import { GitOracle } from '../../../src/git/oracle.js';
import { CommitGraph } from '../../../src/git/graph.js';
import { isCsaeError } from '../../../src/core/errors.js';
import { FakeGit } from '../../helpers/fakegit.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isCsaeError(e)) return e.code;
    throw e;
  }
  return 'no error';
}

// a -- b -- c (main)
//       \
//        d -- e (feature)
const graph = (): FakeGit =>
  new FakeGit().commit('a').commit('b', { parents: ['a'] }).commit('c', { parents: ['b'] }).commit('d', { parents: ['b'] }).commit('e', { parents: ['d'] }).ref('refs/heads/main', 'c').ref('refs/heads/feature', 'e').ref('refs/remotes/origin/main', 'c');

describe('git/range against the fake port', function () {
  it('resolveRange lists the commits of B not in A, oldest first', async function () {
    expect(await resolveRange(graph(), 'main..feature')).to.deep.equal({ base: 'c', head: 'e', commits: ['d', 'e'] });
  });

  it('refuses option-like and malformed revisions before anything reaches git (bad-range)', async function () {
    const g = graph();
    for (const rev of ['--all', '-n1', 'a b', 'x;rm', '']) expect(await code(resolveRev(g, rev)), rev).to.equal('bad-range');
    for (const range of ['main...feature', 'main', '--all..main', 'main..-x']) expect(() => splitRange(range), range).to.throw().with.property('code', 'bad-range');
    expect(await code(fullRefName({ git: g }, '--output=/tmp/x'))).to.equal('bad-range');
    expect(g.calls, 'nothing was asked of git').to.deep.equal([]);
  });

  it('an unknown revision is a bad-range error that says to fetch', async function () {
    expect(await code(resolveRev(graph(), 'nope'))).to.equal('bad-range');
  });

  it('fullRefName names a remote-tracking ref as the branch it is on the remote', async function () {
    const g = graph();
    expect(await fullRefName({ git: g }, 'origin/main')).to.equal('refs/heads/main');
    expect(await fullRefName({ git: g }, 'feature')).to.equal('refs/heads/feature');
    expect(await fullRefName({ git: g }, 'c')).to.equal('c');
    expect(await code(fullRefName({ git: g }, 'nowhere'))).to.equal('bad-range');
  });

  it('the in-memory commit graph answers every range exactly as the port does', async function () {
    const g = graph();
    const all = await g.revList(['c', 'e']);
    const mem = new CommitGraph(all, new GitOracle(g));
    for (const [head, exclude] of [['e', ['c']], ['e', ['a']], ['c', ['d']], ['e', []], ['d', ['e']]] as Array<[string, string[]]>) {
      const want = (await new GitOracle(g).range(head, exclude)).map((c) => c.id).sort();
      expect((await mem.range(head, exclude)).map((c) => c.id).sort(), `${head} ^${exclude.join(' ^')}`).to.deep.equal(want);
    }
  });
});
