// Policy epochs on real git (DESIGN §2.5): which commits are versions of .csae/policy.yaml, how a merge
// enters the epoch order, a deletion, a shallow cut, and the hooks' incremental history cache.
import { expect } from 'chai';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { policyHistory } from '../../src/policy/epochs.js';
import { Git } from '../../src/git/git.js';
import { tempRepo, useTempDirs } from '../helpers/gitrepo.js';
import { isCsaeError } from '../../src/core/errors.js';

const policy = (floor: number): string => `version: 1\nrepository: example.com/app\nmirror:\n  url: ../mirror.git\nprotect:\n  - refs/heads/main\nrequire:\n  floor: ${floor}\n`;

describe('integration: policy epochs (the versions a protected ref held)', function () {
  this.timeout(60_000);
  useTempDirs();

  it('lists first-parent versions oldest first; a merge is activated by itself or the side commit that wrote its bytes; a deletion is a version', async () => {
    const { dir, g, git } = await tempRepo('sha1');
    await g.commitFile(dir, 'README', 'x\n', 'root');
    const p1 = await g.commitFile(dir, '.csae/policy.yaml', policy(1), 'adopt');
    await g.ok(dir, ['checkout', '-q', '-b', 'side']);
    const p2 = await g.commitFile(dir, '.csae/policy.yaml', policy(2), 'raise the floor on a branch');
    await g.ok(dir, ['checkout', '-q', 'main']);
    await g.commitFile(dir, 'other', 'y\n', 'unrelated work on main');
    await g.ok(dir, ['merge', '-q', '--no-edit', 'side']);
    const merge = await g.rev(dir, 'HEAD');
    await g.ok(dir, ['rm', '-q', '.csae/policy.yaml']);
    await g.ok(dir, ['commit', '-q', '-m', 'drop csae']);
    const drop = await g.rev(dir, 'HEAD');
    const plan = (await policyHistory(git, drop))!;
    expect(plan.versions.map((v) => v.commit)).to.deep.equal([p1, merge, drop]);
    expect(plan.versions.map((v) => v.policy?.require?.floor ?? null)).to.deep.equal([1, 2, null]);
    expect(plan.versions[1]!.activatedBy).to.deep.equal([merge, p2]);
    expect(plan.versions[2]!.activatedBy).to.deep.equal([drop]);
    // no policy in the history at all
    expect(await policyHistory(git, await g.rev(dir, `${p1}~1`))).to.equal(null);
  });

  it('the hooks\' cache extends along the first-parent chain and agrees with a full walk; the key changes with the history', async () => {
    const { dir, g, git } = await tempRepo('sha256');
    await g.commitFile(dir, '.csae/policy.yaml', policy(1), 'adopt');
    const cache = join(dir, '.git', 'csae');
    mkdirSync(cache, { recursive: true });
    const a = (await policyHistory(git, await g.rev(dir, 'HEAD'), cache))!;
    await g.commitFile(dir, 'w', '1\n', 'work');
    const p2 = await g.commitFile(dir, '.csae/policy.yaml', policy(3), 'raise');
    const cached = (await policyHistory(git, p2, cache))!;
    const full = (await policyHistory(git, p2))!;
    expect(cached.versions.map((v) => v.commit)).to.deep.equal(full.versions.map((v) => v.commit));
    expect(cached.key).to.equal(full.key);
    expect(cached.key).to.not.equal(a.key);
  });

  it('a shallow clone cut at the policy history refuses (shallow-history) instead of taking the cut as genesis', async () => {
    const { dir, g } = await tempRepo('sha1');
    await g.commitFile(dir, '.csae/policy.yaml', policy(1), 'adopt');
    await g.commitFile(dir, '.csae/policy.yaml', policy(2), 'raise');
    const shallow = join(dir, '..', 'shallow');
    await g.ok(join(dir, '..'), ['clone', '-q', '--depth', '1', `file://${dir}`, shallow]);
    const git = new Git(shallow, g.env);
    let err: unknown = null;
    try {
      await policyHistory(git, await g.rev(shallow, 'HEAD'));
    } catch (e) {
      err = e;
    }
    expect(isCsaeError(err) && err.code).to.equal('shallow-history');
    expect((err as { next?: string }).next).to.contain('git fetch --unshallow');
  });
});
