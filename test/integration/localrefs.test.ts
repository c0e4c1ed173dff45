// Integration: a mirror on this machine is synced without a process when its branches are exactly what
// the clone holds (src/git/localrefs.ts); every difference — a new entry, a deleted branch, a gone
// mirror, a ref that is not plainly readable — still goes through `git fetch`.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Git } from '../../src/git/git.js';
import { readRefsUnder } from '../../src/git/localrefs.js';
import { gitEnv, mkTemp, useTempDirs } from '../helpers/gitrepo.js';

describe('integration: syncing a local mirror reads its refs first', function () {
  this.timeout(60_000);
  useTempDirs();

  function setup(): { env: Record<string, string | undefined>; mirror: string; clone: string; sh: (dir: string, ...a: string[]) => string } {
    const root = mkTemp();
    const env = gitEnv(root);
    const sh = (dir: string, ...a: string[]): string => execFileSync('git', ['--git-dir', dir, ...a], { env }).toString().trim();
    const mirror = join(root, 'mirror.git');
    execFileSync('git', ['init', '-q', '--bare', '--initial-branch', 'main', mirror], { env });
    const tree = sh(mirror, 'mktree');
    sh(mirror, 'update-ref', 'refs/heads/main', sh(mirror, 'commit-tree', tree, '-m', 'one'));
    const clone = join(root, 'clone.git');
    execFileSync('git', ['init', '-q', '--bare', clone], { env });
    return { env, mirror, clone, sh };
  }
  const noGit = (env: Record<string, string | undefined>): Record<string, string | undefined> => ({ ...env, PATH: '/nonexistent' });

  it('up to date: answered from the files (no git on PATH needed); behind, pruned or gone: git fetch', async () => {
    const { env, mirror, clone, sh } = setup();
    const git = new Git(clone, env, { bare: true, isolated: true });
    // first sync: the clone has nothing, so git fetches
    expect((await git.fetchBranches(mirror, 'refs/remotes/mirror/')).ok).to.equal(true);
    const head = sh(mirror, 'rev-parse', 'refs/heads/main');
    expect(sh(clone, 'rev-parse', 'refs/remotes/mirror/main')).to.equal(head);
    // up to date: no process (git is not even on PATH for this handle)
    expect((await new Git(clone, noGit(env), { bare: true, isolated: true }).fetchBranches(mirror, 'refs/remotes/mirror/')).ok).to.equal(true);
    // packed on one side, loose on the other: still the same refs
    sh(mirror, 'pack-refs', '--all');
    expect((await new Git(clone, noGit(env), { bare: true, isolated: true }).fetchBranches(mirror, 'refs/remotes/mirror/')).ok).to.equal(true);
    // a new entry: the refs differ, so git runs (and without git on PATH it cannot: never "up to date")
    const next = sh(mirror, 'commit-tree', sh(mirror, 'mktree'), '-p', head, '-m', 'two');
    sh(mirror, 'update-ref', 'refs/heads/main', next);
    await new Git(clone, noGit(env), { bare: true, isolated: true }).fetchBranches(mirror, 'refs/remotes/mirror/').then(
      () => expect.fail('a mirror that moved was taken as up to date'),
      (e: { code?: string }) => expect(e.code).to.equal('git-missing'),
    );
    expect((await git.fetchBranches(mirror, 'refs/remotes/mirror/')).ok).to.equal(true);
    expect(sh(clone, 'rev-parse', 'refs/remotes/mirror/main')).to.equal(next);
    // a branch the mirror no longer has is pruned by git
    sh(mirror, 'update-ref', 'refs/heads/side', next);
    expect((await git.fetchBranches(mirror, 'refs/remotes/mirror/')).ok).to.equal(true);
    sh(mirror, 'update-ref', '-d', 'refs/heads/side');
    expect((await git.fetchBranches(mirror, 'refs/remotes/mirror/')).ok).to.equal(true);
    expect(readRefsUnder(clone, 'refs/remotes/mirror/')).to.deep.equal(new Map([['main', next]]));
    // a mirror that is gone fails closed
    rmSync(mirror, { recursive: true, force: true });
    expect((await git.fetchBranches(mirror, 'refs/remotes/mirror/')).ok).to.equal(false);
  });

  it('reads loose over packed refs, and gives up (null) on symbolic refs, reftable and bad prefixes', () => {
    const { mirror, sh } = setup();
    const one = sh(mirror, 'rev-parse', 'refs/heads/main');
    sh(mirror, 'pack-refs', '--all');
    const two = sh(mirror, 'commit-tree', sh(mirror, 'mktree'), '-p', one, '-m', 'two');
    sh(mirror, 'update-ref', 'refs/heads/main', two);
    sh(mirror, 'update-ref', 'refs/heads/a/b', one);
    expect(readRefsUnder(mirror, 'refs/heads/')).to.deep.equal(new Map([['main', two], ['a/b', one]]));
    expect(readRefsUnder(mirror, 'refs/none/')).to.deep.equal(new Map());
    expect(readRefsUnder(mirror, '../')).to.equal(null);
    sh(mirror, 'symbolic-ref', 'refs/heads/alias', 'refs/heads/main');
    expect(readRefsUnder(mirror, 'refs/heads/')).to.equal(null);
    sh(mirror, 'symbolic-ref', '--delete', 'refs/heads/alias');
    mkdirSync(join(mirror, 'reftable'));
    writeFileSync(join(mirror, 'reftable', 'tables.list'), '');
    expect(readRefsUnder(mirror, 'refs/heads/')).to.equal(null);
    expect(readRefsUnder(join(mirror, 'nowhere'), 'refs/heads/')).to.equal(null);
  });
});
