// Integration: a mirror written with csae's layout functions at 30,000 entries keeps every tree under the
// bound (DESIGN §2.4). Structure only: the tree shapes do not depend on the bytes, so the entries here
// are small unsigned placeholders, written through git fast-import as the bench generates its mirror.
// The first 2,000 entries take one commit each, as csae appends them (crossing leaf-directory
// boundaries commit by commit); the rest come 100 per commit, which leaves the same trees at the head in
// a few seconds instead of a minute (history only adds files, so every earlier tree is a subset of the
// head's). CSAE_LAYOUT_ENTRIES overrides the size; CSAE_LAYOUT_ONE_PER_COMMIT=1 writes every entry in
// its own commit.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { sha256Hex } from '../../src/core/digest.js';
import { classifyPath, entryPath, markerBytes, MARKER_PATH, renderingPath, verdictPath } from '../../src/mirror/layout.js';
import { FastImport } from '../../bench/fastimport.js';
import { gitEnv, mkTemp, useTempDirs } from '../helpers/gitrepo.js';

const N = Number(process.env.CSAE_LAYOUT_ENTRIES ?? 30_000);
/** names in one tree: 1,000 entries with their envelope and rendering in a leaf directory, else 1,000 */
const MAX_ENTRIES_PER_TREE = 1000;
const SINGLE = 2000;
const BATCH = 100;

describe(`integration: mirror layout 2 at ${N.toLocaleString('en')} entries`, function () {
  this.timeout(180_000);
  useTempDirs();

  it('no tree holds more than 1,000 entries, and every path is in the layout', async () => {
    const root = mkTemp();
    const dir = join(root, 'mirror.git');
    const env = gitEnv(root);
    execFileSync('git', ['init', '-q', '--bare', dir], { env });
    const fi = new FastImport(dir, env);
    const who = { name: 'Olive Operator', email: 'olive@example.com' };
    const files = (seq: number) => {
      const verdict = Buffer.from(`{"verdict":${seq}}\n`);
      return [
        ...(seq === 1 ? [{ path: MARKER_PATH, data: markerBytes() }] : []),
        { path: entryPath(seq), data: `{"entry":${seq}}\n` },
        { path: renderingPath(seq), data: `# entry ${seq}\n` },
        { path: verdictPath('sha256:' + sha256Hex(verdict)), data: verdict },
      ];
    };
    const single = process.env.CSAE_LAYOUT_ONE_PER_COMMIT ? N : Math.min(N, SINGLE);
    let mark = 0;
    for (let seq = 1; seq <= N; ) {
      const step = seq <= single ? 1 : BATCH;
      const last = Math.min(N, seq + step - 1);
      const batch = [];
      for (let s = seq; s <= last; s++) batch.push(...files(s));
      await fi.commit({ ref: 'refs/heads/main', mark: ++mark, author: who, time: 1_700_000_000 + seq, message: `csae: append entry ${seq}\n`, from: seq === 1 ? null : undefined, files: batch });
      seq = last + 1;
    }
    await fi.done();
    // an append rewrites a handful of small trees: root, entries/, its two shard levels, verdicts/ and its
    // two fan-out levels (git log -t lists every tree a commit changes)
    const perCommit = execFileSync('git', ['--git-dir', dir, 'log', '--format=%x01', '-t', '--raw', '--no-abbrev', '--max-count', String(single), `main~${mark - single}`], { env, maxBuffer: 1 << 28 })
      .toString('utf8')
      .split('\x01')
      .slice(1)
      .map((c) => c.split('\n').filter((l) => / 040000 /.test(l)).length);
    expect(perCommit).to.have.length(single);
    expect(Math.max(...perCommit)).to.be.at.most(7);
    // history is append-only, so every tree of an earlier commit is a subset of the same tree at the head
    const listing = execFileSync('git', ['--git-dir', dir, 'ls-tree', '-r', '-t', '--full-tree', 'main'], { env, maxBuffer: 1 << 28 }).toString('utf8');
    const names = new Map<string, number>(); // directory -> names in its tree
    const seqs = new Map<string, Set<number>>(); // directory -> entries (seqs) it holds
    let blobs = 0;
    for (const line of listing.split('\n')) {
      if (!line) continue;
      const path = line.slice(line.indexOf('\t') + 1);
      const type = line.split(' ')[1];
      const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      names.set(parent, (names.get(parent) ?? 0) + 1);
      if (type !== 'blob') continue;
      blobs++;
      const k = classifyPath(path);
      expect(k.kind, path).to.not.equal('other');
      if (k.kind === 'entry' || k.kind === 'rendering') {
        const s = seqs.get(parent) ?? new Set<number>();
        s.add(k.seq);
        seqs.set(parent, s);
      }
    }
    expect(blobs).to.equal(1 + 3 * N);
    // trees without entry files hold at most 1,000 names; a leaf entry directory holds at most 1,000 seqs
    for (const [d, n] of names) {
      const entries = seqs.get(d)?.size ?? n;
      expect(entries, `${d || '(root)'} holds ${entries} entries`).to.be.at.most(MAX_ENTRIES_PER_TREE);
      expect(n, `${d || '(root)'} holds ${n} names`).to.be.at.most(2 * MAX_ENTRIES_PER_TREE);
    }
    // both shard levels are exercised: several middle directories, and full leaves
    const leaves = [...seqs.keys()];
    expect(leaves.length).to.equal(Math.floor(N / 1000) + 1);
    expect(Math.max(...[...seqs.values()].map((s) => s.size))).to.equal(Math.min(N, 1000));
    expect(names.get('verdicts')).to.equal(256);
  });
});
