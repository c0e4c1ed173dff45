// Integration: Git.patchIds, the per-commit identity rewrites: replay matches a rebase by. It must survive a
// rebase (other parent, other line numbers) and must not survive a change of content that plain
// `git patch-id --stable` ignores: whitespace inside a line, a file mode, a binary blob.
import { expect } from 'chai';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Git } from '../../src/git/git.js';
import { GitRunner, tempRepo, useTempDirs, type ObjectFormat } from '../helpers/gitrepo.js';

for (const format of ['sha1', 'sha256'] as ObjectFormat[]) {
  describe(`integration: patch ids (${format})`, function () {
    this.timeout(60_000);
    useTempDirs();
    let dir: string;
    let g: GitRunner;
    let git: Git;
    let root: string;

    async function commitOn(base: string, files: Record<string, string | Buffer>, message: string, mode?: number): Promise<string> {
      await g.ok(dir, ['checkout', '-q', '--detach', base]);
      for (const [f, content] of Object.entries(files)) {
        writeFileSync(join(dir, f), content);
        if (mode) chmodSync(join(dir, f), mode);
      }
      await g.ok(dir, ['add', '-A']);
      await g.ok(dir, ['commit', '-q', '--no-verify', '-m', message]);
      return g.rev(dir, 'HEAD');
    }

    before(async () => {
      ({ dir, g, git } = await tempRepo(format));
      root = await g.commitFile(dir, 'lib.txt', Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join(''), 'base');
    });

    it('is the same for a commit and its rebase, and absent for empty and merge commits', async () => {
      const base = root;
      const orig = await commitOn(base, { 'run.sh': 'rm -rf /tmp/x\n' }, 'orig');
      const moved = await commitOn(base, { 'lib.txt': 'top\n' + Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join('') }, 'main moved');
      await g.ok(dir, ['cherry-pick', orig]);
      const rebased = await g.rev(dir, 'HEAD');
      await g.ok(dir, ['commit', '-q', '--allow-empty', '-m', 'empty']);
      const empty = await g.rev(dir, 'HEAD');
      await g.ok(dir, ['merge', '-q', '--no-ff', '-m', 'merge', orig]);
      const merge = await g.rev(dir, 'HEAD');
      const p = await git.patchIds([orig, moved, rebased, empty, merge]);
      expect(p.get(orig)).to.match(/^[0-9a-f]{40,64}$/);
      expect(p.get(rebased)).to.equal(p.get(orig));
      expect(p.get(moved)).to.not.equal(p.get(orig));
      expect(p.has(empty)).to.equal(false);
      expect(p.has(merge)).to.equal(false);
      expect((await git.patchIds([])).size).to.equal(0);
    });

    it('differs for whitespace inside a line (where --stable does not), a file mode and a binary blob', async () => {
      const base = root;
      const a = await commitOn(base, { 'run.sh': 'rm -rf /tmp/x\n' }, 'a');
      const ws = await commitOn(base, { 'run.sh': 'rm -rf / tmp/x\n' }, 'ws');
      const exec = await commitOn(base, { 'run.sh': 'rm -rf /tmp/x\n' }, 'exec', 0o755);
      const bin1 = await commitOn(base, { 'b.bin': Buffer.from([0, 1, 2, 3]) }, 'bin1');
      const bin2 = await commitOn(base, { 'b.bin': Buffer.from([0, 1, 2, 4]) }, 'bin2');
      const p = await git.patchIds([a, ws, exec, bin1, bin2]);
      expect(new Set([a, ws, exec].map((c) => p.get(c))).size).to.equal(3);
      expect(p.get(bin1)).to.be.a('string');
      expect(p.get(bin1)).to.not.equal(p.get(bin2));
      // the reason for --verbatim: plain --stable calls the first two the same patch
      const diff = await g.ok(dir, ['diff-tree', '-p', '--full-index', a]);
      const diff2 = await g.ok(dir, ['diff-tree', '-p', '--full-index', ws]);
      const stable = async (d: string) => (await g.ok(dir, ['patch-id', '--stable'], { input: d + '\n' })).split(' ')[0];
      expect(await stable(diff)).to.equal(await stable(diff2));
    });

    it('changedPaths lists what a commit range changes (deletions as null); idsAt reads ids at paths, absent ones absent', async () => {
      const a = await commitOn(root, { 'x.txt': 'x\n', 'y.txt': 'y\n' }, 'x and y');
      await g.ok(dir, ['rm', '-q', 'y.txt']);
      await g.ok(dir, ['commit', '-q', '--no-verify', '-m', 'drop y']);
      const b = await g.rev(dir, 'HEAD');
      const ch = await git.changedPaths(root, b);
      const xid = await g.ok(dir, ['rev-parse', `${b}:x.txt`]);
      expect(ch).to.deep.equal([{ path: 'x.txt', id: xid }]);
      const ch2 = await git.changedPaths(a, b);
      expect(ch2).to.deep.equal([{ path: 'y.txt', id: null }]);
      const at = await git.idsAt(a, ['x.txt', 'y.txt', 'nope.txt', 'bad\nname']);
      expect(at.get('x.txt')).to.equal(xid);
      expect(at.has('y.txt')).to.equal(true);
      expect(at.has('nope.txt')).to.equal(false);
      expect(at.has('bad\nname')).to.equal(false);
    });
  });
}
