// Integration: `cat-file --batch` output is parsed as it streams in. Bodies of every size (empty, one
// byte, across pipe-chunk boundaries, far larger than a chunk, full of newlines), missing and
// other-typed objects interleaved, come back byte for byte as `git cat-file` prints them one by one.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Git } from '../../src/git/git.js';
import { gitEnv, mkTemp, useTempDirs } from '../helpers/gitrepo.js';

describe('integration: git cat-file --batch, streamed', function () {
  this.timeout(60_000);
  useTempDirs();

  it('reads blobs of every size, skipping missing and other-typed objects', async () => {
    const root = mkTemp();
    const env = gitEnv(root);
    const dir = join(root, 'r.git');
    execFileSync('git', ['init', '-q', '--bare', dir], { env });
    const sizes = [0, 1, 2, 100, 4095, 4096, 65_535, 65_536, 65_537, 300_001, 1_000_000];
    const bodies = sizes.map((n, i) => (i % 2 ? Buffer.alloc(n, '\n') : randomBytes(n)));
    const ids = bodies.map((b) => execFileSync('git', ['--git-dir', dir, 'hash-object', '-w', '--stdin'], { env, input: b }).toString().trim());
    const tree = execFileSync('git', ['--git-dir', dir, 'mktree'], { env, input: `100644 blob ${ids[3]}\tf\n` }).toString().trim();
    const missing = '0123456789abcdef0123456789abcdef01234567';
    const specs = ids.flatMap((id, i) => (i % 3 === 0 ? [missing, id, tree] : [id]));
    const got = await new Git(dir, env, { bare: true, isolated: true }).readBlobs(specs);
    expect([...got.keys()].sort()).to.deep.equal([...new Set(ids)].sort());
    ids.forEach((id, i) => expect(Buffer.compare(got.get(id)!, bodies[i]!), `blob of ${sizes[i]} bytes`).to.equal(0));
    const commits = await new Git(dir, env, { bare: true, isolated: true }).readCommits([...ids, tree]);
    expect(commits.size).to.equal(0);
  });
});
