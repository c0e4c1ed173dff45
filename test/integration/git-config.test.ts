// The git port's configuration reads (one `git config --list` per handle answers every key as `git config
// --get` would) and its batched blob writes (one process, the ids `git hash-object` gives one at a time).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { tempRepo, useTempDirs } from '../helpers/gitrepo.js';

describe('integration: git port config and blob writes', function () {
  this.timeout(60_000);
  useTempDirs();

  it('answers every key as git config --get does: case of section and name, subsections, the last value, bare booleans, values with spaces and newlines', async () => {
    const { dir, g, git } = await tempRepo('sha1');
    const set = (...a: string[]) => g.ok(dir, ['config', ...a]);
    await set('csae.signer', 'ssh:/keys/olive');
    await set('core.hooksPath', '.husky/_');
    await set('remote.Origin.url', 'git@example.com:acme/App.git');
    await set('--add', 'multi.value', 'first');
    await set('--add', 'multi.value', 'last');
    await set('odd.spaced', '  padded value  ');
    await set('odd.lines', 'one\ntwo');
    const cfg = `${dir}/.git/config`;
    spawnSync('sh', ['-c', `printf '[bare]\\n\\tflag\\n' >> '${cfg}'`]);
    const keys = ['csae.signer', 'CSAE.Signer', 'core.hookspath', 'core.hooksPath', 'remote.Origin.url', 'remote.origin.url', 'REMOTE.Origin.URL', 'multi.value', 'odd.spaced', 'odd.lines', 'bare.flag', 'no.such', 'nosection'];
    for (const k of keys) {
      const r = spawnSync('git', ['-C', dir, 'config', '--get', k], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
      const want = r.status === 0 ? r.stdout.trim() : null;
      expect(await git.configGet(k), k).to.equal(want);
    }
    expect(await git.configGet('remote.Origin.url')).to.equal('git@example.com:acme/App.git');
    expect(await git.configGet('remote.origin.url'), 'subsections keep their case').to.equal(null);
    // a write through the port is seen by the next read
    await git.configSet('csae.signer', 'key:/keys/new');
    expect(await git.configGet('csae.signer')).to.equal('key:/keys/new');
  });

  it('writes many blobs in one process with the ids git gives each one alone', async () => {
    const { dir, git } = await tempRepo('sha256');
    const blobs = [Buffer.from('one\n'), Buffer.from(''), Buffer.from([0, 1, 2, 255]), Buffer.from('crlf\r\nline\r\n'), Buffer.from('x'.repeat(100_000))];
    const ids = await git.hashObjects(blobs);
    const alone = blobs.map((b) => spawnSync('git', ['-C', dir, 'hash-object', '--stdin'], { input: b, encoding: 'utf8' }).stdout.trim());
    expect(ids).to.deep.equal(alone);
    // a listing of a directory answers what rev:path answers, one path at a time
    const tree = await git.commitAdding(null, new Map([['entries/a/1.json', ids[0]!], ['entries/b/2.json', ids[2]!], ['other/x', ids[1]!]]), 'm\n', {});
    const listed = await git.treeBlobs(tree, 'entries');
    expect([...listed]).to.deep.equal([['entries/a/1.json', ids[0]], ['entries/b/2.json', ids[2]]]);
    expect(await git.treeBlobs(tree, 'nothing-here')).to.deep.equal(new Map());
    expect(await git.treeBlobs('not-a-commit', 'entries')).to.deep.equal(new Map());
    for (const [i, id] of ids.entries()) expect(spawnSync('git', ['-C', dir, 'cat-file', 'blob', id]).stdout.equals(blobs[i]!), `blob ${i} written`).to.equal(true);
  });
});

describe('integration: git port commitAdding builds the trees git would', function () {
  this.timeout(60_000);
  useTempDirs();

  for (const format of ['sha1', 'sha256'] as const) {
    it(`equals read-tree + update-index + write-tree, nested, in git's tree order, from a root too (${format})`, async () => {
      const { dir, g, git } = await tempRepo(format);
      const blob = async (s: string): Promise<string> => (await git.hashObjects([Buffer.from(s)]))[0]!;
      // names that sort differently as files and as directories ("a-b" < "a/" < "a.b" < "a0" by bytes)
      const first = new Map([['a-b', await blob('1')], ['a.b', await blob('2')], ['a0', await blob('3')], ['entries/0000/0001/000000000001.dsse.json', await blob('e1')], ['marker.json', await blob('m')]]);
      const root = await git.commitAdding(null, first, 'first\n', {});
      const second = new Map([['a/x', await blob('4')], ['entries/0000/0001/000000000002.dsse.json', await blob('e2')], ['entries/0000/0002/000000000003.dsse.json', await blob('e3')], ['verdicts/ab/cd/v.json', await blob('v')]]);
      const next = await git.commitAdding(root, second, 'second\n', {});
      // what git makes of the same additions through an index
      const idx = { ...process.env, GIT_INDEX_FILE: `${dir}/.git/expect-index` };
      const viaIndex = (parent: string | null, files: Map<string, string>): string => {
        spawnSync('git', ['-C', dir, 'read-tree', ...(parent ? [parent] : ['--empty'])], { env: idx });
        spawnSync('git', ['-C', dir, 'update-index', '--add', '--index-info'], { env: idx, input: [...files].map(([p, id]) => `100644 ${id}\t${p}`).join('\n') + '\n' });
        return spawnSync('git', ['-C', dir, 'write-tree'], { env: idx, encoding: 'utf8' }).stdout.trim();
      };
      expect(await g.rev(dir, `${root}^{tree}`)).to.equal(viaIndex(null, first));
      expect(await g.rev(dir, `${next}^{tree}`)).to.equal(viaIndex(root, second));
      expect(await g.rev(dir, `${next}^`)).to.equal(root);
      expect(spawnSync('git', ['-C', dir, 'fsck', '--strict', '--no-dangling'], { encoding: 'utf8' }).status).to.equal(0);
    });
  }

  it('refuses paths that are not plain relative paths, and a file where a directory is needed', async () => {
    const { git } = await tempRepo('sha1');
    const [b] = await git.hashObjects([Buffer.from('x')]);
    for (const p of ['', '/abs', 'a//b', 'a/../b', '.git/config', 'dir/', 'a\nb']) {
      const e = await git.commitAdding(null, new Map([[p, b!]]), 'm\n', {}).catch((x: unknown) => x);
      expect(e, JSON.stringify(p)).to.have.property('code', 'git-failed');
    }
    const c = await git.commitAdding(null, new Map([['f', b!]]), 'm\n', {});
    const e = await git.commitAdding(c, new Map([['f/g', b!]]), 'm\n', {}).catch((x: unknown) => x);
    expect(e).to.have.property('code', 'git-failed');
  });
});
