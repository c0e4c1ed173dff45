// Witnessed checkpoints and SECURITY errors (issue 8): a witness cosigns the mirror's checkpoint after a
// consistency check; a fresh clone verifies the mirror against the newest witnessed checkpoint and
// catches a forked mirror; the clone that held a checkpoint catches truncation and rewrites.
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorWorkstream, ceremony, must, parseJson, show, useTempDirs, writeKeyPair, type Ceremony } from '../helpers/gitrepo.js';

describe('e2e: witness cosignatures and SECURITY errors', function () {
  this.timeout(240_000);
  useTempDirs();
  let c: Ceremony;
  let witnessKey: string;
  let witnessed: string;
  let entry1Commit: string;

  before(async () => {
    c = await ceremony({ push: false });
    witnessKey = writeKeyPair(join(c.root, 'witness.key')).key;
    await must(c.w(['policy', 'trust', '--checkpoints', '--name', 'olive', '--key', c.operatorPub]), 'trust checkpoints');
    await must(c.w(['policy', 'trust', '--witnesses', '--name', 'wit-a', '--key', witnessKey + '.pub']), 'trust witness');
    await must(c.w(['policy', 'set', 'witnesses.required', '1']), 'witnesses.required');
    await c.g(['add', '.csae']);
    await c.g(['commit', '-q', '--no-verify', '--amend', '--no-edit']);
    c.genesis = await c.rev('HEAD');
    await must(c.gr(['push', '-q', 'origin', 'main']), 'genesis push');
    await authorWorkstream(c, 'ws-1', { branch: 'f1', n: 1, publish: true });
    entry1Commit = await c.git.ok(c.mirror, ['rev-parse', 'main']);
    await authorWorkstream(c, 'ws-2', { n: 1, publish: true });
    await c.g(['checkout', '-q', 'main']);
    await c.g(['merge', '-q', '--ff-only', 'f1']);
    await must(c.gr(['push', '-q', 'origin', 'main']), 'push');
  });

  it('a checkpoint counts once a trusted witness cosigns it (witnesses.required: 1)', async () => {
    await must(c.w(['mirror', 'checkpoint', '--key', c.operatorKey]), 'checkpoint');
    const before = await c.w(['mirror', 'verify', '--json']);
    expect(before.code, show(before)).to.equal(1);
    expect(parseJson(before).checkpoints.find((f: any) => f.path === 'witnesses').ok).to.equal(false);
    const r = await c.w(['mirror', 'cosign', '--key', witnessKey, '--json']);
    expect(r.code, show(r)).to.equal(0);
    const j = parseJson(r);
    expect(j).to.include({ witness: 'wit-a', size: 2, previous: null });
    witnessed = j.note;
    const after = await c.w(['mirror', 'verify', '--json']);
    expect(after.code, show(after)).to.equal(0);
    expect(parseJson(after).checkpoints.some((f: any) => f.ok && f.witnesses.includes('wit-a'))).to.equal(true);
  });

  it('the witness refuses a key it does not trust, and cosigns a grown mirror consistent with what it cosigned', async () => {
    const bad = await c.w(['mirror', 'cosign', '--key', c.reviewerKey, '--json']);
    expect(bad.code, show(bad)).to.equal(2);
    await c.g(['checkout', '-q', 'f1']);
    await authorWorkstream(c, 'ws-3', { n: 1, publish: true });
    await must(c.w(['mirror', 'checkpoint', '--key', c.operatorKey]), 'checkpoint 3');
    const r = await c.w(['mirror', 'cosign', '--key', witnessKey, '--json']);
    expect(r.code, show(r)).to.equal(0);
    expect(parseJson(r)).to.deep.include({ size: 3, previous: { size: 2, root: parseJson(r).previous.root } });
    // this clone verifies, and from now on holds the checkpoint at size 3
    const v = await c.w(['mirror', 'verify', '--json']);
    expect(v.code, show(v)).to.equal(0);
  });

  it('SECURITY ERROR: the clone that held a checkpoint sees the mirror truncated', async () => {
    const tip = await c.git.ok(c.mirror, ['rev-parse', 'main']);
    await c.git.ok(c.mirror, ['update-ref', 'refs/heads/main', entry1Commit]);
    const r = await c.w(['mirror', 'verify', '--json']);
    expect(r.code, show(r)).to.equal(1);
    expect(r.stderr.startsWith('SECURITY ERROR'), r.stderr).to.equal(true);
    const e = parseJson(r).error;
    expect(e.code).to.equal('mirror-inconsistent');
    expect(e.data).to.deep.include({ what: 'truncated' });
    expect(e.data.held.size).to.equal(3);
    expect(e.data.mirror.size).to.equal(1);
    expect(e.message).to.contain('size 3, root ').and.contain('size 1, root ').and.contain('consistency proof');
    await c.git.ok(c.mirror, ['update-ref', 'refs/heads/main', tip]);
  });

  it('SECURITY ERROR: a forked mirror is caught by a fresh clone through the witnessed checkpoint, by the auditor holding it, and by the witness', async () => {
    const kept = join(c.root, 'kept-checkpoint');
    writeFileSync(kept, witnessed);
    // the fork: someone holding the bundle key rewrites the mirror after entry 1 with other history,
    // and keeps the (public) witnessed checkpoint at size 2 in it
    await c.git.ok(c.mirror, ['update-ref', 'refs/heads/main', entry1Commit]);
    const atk = join(c.root, 'atk');
    await c.git.ok(c.root, ['clone', '-q', c.canon, atk]);
    const a = (args: string[]) => c.csae(args, { cwd: atk });
    const base = await c.git.ok(atk, ['rev-parse', 'HEAD']);
    await must(a(['-q', 'intent', 'register', '--workstream', 'ws-evil', '--intent', 'other history']), 'intent');
    await c.git.commitFile(atk, 'evil.txt', 'x\n', 'evil');
    const v = parseJson(await must(a(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', '9', '--floor', '7', '--key', c.reviewerKey, '--json']), 'verdict'));
    await must(a(['-q', 'bundle', 'author', '--workstream', 'ws-evil', '--verdict', v.path]), 'author');
    await must(a(['-q', 'bundle', 'publish', '--key', c.operatorKey]), 'publish the fork');
    const edit = join(c.root, 'mirror-fork');
    await c.git.ok(c.root, ['clone', '-q', c.mirror, edit]);
    mkdirSync(join(edit, 'checkpoints'), { recursive: true });
    writeFileSync(join(edit, 'checkpoints', 'latest'), witnessed);
    await c.git.ok(edit, ['add', '-A']);
    await c.git.ok(edit, ['commit', '-q', '-m', 'keep the witnessed checkpoint']);
    await c.git.ok(edit, ['push', '-q', 'origin', 'HEAD:main']);

    const fresh = join(c.root, 'fresh');
    await c.git.ok(c.root, ['clone', '-q', c.canon, fresh]);
    const r = await c.csae(['mirror', 'verify', '--json'], { cwd: fresh });
    expect(r.code, show(r)).to.equal(1);
    expect(r.stderr.startsWith('SECURITY ERROR'), r.stderr).to.equal(true);
    const e = parseJson(r).error;
    expect(e.code).to.equal('mirror-inconsistent');
    expect(e.message).to.contain('witnessed checkpoint').and.contain('wit-a');
    expect(e.data.held.size).to.equal(2);
    expect(e.data.mirror.size).to.equal(2);
    expect(e.data.held.root).to.not.equal(e.data.mirror.root);
    // an auditor holding the checkpoint, in a fresh clone
    const aud = await c.csae(['mirror', 'verify', '--since', kept, '--json'], { cwd: fresh });
    expect(aud.code, show(aud)).to.equal(1);
    expect(parseJson(aud).error.message).to.match(/^SECURITY ERROR: .*the checkpoint you hold/);
    // the witness will not cosign the forked log
    const w = await c.w(['mirror', 'cosign', '--key', witnessKey, '--json']);
    expect(w.code, show(w)).to.equal(1);
    expect(parseJson(w).error.code).to.equal('mirror-inconsistent');
  });
});
