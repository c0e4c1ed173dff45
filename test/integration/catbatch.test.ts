// Integration: `cat-file --batch` output is parsed as it streams in. Bodies of every size (empty, one
// byte, across pipe-chunk boundaries, far larger than a chunk, full of newlines), missing and
// other-typed objects interleaved, come back byte for byte as `git cat-file` prints them one by one.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Git } from '../../src/git/git.js';
import { ROOT, gitEnv, mkTemp, useTempDirs } from '../helpers/gitrepo.js';

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

  // one long-lived `cat-file --batch-command` answers every read of a handle (src/git/batch.ts)
  it('one reader answers names, existence, commits and blobs like rev-parse, and sees objects written later', async () => {
    const root = mkTemp();
    const env = gitEnv(root);
    const dir = join(root, 'w');
    execFileSync('git', ['init', '-q', dir], { env });
    const sh = (...a: string[]): string => execFileSync('git', ['-C', dir, ...a], { env }).toString().trim();
    sh('commit', '-q', '--allow-empty', '-m', 'one');
    sh('commit', '-q', '--allow-empty', '-m', 'two');
    sh('tag', '-a', '-m', 'annotated', 'v1', 'HEAD~1');
    const git = new Git(dir, env);
    const names = ['HEAD', 'HEAD~1', 'v1', 'main', 'refs/heads/main', sh('rev-parse', 'HEAD^{tree}'), '0123456789abcdef0123456789abcdef01234567', 'nope', 'HEAD:missing', 'HEAD~9'];
    const byRevParse = names.map((n) => {
      const r = spawnSync('git', ['-C', dir, 'rev-parse', '--verify', '--quiet', '--end-of-options', `${n}^{commit}`], { env, encoding: 'utf8' });
      return r.status === 0 ? r.stdout.trim() : null;
    });
    // concurrent questions are queued on the one process and answered in order
    const got = await Promise.all(names.map((n) => git.resolveCommit(n)));
    expect(got).to.deep.equal(byRevParse);
    expect(await git.hasObject(sh('rev-parse', 'HEAD'))).to.equal(true);
    expect(await git.hasObject('0123456789abcdef0123456789abcdef01234567')).to.equal(false);
    // an object and a ref written by another process after the reader started are seen
    const blob = execFileSync('git', ['-C', dir, 'hash-object', '-w', '--stdin'], { env, input: 'later\n' }).toString().trim();
    expect((await git.readBlobs([blob])).get(blob)?.toString()).to.equal('later\n');
    sh('commit', '-q', '--allow-empty', '-m', 'three');
    expect(await git.resolveCommit('HEAD')).to.equal(sh('rev-parse', 'HEAD'));
    // a name with a line break is never sent down the pipe: it names nothing, and the reader stays in step
    expect((await git.readBlobs([`${blob}\n${blob}`, blob])).size).to.equal(1);
    expect((await git.readCommit(sh('rev-parse', 'HEAD')))?.message.trim()).to.equal('three');
  });

  it('an idle reader never keeps the process alive', () => {
    const root = mkTemp();
    const env = gitEnv(root);
    const dir = join(root, 'w');
    execFileSync('git', ['init', '-q', dir], { env });
    execFileSync('git', ['-C', dir, 'commit', '-q', '--allow-empty', '-m', 'one'], { env });
    const src = `import { Git } from ${JSON.stringify(join(ROOT, 'dist', 'src', 'git', 'git.js'))};
const g = new Git(${JSON.stringify(dir)}, process.env);
console.log(await g.resolveCommit('HEAD'));
const done = performance.now();
process.on('exit', () => console.log(Math.round(performance.now() - done)));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', src], { env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).to.equal(0);
    const [id, lingered] = r.stdout.trim().split('\n');
    expect(id).to.match(/^[0-9a-f]{40}$/);
    // node exits when the work is done, not when the reader's idle timer (1 s) closes it
    expect(Number(lingered)).to.be.below(500);
  });

  it('updateRange answers a linear push from the reader exactly as rev-list does, and hands everything else to rev-list', async () => {
    const root = mkTemp();
    const env = gitEnv(root);
    const dir = join(root, 'w');
    execFileSync('git', ['init', '-q', dir], { env });
    const sh = (...a: string[]): string => execFileSync('git', ['-C', dir, ...a], { env }).toString().trim();
    const commit = (m: string): string => (sh('commit', '-q', '--allow-empty', '-m', m), sh('rev-parse', 'HEAD'));
    const root0 = commit('root');
    const a = commit('a');
    const chain = Array.from({ length: 5 }, (_, i) => commit(`c${i}`));
    sh('checkout', '-q', '-b', 'side', a);
    const s1 = commit('s1');
    sh('checkout', '-q', '-');
    sh('merge', '-q', '--no-ff', '-m', 'merge side', 'side');
    const merge = sh('rev-parse', 'HEAD');
    const after = commit('after merge');
    const byRevList = (o: string, n: string) => {
      const lines = sh('rev-list', '--left-right', '--topo-order', '--reverse', '--parents', `${o}...${n}`).split('\n').filter(Boolean);
      return { fastForward: !lines.some((l) => l.startsWith('<')), commits: lines.filter((l) => l.startsWith('>')).map((l) => { const [id, ...parents] = l.slice(1).split(' '); return { id, parents }; }) };
    };
    const git = new Git(dir, env);
    // linear (answered by the reader), equal, merge in the range, non-fast-forward, from a root: the same answer
    for (const [o, n] of [[a, chain[4]!], [chain[4]!, chain[4]!], [a, after], [chain[2]!, merge], [s1, chain[4]!], [chain[4]!, a], [root0, chain[1]!]]) {
      expect(await git.updateRange(o!, n!), `${o!.slice(0, 7)}...${n!.slice(0, 7)}`).to.deep.equal(byRevList(o!, n!));
    }
    // longer than the reader walks: rev-list, same answer
    const many = Array.from({ length: 300 }, (_, i) => commit(`m${i}`)).at(-1)!;
    expect(await git.updateRange(after, many)).to.deep.equal(byRevList(after, many));
  });
});
