// Integration: the narrow git interface (src/git/git.ts) against real temporary repositories, SHA-1 and
// SHA-256, with a fixed identity and dates.
import { expect } from 'chai';
import { join } from 'node:path';
import { Git } from '../../src/git/git.js';
import { resolveRange, splitRange } from '../../src/git/range.js';
import { GitRunner, tempRepo, useTempDirs, IDENTITY, type ObjectFormat } from '../helpers/gitrepo.js';

const FIXED_TIME = Date.parse(IDENTITY.GIT_COMMITTER_DATE) / 1000;

for (const format of ['sha1', 'sha256'] as ObjectFormat[]) {
  describe(`integration: git interface (${format})`, function () {
    this.timeout(60_000);
    useTempDirs();
    const len = format === 'sha256' ? 64 : 40;
    let dir: string;
    let g: GitRunner;
    let git: Git;
    const ids: Record<string, string> = {};

    // A - B - C ------ M
    //      \         /
    //       D - E --'        (M = merge of C and E)
    before(async () => {
      ({ dir, g, git } = await tempRepo(format));
      ids.A = await g.commitFile(dir, 'a.txt', 'a\n', 'A');
      ids.B = await g.commitFile(dir, 'b.txt', 'b\n', 'B: caf\u00e9 \u20ac multibyte subject');
      await g.ok(dir, ['checkout', '-q', '-b', 'side']);
      ids.D = await g.commitFile(dir, 'd.txt', 'd\n', 'D');
      ids.E = await g.commitFile(dir, 'e.txt', 'e\n', 'E\n\nbody line\n\nKey: value');
      await g.ok(dir, ['checkout', '-q', 'main']);
      ids.C = await g.commitFile(dir, 'c.txt', 'c\n', 'C');
      await g.ok(dir, ['merge', '-q', '--no-ff', '-m', 'M', 'side']);
      ids.M = await g.rev(dir, 'HEAD');
    });

    it('reports the object format, and ids of its length', async () => {
      expect(await git.objectFormat()).to.equal(format);
      for (const id of Object.values(ids)) expect(id).to.match(new RegExp(`^[0-9a-f]{${len}}$`));
      expect(await git.resolveCommit('HEAD')).to.equal(ids.M);
      expect(await git.resolveCommit('side~1')).to.equal(ids.D);
      expect(await git.resolveCommit('no-such-branch')).to.equal(null);
      expect(await git.resolveCommit('HEAD^{tree}')).to.equal(null);
    });

    it('revList lists parents before children, with parents, and agrees with git rev-list', async () => {
      const all = await git.revList([ids.M!]);
      expect(all.map((c) => c.id)).to.have.members(Object.values(ids));
      expect(all).to.have.length(6);
      const pos = new Map(all.map((c, i) => [c.id, i]));
      for (const c of all) for (const p of c.parents) expect(pos.get(p)!, `parent of ${c.id}`).to.be.lessThan(pos.get(c.id)!);
      const m = all.find((c) => c.id === ids.M)!;
      expect(m.parents).to.deep.equal([ids.C, ids.E]);
      expect(all[0]!.id).to.equal(ids.A);
      expect(all[0]!.parents).to.deep.equal([]);
      expect(all[all.length - 1]!.id).to.equal(ids.M);
      const direct = (await g.ok(dir, ['rev-list', '--topo-order', '--reverse', ids.M!])).split('\n');
      expect(all.map((c) => c.id)).to.deep.equal(direct);
    });

    it('revList excludes what the exclusions reach', async () => {
      const r = await git.revList([ids.M!], [ids.C!]);
      expect(r.map((c) => c.id)).to.deep.equal([ids.D, ids.E, ids.M]);
      const two = await git.revList([ids.M!], [ids.C!, ids.E!]);
      expect(two.map((c) => c.id)).to.deep.equal([ids.M]);
      expect(await git.revList([ids.C!], [ids.M!])).to.deep.equal([]);
      expect(await git.revList([])).to.deep.equal([]);
      // several tips: the union
      const u = await git.revList([ids.C!, ids.E!], [ids.B!]);
      expect(u.map((c) => c.id)).to.have.members([ids.C, ids.D, ids.E]);
    });

    it('readCommits reads a batch in one pass; missing ids and non-commits are absent', async () => {
      const missing = 'f'.repeat(len);
      const tree = await g.rev(dir, `${ids.M}^{tree}`);
      const want = [ids.B!, missing, ids.M!, tree, ids.E!, ids.A!];
      const map = await git.readCommits(want);
      expect([...map.keys()]).to.have.members([ids.B, ids.M, ids.E, ids.A]);
      expect(map.has(missing)).to.equal(false);
      expect(map.has(tree)).to.equal(false);
      const m = map.get(ids.M!)!;
      expect(m.id).to.equal(ids.M);
      expect(m.tree).to.equal(tree);
      expect(m.parents).to.deep.equal([ids.C, ids.E]);
      expect(m.author).to.equal('Olive Operator <olive@example.com>');
      expect(m.committer).to.equal('Olive Operator <olive@example.com>');
      expect(m.authorTime).to.equal(FIXED_TIME);
      expect(m.committerTime).to.equal(FIXED_TIME);
      expect(m.message).to.equal('M\n');
      // byte offsets, not characters: a multibyte message before others in the batch
      expect(map.get(ids.B!)!.message).to.equal('B: caf\u00e9 \u20ac multibyte subject\n');
      expect(map.get(ids.E!)!.message).to.equal('E\n\nbody line\n\nKey: value\n');
      expect(map.get(ids.A!)!.parents).to.deep.equal([]);
      expect((await git.readCommits([])).size).to.equal(0);
      expect(await git.readCommit(missing)).to.equal(null);
    });

    it('reads blobs and files at revisions; knows ancestry, first-adding commits and merge trees', async () => {
      expect((await git.readFileAt(ids.M!, 'e.txt'))!.toString()).to.equal('e\n');
      expect(await git.readFileAt(ids.C!, 'e.txt')).to.equal(null);
      const blobs = await git.readBlobs([`${ids.M}:a.txt`, `${ids.M}:nope`, `${ids.M}:d.txt`]);
      expect([...blobs.keys()]).to.deep.equal([`${ids.M}:a.txt`, `${ids.M}:d.txt`]);
      expect(await git.isAncestor(ids.A!, ids.M!)).to.equal(true);
      expect(await git.isAncestor(ids.D!, ids.C!)).to.equal(false);
      expect(await git.hasObject(ids.E!)).to.equal(true);
      expect(await git.hasObject('e'.repeat(len))).to.equal(false);
      expect(await git.firstAdding(ids.M!, 'd.txt')).to.equal(ids.D);
      expect(await git.firstAdding(ids.M!, 'never.txt')).to.equal(null);
      expect(await git.mergeTree([ids.C!, ids.E!])).to.equal(await g.rev(dir, `${ids.M}^{tree}`));
    });

    it('mergeTree returns null on a conflict', async () => {
      await g.ok(dir, ['checkout', '-q', '-b', 'x1', ids.A!]);
      const x1 = await g.commitFile(dir, 'a.txt', 'one\n', 'x1');
      await g.ok(dir, ['checkout', '-q', '-b', 'x2', ids.A!]);
      const x2 = await g.commitFile(dir, 'a.txt', 'two\n', 'x2');
      await g.ok(dir, ['checkout', '-q', 'main']);
      expect(await git.mergeTree([x1, x2])).to.equal(null);
    });

    it('commitEmpty keeps the tree and the message verbatim; commitAdding touches neither index nor work tree', async () => {
      await g.ok(dir, ['checkout', '-q', '-b', 'empty', ids.M!]);
      const msg = 'subject\n\n  indented body kept\n\nCSAE-Type: intent\n';
      const id = await git.commitEmpty(msg);
      const c = (await git.readCommit(id))!;
      expect(c.message).to.equal(msg);
      expect(c.parents).to.deep.equal([ids.M]);
      expect(c.tree).to.equal(await g.rev(dir, `${ids.M}^{tree}`));
      const [blob] = await git.hashObjects([Buffer.from('hello\n')]);
      const added = await git.commitAdding(id, new Map([['dir/new.txt', blob!]]), 'add\n', {});
      expect((await git.readFileAt(added, 'dir/new.txt'))!.toString()).to.equal('hello\n');
      expect((await git.readFileAt(added, 'a.txt'))!.toString()).to.equal('a\n');
      expect(await g.rev(dir, 'HEAD')).to.equal(id);
      expect(await g.ok(dir, ['status', '--porcelain'])).to.equal('');
      await g.ok(dir, ['checkout', '-q', 'main']);
    });

    it('resolveRange gives base, head and the commits of head not in base', async () => {
      const r = await resolveRange(git, `${ids.C}..${ids.M}`);
      expect(r.base).to.equal(ids.C);
      expect(r.head).to.equal(ids.M);
      expect(r.commits).to.deep.equal([ids.D, ids.E, ids.M]);
      expect(() => splitRange('a...b')).to.throw().with.property('code', 'bad-range');
      expect(() => splitRange('--output=x..HEAD')).to.throw().with.property('code', 'bad-range');
      const err = await resolveRange(git, 'main..nope').catch((e: unknown) => e);
      expect(err).to.have.property('code', 'bad-range');
    });

    it('a failing git command is a git-failed error carrying the arguments', async () => {
      // through a named operation of the port: a config key git refuses
      const err = await git.configSet('no-section', 'x').catch((e: unknown) => e);
      expect(err).to.have.property('code', 'git-failed');
      expect((err as { data: { args: string[] } }).data.args).to.deep.equal(['config', '--local', 'no-section', 'x']);
    });

    it('git missing from PATH is git-missing (exit 3 territory), never a crash', async () => {
      const noGit = new Git(dir, { ...process.env, PATH: join(dir, 'no-such-bin') });
      const err = await noGit.configGet('user.name').catch((e: unknown) => e);
      expect(err).to.have.property('code', 'git-missing');
    });
  });
}
