// The verified index's lookup files answer exactly what the in-memory chain answers, on a real mirror
// built by real publishes: the first claimant of every commit of the repository (and of commits it never
// saw), the entry at every seq (and at seqs that do not exist), every verdict blob. The comparison is shown
// to catch a divergence, and damaged files fall back to the verified index.
import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorWorkstream, ceremony, IDENTITY } from '../helpers/gitrepo.js';
import { viewDifferences } from '../helpers/views.js';
import { openRepo } from '../../src/git/repo.js';
import { MirrorStore } from '../../src/mirror/store.js';
import { memoryView } from '../../src/mirror/view.js';
import { rewriteIndex } from '../helpers/stateindex.js';
import { readPolicyFile } from '../../src/policy/edit.js';

describe('mirror view: index lookup files vs the in-memory chain', function () {
  this.timeout(120000);

  it('agree on every commit, seq and verdict blob; a divergence is caught; corrupt files fall back', async () => {
    const c = await ceremony();
    for (const ws of ['ws-a', 'ws-b', 'ws-c']) {
      await c.g(['checkout', '-q', 'main']);
      await authorWorkstream(c, ws, { branch: `b-${ws}`, n: 2, publish: true });
    }
    const repo = await openRepo({ cwd: c.work, env: { ...process.env, ...IDENTITY, GIT_CONFIG_GLOBAL: join(c.root, 'gitconfig') }, now: () => new Date(), info: () => {} });
    const store = new MirrorStore(repo, readPolicyFile(repo));
    const chain = await store.chain({ sync: false });
    expect(chain.entries).to.have.length(3);
    const mem = memoryView(chain);
    const idx = await store.view({ sync: false });
    expect(existsSync(join(repo.stateDir, 'claims.idx')), 'lookup files written').to.equal(true);
    // the lookup-file view parses an entry's record when asked: equal entries, never the same object
    expect(idx.entry(1)).to.deep.equal(mem.entry(1));
    expect(idx.entry(1) === mem.entry(1)).to.equal(false);

    // every commit in the repository (claimed or not), and ids it never saw
    const all = (await c.g(['rev-list', '--all'])).split('\n').filter(Boolean);
    const listed = chain.entries.flatMap((e) => e.predicate.range.commits);
    expect(listed.every((x) => all.includes(x)), 'every listed commit is in the repository').to.equal(true);
    const commits = [...new Set([...all, ...listed]), 'f'.repeat(c.genesis.length), '0'.repeat(c.genesis.length), c.genesis.slice(0, 12)];
    const seqs = [-1, 0, ...Array.from({ length: chain.lastSeq + 3 }, (_, i) => i + 1), 99];
    const verdicts = Object.keys(chain.verdicts);
    expect(verdicts.length).to.be.at.least(3);
    expect(viewDifferences(idx, mem, { commits, seqs })).to.deep.equal([]);
    expect(viewDifferences(idx, mem, { commits: [], seqs: [], verdicts })).to.deep.equal([]);
    // not "equal because both empty": the claims are the entries', the unclaimed commits unknown to both
    expect(listed.map((x) => idx.firstClaim(x))).to.deep.equal(chain.entries.flatMap((e) => e.predicate.range.commits.map(() => e.seq)));
    expect(all.filter((x) => !listed.includes(x)).map((x) => idx.firstClaim(x))).to.satisfy((a: unknown[]) => a.length > 0 && a.every((s) => s === undefined));

    // the comparison would fail if they diverged: files under the same key and head, written from a chain
    // where entry 2 lists nothing, answer differently for entry 2 and each of its commits
    rewriteIndex(repo.stateDir, (st) => {
      st.entries[1]!.predicate.range.commits = [];
    });
    const diverged = await new MirrorStore(repo, readPolicyFile(repo)).view({ sync: false });
    const diffs = viewDifferences(diverged, mem, { commits, seqs });
    expect(diffs.filter((d) => d.question === 'firstClaim').map((d) => d.key)).to.have.members([...chain.entries[1]!.predicate.range.commits]);
    expect(diffs.filter((d) => d.question !== 'firstClaim').map((d) => [d.question, d.key])).to.deep.equal([['entry', '2']]);

    // a truncated claims file is not trusted: the next command verifies the chain again
    writeFileSync(join(repo.stateDir, 'claims.idx'), 'garbage');
    const again = await new MirrorStore(repo, readPolicyFile(repo)).view({ sync: false });
    expect(viewDifferences(again, mem, { commits, seqs })).to.deep.equal([]);
  });
});
