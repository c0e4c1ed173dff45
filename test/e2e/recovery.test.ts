// Recovery after real slips (issue 8): each slip is created on real repositories, diagnosed, recovered
// with the command the runbook (docs/RECOVERY.md) names, and the record checked in `audit walk`.
import { expect } from 'chai';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CSAE_BIN, authorWorkstream, ceremony, must, parseJson, show, useTempDirs, type Ceremony } from '../helpers/gitrepo.js';
import { entryPath, renderingPath } from '../../src/mirror/layout.js';
import { sha256Hex } from '../../src/core/digest.js';
import { canonicalize } from '../../src/core/jcs.js';

/** Append an entry to the mirror behind csae's back: a copy of the last one with a new seq (its signature no longer verifies). */
export async function injectForgedEntry(c: Ceremony): Promise<number> {
  const clone = join(c.root, `mirror-edit-${Date.now()}`);
  await c.git.ok(c.root, ['clone', '-q', c.mirror, clone]);
  const files = (await c.git.ok(clone, ['ls-files', 'entries'])).split('\n').filter((f) => f.endsWith('.dsse.json')).sort();
  const last = files[files.length - 1]!;
  const seq = Number(/(\d{12})\.dsse\.json$/.exec(last)![1]) + 1;
  const bytes = readFileSync(join(clone, last));
  const env = JSON.parse(bytes.toString('utf8'));
  const stmt = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8'));
  stmt.predicate.seq = seq;
  stmt.predicate.predecessor = { seq: seq - 1, digest: 'sha256:' + sha256Hex(bytes) };
  env.payload = Buffer.from(JSON.stringify(stmt)).toString('base64');
  const p = join(clone, entryPath(seq));
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, canonicalize(env) + '\n');
  await c.git.ok(clone, ['add', '-A']);
  await c.git.ok(clone, ['commit', '-q', '-m', `forged entry ${seq}`]);
  await c.git.ok(clone, ['push', '-q', 'origin', 'HEAD']);
  return seq;
}

describe('e2e: recovery after real slips', function () {
  this.timeout(180_000);
  useTempDirs();

  it('coverage continues after a repaired break (chain repair, then publish and push)', async () => {
    const c = await ceremony();
    await authorWorkstream(c, 'ws-one', { branch: 'f1', publish: true });
    await c.g(['checkout', '-q', 'main']);
    await c.g(['merge', '-q', '--ff-only', 'f1']);
    expect((await c.gr(['push', '-q', 'origin', 'main'])).code).to.equal(0);
    const bad = await injectForgedEntry(c);
    const v = await c.w(['mirror', 'verify', '--json']);
    expect(v.code, show(v)).to.equal(1);
    await must(c.w(['chain', 'repair', '--break', String(bad), '--reason', 'forged entry pushed around the guard', '--key', c.operatorKey]), 'chain repair');
    const v2 = await c.w(['mirror', 'verify', '--json']);
    expect(v2.code, show(v2)).to.equal(0);
    await authorWorkstream(c, 'ws-two', { branch: 'f2', publish: true });
    await c.g(['checkout', '-q', 'main']);
    await c.g(['merge', '-q', '--ff-only', 'f2']);
    const push = await c.gr(['push', 'origin', 'main']);
    expect(push.code, show(push)).to.equal(0);
    const ver = await c.w(['verify', '--ref', 'main', '--json']);
    expect(ver.code, show(ver)).to.equal(0);
    const walk = parseJson(await c.w(['audit', 'walk', '--json']));
    expect(walk.voided.map((x: any) => x.seq)).to.deep.equal([bad]);
    expect(walk.entries.map((x: any) => x.kind)).to.include('repair');
  });

  describe('intentGuard: block', () => {
    let c: Ceremony;
    before(async () => {
      c = await ceremony({ push: false });
      await c.git.ok(c.work, ['config', 'user.name', 'Olive Operator']);
      await c.git.ok(c.work, ['config', 'user.email', 'olive@example.com']);
      // the genesis commit itself is not guarded: the policy is staged, not yet in HEAD
      await c.g(['reset', '-q', '--soft', 'HEAD~1']);
      await must(c.w(['policy', 'set', 'intentGuard', 'block']), 'policy set');
      await c.g(['add', '.csae']);
      const g0 = await c.w(['hook', 'pre-commit', '--json']);
      expect(g0.code, show(g0)).to.equal(0);
      expect(parseJson(g0).level).to.equal('off');
      const genesis = await c.gr(['commit', '-q', '-m', 'adopt csae policy']);
      expect(genesis.code, show(genesis)).to.equal(0);
      expect(genesis.stderr).to.not.match(/warning|refused/);
      c.genesis = await c.rev('HEAD');
      await must(c.gr(['push', '-q', 'origin', 'main']), 'genesis push');
    });

    it('refuses a work commit on a fresh branch with no open intent, then accepts it under an intent', async () => {
      await c.g(['checkout', '-q', '-b', 'fresh']);
      const g = await c.w(['hook', 'pre-commit', '--json']);
      expect(g.code, show(g)).to.equal(1);
      expect(parseJson(g)).to.include({ level: 'block', open: false });
      writeFileSync(join(c.work, 'x.txt'), 'x\n');
      await c.g(['add', 'x.txt']);
      const refused = await c.gr(['commit', '-q', '-m', 'work without intent']);
      expect(refused.code, show(refused)).to.not.equal(0);
      expect(refused.stderr).to.match(/commit refused/);
      await must(c.w(['-q', 'intent', 'register', '--workstream', 'ws-guard', '--intent', 'guarded work']), 'intent register');
      const ok = await c.gr(['commit', '-q', '-m', 'work under intent']);
      expect(ok.code, show(ok)).to.equal(0);
      expect(parseJson(await c.w(['hook', 'pre-commit', '--json']))).to.include({ open: true, workstream: 'ws-guard' });
    });

    it('closes the workstream at its attestation commit: later work needs a new intent', async () => {
      const base = await c.rev('main');
      const v = parseJson(await must(c.w(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', '8', '--floor', '7', '--key', c.reviewerKey, '--json']), 'verdict'));
      await must(c.w(['-q', 'bundle', 'author', '--workstream', 'ws-guard', '--verdict', v.path]), 'author');
      const g = await c.w(['hook', 'pre-commit', '--json']);
      expect(g.code, show(g)).to.equal(1);
      expect(parseJson(g).reason).to.match(/ws-guard was attested/);
    });
  });

  describe('bundle publish: idempotent, per branch, one failure never stops the others', () => {
    let c: Ceremony;
    const drafts = (): string => join(c.work, '.git', 'csae', 'drafts');
    before(async () => {
      c = await ceremony();
    });

    it('recognises a draft whose entry is already in the mirror (publish killed after its push), reports it and retires it', async () => {
      await authorWorkstream(c, 'ws-stale', { branch: 'b-stale', publish: true });
      // the state a SIGKILL between the mirror push and the draft's retirement leaves behind
      const done = join(c.work, '.git', 'csae', 'published');
      const kept = readdirSync(done).find((n) => n.endsWith('-ws-stale.json'))!;
      copyFileSync(join(done, kept), join(drafts(), 'ws-stale.json'));
      await authorWorkstream(c, 'ws-after', { n: 1 });
      const r = await c.w(['bundle', 'publish', '--key', c.operatorKey, '--json']);
      expect(r.code, show(r)).to.equal(0);
      const j = parseJson(r);
      const by = Object.fromEntries(j.results.map((x: any) => [x.workstream, x]));
      expect(by['ws-stale']).to.include({ status: 'already-published', seq: 1 });
      expect(by['ws-after']).to.include({ status: 'published', seq: 2 });
      expect(existsSync(join(drafts(), 'ws-stale.json'))).to.equal(false);
      const walk = parseJson(await c.w(['audit', 'walk', '--json']));
      expect(walk.entries.map((e: any) => e.workstream)).to.deep.equal(['ws-stale', 'ws-after']);
    });

    it("publishes only the current branch's drafts by default; --workstream and --all reach the others", async () => {
      await c.g(['checkout', '-q', 'main']);
      await authorWorkstream(c, 'ws-other', { branch: 'b-other', n: 1 });
      await c.g(['checkout', '-q', 'main']);
      await authorWorkstream(c, 'ws-mine', { branch: 'b-mine', n: 1 });
      const r = await c.w(['bundle', 'publish', '--key', c.operatorKey, '--json']);
      expect(r.code, show(r)).to.equal(0);
      const j = parseJson(r);
      expect(j.results.map((x: any) => x.workstream)).to.deep.equal(['ws-mine']);
      expect(j.skipped).to.deep.equal(['ws-other']);
      const again = await c.w(['bundle', 'publish', '--key', c.operatorKey, '--json']);
      expect(again.code, show(again)).to.equal(2);
      expect(parseJson(again).error.code).to.equal('nothing-to-publish');
      expect(parseJson(again).error.next).to.contain('--workstream ws-other');
      const other = await c.w(['bundle', 'publish', '--key', c.operatorKey, '--workstream', 'ws-other', '--json']);
      expect(other.code, show(other)).to.equal(0);
      expect(parseJson(other).results[0]).to.include({ workstream: 'ws-other', status: 'published' });
    });

    it('a corrupt draft and a draft that fails its checks are each reported; the others publish; the exit code is the worst', async () => {
      await c.g(['checkout', '-q', 'main']);
      await authorWorkstream(c, 'ws-bad', { branch: 'b-many', n: 1 });
      // tamper with the claim: check 7 (the attestation's claim digest) fails at publish
      const badPath = join(drafts(), 'ws-bad.json');
      const bad = JSON.parse(readFileSync(badPath, 'utf8'));
      bad.claim.scope.intent = 'something else entirely';
      writeFileSync(badPath, JSON.stringify(bad));
      await c.g(['checkout', '-q', 'main']);
      await c.g(['checkout', '-q', '-b', 'b-many2', 'b-many']);
      await authorWorkstream(c, 'ws-good', { n: 1 });
      writeFileSync(join(drafts(), 'ws-junk.json'), '{"version": 1, "kind": ');
      const r = await c.w(['bundle', 'publish', '--key', c.operatorKey, '--json']);
      const j = parseJson(r);
      const by = Object.fromEntries(j.results.map((x: any) => [x.workstream, x]));
      expect(by['ws-good'].status, show(r)).to.equal('published');
      expect(by['ws-bad']).to.include({ status: 'failed' });
      expect(by['ws-bad'].error.code).to.equal('verification-failed');
      expect(by['ws-bad'].error.next).to.contain('csae bundle author --workstream ws-bad').and.not.contain('reset');
      expect(by['ws-junk'].error.code).to.equal('config');
      expect(by['ws-junk'].error.message).to.contain(join(drafts(), 'ws-junk.json'));
      expect(by['ws-junk'].error.next).to.contain('csae bundle author --workstream ws-junk');
      expect(r.code, show(r)).to.equal(2);
      // without the corrupt one, the worst is the failed verification: exit 1
      rmSync(join(drafts(), 'ws-junk.json'));
      const r2 = await c.w(['bundle', 'publish', '--key', c.operatorKey]);
      expect(r2.code, show(r2)).to.equal(1);
      expect(r2.stderr + r2.stdout).to.not.match(/unexpected failure|\n\s+at /);
      // the advice works: move the draft aside and author again on top
      renameSync(badPath, badPath + '.bad');
      const base = await c.rev('main');
      const v = parseJson(await must(c.w(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', '8', '--floor', '7', '--key', c.reviewerKey, '--json']), 'verdict'));
      await must(c.w(['bundle', 'author', '--workstream', 'ws-bad', '--verdict', v.path]), 'author again');
      await must(c.w(['bundle', 'publish', '--key', c.operatorKey]), 'publish again');
      await c.g(['checkout', '-q', 'main']);
      await c.g(['merge', '-q', '--ff-only', 'b-many2']);
      const push = await c.gr(['push', 'origin', 'main']);
      expect(push.code, show(push)).to.equal(0);
    });
  });

  describe('mirror and coverage edges', () => {
    let c: Ceremony;
    before(async () => {
      c = await ceremony();
      await authorWorkstream(c, 'ws-edge', { branch: 'f-edge', publish: true });
      await c.g(['checkout', '-q', 'main']);
      await c.g(['merge', '-q', '--ff-only', 'f-edge']);
      await must(c.gr(['push', '-q', 'origin', 'main']), 'push');
    });

    it('a mirror commit adding only a rendering (.md) is refused by the mirror guard and by mirror verify', async () => {
      const clone = join(c.root, 'mirror-md');
      await c.git.ok(c.root, ['clone', '-q', c.mirror, clone]);
      const md = join(clone, renderingPath(2));
      mkdirSync(dirname(md), { recursive: true });
      writeFileSync(md, '# entry 2\n\nApproved by everyone.\n');
      await c.git.ok(clone, ['add', '-A']);
      await c.git.ok(clone, ['commit', '-q', '-m', 'a rendering alone']);
      // the guard, as the mirror's pre-receive hook
      const hook = join(c.mirror, 'hooks', 'pre-receive');
      writeFileSync(hook, `#!/bin/sh\nexec '${process.execPath}' '${CSAE_BIN}' hook mirror-pre-receive\n`);
      chmodSync(hook, 0o755);
      const refused = await c.git.run(clone, ['push', 'origin', 'HEAD:main']);
      expect(refused.code, show(refused)).to.not.equal(0);
      expect(refused.stderr).to.match(/rendering .* without its entry/);
      rmSync(hook);
      await c.git.ok(clone, ['push', '-q', 'origin', 'HEAD:main']);
      const v = await c.w(['mirror', 'verify', '--json']);
      expect(v.code, show(v)).to.equal(1);
      expect(v.stdout).to.match(/without its entry/);
      // restore the mirror for the tests below (a test fixture, not a recovery)
      await c.git.ok(c.mirror, ['update-ref', 'refs/heads/main', 'refs/heads/main~1']);
      rmSync(join(c.work, '.git', 'csae', 'index-head.json'), { force: true });
    });

    it('the root commit of a repository can be covered: audit who suggests ROOT~1..ROOT and bundle retroactive takes it', async () => {
      // a second root: history imported from elsewhere, after the cutover
      await c.g(['checkout', '-q', '--orphan', 'imported']);
      await c.g(['rm', '-rqf', '.']);
      const root = await c.commit('vendor/lib.txt', 'vendored\n', 'import vendored lib');
      await c.g(['checkout', '-q', 'main']);
      await c.g(['merge', '-q', '--no-verify', '--allow-unrelated-histories', '-m', 'merge the vendored history', 'imported']);
      const who = await c.w(['audit', 'who', root]);
      expect(who.stdout + who.stderr).to.contain(`${root.slice(0, 12)}~1..${root.slice(0, 12)}`);
      const r = await c.w(['bundle', 'retroactive', '--range', `${root.slice(0, 12)}~1..${root.slice(0, 12)}`, '--reason', 'vendored history imported', '--key', c.operatorKey, '--json']);
      expect(r.code, show(r)).to.equal(0);
      expect(parseJson(r).published[0]).to.include({ kind: 'retroactive', commits: 1 });
      const after = parseJson(await c.w(['audit', 'who', root, '--json']));
      expect(after.covered, JSON.stringify(after)).to.equal(true);
      // the record: a post-hoc retroactive entry headed by the root, with its reason
      const walk = parseJson(await c.w(['audit', 'walk', '--json']));
      const e = walk.entries.find((x: any) => x.head === root);
      expect(e, JSON.stringify(walk.entries)).to.include({ kind: 'retroactive', confidence: 'post-hoc', commits: 1 });
      expect(e.notes.reason).to.equal('vendored history imported');
      await c.g(['reset', '-q', '--hard', 'origin/main']);
    });

    it('audit gaps counts add up: attested + post hoc + bypassed + uncovered = commits after the cutover', async () => {
      await c.g(['checkout', '-q', 'main']);
      await c.commit('hotfix.txt', 'fix\n', 'hotfix during outage');
      await must(c.w(['bundle', 'retroactive', '--range', 'HEAD~1..HEAD', '--reason', 'outage', '--key', c.operatorKey]), 'retroactive');
      await c.commit('stray.txt', 'stray\n', 'stray commit');
      const g = await c.w(['audit', 'gaps', '--ref', 'main', '--json']);
      expect(g.code, show(g)).to.equal(1);
      const j = parseJson(g);
      expect(j.commits).to.equal(6);
      expect(j.postHoc.map((x: any) => x.commit)).to.deep.equal([await c.rev('HEAD~1')]);
      expect(j.gaps.map((x: any) => x.commit)).to.deep.equal([await c.rev('HEAD')]);
      expect(j.attested + j.postHoc.length + j.bypassed.length + j.gaps.length).to.equal(j.commits);
      expect(j.attested).to.equal(4);
      // the record: the hotfix's retroactive entry, post hoc, with its reason
      const walk = parseJson(await c.w(['audit', 'walk', '--json']));
      expect(walk.entries.find((x: any) => x.head === j.postHoc[0].commit), JSON.stringify(walk.entries)).to.deep.include({ kind: 'retroactive', confidence: 'post-hoc', notes: { reason: 'outage' } });
    });

    it('policy show names the cutover in effect', async () => {
      const r = await c.w(['policy', 'show', '--json']);
      expect(r.code, show(r)).to.equal(0);
      expect(parseJson(r).cutoverInEffect).to.include({ commit: c.genesis, source: 'derived' });
      const t = await c.w(['policy', 'show']);
      expect(t.stdout).to.contain(`cutover in effect: ${c.genesis}`);
    });
  });
});

