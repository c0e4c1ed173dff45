// The replay's commit reader (validate.ts prefetchingReader) reads the range commits of standard entries a
// window of entries at a time and drops the window before: whatever the window size and whatever order
// the checks ask in, every read answers exactly what `git cat-file` answers, missing ids stay missing,
// and ids no entry lists are still read from git.
import { expect } from 'chai';
import { prefetchingReader } from '../../src/validate/validate.js';
import type { VerifiedEntry } from '../../src/mirror/chain.js';
import { tempRepo, useTempDirs } from '../helpers/gitrepo.js';

describe('prefetchingReader (windowed range commits)', function () {
  this.timeout(60_000);
  useTempDirs();

  it('answers every read as git does, for any window and any order', async () => {
    const { dir, g, git } = await tempRepo('sha1');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await g.commitFile(dir, `f${i}.txt`, `${i}\n`, `c${i}\n\nAssisted-by: tool-${i}`));
    // four standard entries of three commits each (head last), and one bypass entry listing the first commits again
    const entry = (seq: number, kind: string, commits: string[]): VerifiedEntry =>
      ({ seq, predicate: { kind, workstream: `w${seq}`, range: { base: null, head: commits[commits.length - 1]!, commits }, verdicts: [] } }) as unknown as VerifiedEntry;
    const entries = [0, 1, 2, 3].map((k) => entry(k + 1, 'standard', ids.slice(3 * k, 3 * k + 3)));
    entries.push(entry(5, 'bypass', ids.slice(0, 2)));
    const truth = await git.readCommits(ids);
    const missing = 'f'.repeat(40);
    for (const window of [1, 2, 3, 100]) {
      const read = await prefetchingReader(git, entries, window);
      // backwards, then forwards, then a mix with a missing id and a commit listed by two entries
      const asks = [...entries].reverse().map((e) => e.predicate.range.commits);
      asks.push(...entries.map((e) => e.predicate.range.commits), [ids[7]!, missing, ids[0]!, ids[11]!]);
      for (const ask of asks) {
        const got = await read(ask);
        expect([...got.keys()].sort(), `window ${window}`).to.deep.equal(ask.filter((id) => id !== missing).sort());
        for (const [id, c] of got) expect(c, `window ${window} ${id}`).to.deep.equal(truth.get(id));
      }
    }
  });
});
