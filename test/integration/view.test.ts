// The verified index's lookup files answer exactly what the in-memory chain answers: first claimant of
// every commit, every entry, every verdict blob — and unknown commits are unknown to both.
import { expect } from 'chai';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorWorkstream, ceremony, IDENTITY } from '../helpers/gitrepo.js';
import { openRepo } from '../../src/git/repo.js';
import { MirrorStore } from '../../src/mirror/store.js';
import { memoryView } from '../../src/mirror/view.js';
import { readPolicyFile } from '../../src/policy/edit.js';

describe('mirror view: index lookup files vs the in-memory chain', function () {
  this.timeout(120000);

  it('agree on claims, entries and verdict blobs, and corrupt files fall back to the full index', async () => {
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
    // the lookup-file view reads an entry's record only when asked, so before entry(seq) it knows none of
    // that entry's verdict blobs, where the in-memory chain knows them all: idx really is the file view
    const firstVerdict = chain.entries[0]!.predicate.verdicts[0]!.digest;
    expect(mem.verdictBlob(firstVerdict)).to.be.a('string');
    expect(idx.verdictBlob(firstVerdict), 'answered from the lookup files, lazily').to.equal(undefined);
    for (const e of chain.entries) {
      for (const x of e.predicate.range.commits) expect(idx.firstClaim(x), x).to.equal(mem.firstClaim(x));
      expect(idx.entry(e.seq)).to.deep.equal(mem.entry(e.seq));
      for (const v of e.predicate.verdicts) expect(idx.verdictBlob(v.digest)).to.equal(mem.verdictBlob(v.digest)).and.be.a('string');
    }
    for (const unknown of [c.genesis, 'f'.repeat(c.genesis.length), '0'.repeat(c.genesis.length)]) expect(idx.firstClaim(unknown)).to.equal(undefined);
    expect(idx.entry(99)).to.equal(undefined);
    // a truncated claims file is not trusted: the view falls back to the verified index
    writeFileSync(join(repo.stateDir, 'claims.idx'), 'garbage');
    const again = await store.view({ sync: false });
    const some = chain.entries[1]!.predicate.range.commits[0]!;
    expect(again.firstClaim(some)).to.equal(2);
  });
});
