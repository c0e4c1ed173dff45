// The git port's shallow-clone operations on real clones: the cuts are read from $GIT_DIR/shallow, every
// walk that reaches one refuses (shallow-history, exit 3), and fetchHistory completes the history.
import { expect } from 'chai';
import { join } from 'node:path';
import { Git } from '../../src/git/git.js';
import { remoteFor, withCompleteHistory } from '../../src/git/shallow.js';
import { exitCodeFor, isCsaeError } from '../../src/core/errors.js';
import { tempRepo, useTempDirs } from '../helpers/gitrepo.js';

describe('integration: shallow clones behind the git port', function () {
  this.timeout(60000);
  useTempDirs();

  async function fixture(): Promise<{ src: string; clone: Git; ids: string[]; env: Record<string, string> }> {
    const { dir, g } = await tempRepo('sha1');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await g.commitFile(dir, 'f.txt', `v${i}\n`, `c${i}`));
    const cl = join(dir, '..', 'clone');
    await g.ok(join(dir, '..'), ['clone', '-q', '--depth', '2', `file://${dir}`, cl]);
    return { src: dir, clone: new Git(cl, g.env), ids, env: g.env };
  }

  it('reads the cuts, refuses walks through them, and answers walks above them', async () => {
    const { clone, ids } = await fixture();
    expect([...(await clone.shallowCommits())]).to.deep.equal([ids[4]]);
    // above the cut: exact
    expect((await clone.revList([ids[5]!], [ids[4]!])).map((c) => c.id)).to.deep.equal([ids[5]]);
    // an unrelated root as the old side: the update's walk from ids[5] runs into the cut
    const tree = (await Git.raw(clone).text(['rev-parse', `${ids[5]}^{tree}`])).trim();
    const root = (await Git.raw(clone).text(['commit-tree', tree, '-m', 'unrelated root'])).trim();
    for (const walk of [() => clone.revList([ids[5]!]), () => clone.firstAdding(ids[5]!, 'f.txt'), () => clone.updateRange(root, ids[5]!)]) {
      const e = await walk().then(() => null, (x: unknown) => x);
      expect(isCsaeError(e) && e.code, String(e)).to.equal('shallow-history');
      expect(exitCodeFor('shallow-history')).to.equal(3);
      expect((e as { data: { cuts: string[] } }).data.cuts).to.deep.equal([ids[4]]);
      expect((e as { next: string }).next).to.contain('fetch-depth: 0');
    }
  });

  it('withCompleteHistory deepens from the remote and runs the walk again; without a remote it refuses', async () => {
    const { clone, ids } = await fixture();
    const none = await withCompleteHistory(clone, { deepen: true, remote: null }, () => clone.revList([ids[5]!])).then(() => null, (x: unknown) => x);
    expect(isCsaeError(none) && none.code).to.equal('shallow-history');
    const off = await withCompleteHistory(clone, { deepen: false, remote: 'origin' }, () => clone.revList([ids[5]!])).then(() => null, (x: unknown) => x);
    expect(isCsaeError(off) && off.code).to.equal('shallow-history');
    const lines: string[] = [];
    const all = await withCompleteHistory(clone, { deepen: true, remote: 'origin', info: (l) => lines.push(l) }, () => clone.revList([ids[5]!]));
    expect(all.map((c) => c.id)).to.deep.equal(ids);
    expect(lines).to.have.length(1);
    expect((await clone.shallowCommits()).size).to.equal(0);
    expect(await clone.firstAdding(ids[5]!, 'f.txt')).to.equal(ids[0]);
  });

  it('a remote that cannot complete the history leaves a refusal naming why', async () => {
    const { clone, ids } = await fixture();
    await Git.raw(clone).run(['remote', 'set-url', 'origin', join(clone.dir, '..', 'gone.git')]);
    const e = await withCompleteHistory(clone, { deepen: true, remote: 'origin' }, () => clone.revList([ids[5]!])).then(() => null, (x: unknown) => x);
    expect(isCsaeError(e) && e.code).to.equal('shallow-history');
    expect((e as Error).message).to.contain('deepening failed');
    expect(await clone.fetchHistory('--upload-pack=touch /tmp/x', ids)).to.contain('not a remote name');
  });

  it('remoteFor: the remote a tracking name belongs to, else origin, else the only remote', async () => {
    const { clone } = await fixture();
    expect(await remoteFor(clone, ['origin/main'])).to.equal('origin');
    await Git.raw(clone).run(['remote', 'rename', 'origin', 'upstream']);
    expect(await remoteFor(clone, ['upstream/main'])).to.equal('upstream');
    expect(await remoteFor(clone, ['HEAD'])).to.equal('upstream');
    await Git.raw(clone).run(['remote', 'add', 'other', '/nowhere']);
    expect(await remoteFor(clone, ['HEAD'])).to.equal(null);
    expect(await remoteFor(clone, ['-x', 'upstream/main'])).to.equal('upstream');
  });
});
