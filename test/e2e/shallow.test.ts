// Shallow clones (issue 9): `actions/checkout` clones with depth 1 by default, and a replay over a
// truncated history must never pass. Real `git clone --depth N file://...` of a canonical repository
// whose history holds an uncovered commit below the clone's depth.
import { expect } from 'chai';
import { join } from 'node:path';
import { authorWorkstream, ceremony, parseJson, show, useTempDirs, type Ceremony } from '../helpers/gitrepo.js';

describe('e2e: shallow clones never pass on truncated history', function () {
  this.timeout(240000);
  useTempDirs();
  let c: Ceremony;
  let sneak: string;
  let tip: string;

  before(async () => {
    c = await ceremony();
    // an uncovered commit lands on main around the hook, then 55 covered commits bury it
    sneak = await c.commit('sneak.txt', 'not reviewed\n', 'sneak an unreviewed change in');
    const p = await c.gr(['push', '-q', '--no-verify', 'origin', 'main']);
    expect(p.code, show(p)).to.equal(0);
    await authorWorkstream(c, 'ws-deep', { n: 55, publish: true });
    const q = await c.gr(['push', '-q', 'origin', 'HEAD:main']);
    expect(q.code, show(q)).to.equal(0);
    tip = await c.rev('HEAD');
  });

  async function shallowClone(depth: number, name: string): Promise<string> {
    const dir = join(c.root, name);
    await c.git.ok(c.root, ['clone', '-q', '--depth', String(depth), '--no-local', `file://${c.canon}`, dir]);
    expect(await c.git.ok(dir, ['rev-parse', '--is-shallow-repository'])).to.equal('true');
    return dir;
  }

  /** A full clone's verdict: the reference every shallow run must reproduce. */
  async function expectFullVerdict(dir: string): Promise<void> {
    const r = await c.csae(['verify', '--ref', 'origin/main', '--json'], { cwd: dir });
    expect(r.code, show(r)).to.equal(1);
    const j = parseJson(r);
    expect(j.refs[0].uncovered.map((d: any) => d.commit)).to.deep.equal([sneak]);
    expect(j.refs[0].uncovered[0].code).to.equal('uncovered');
    expect(j.refs[0].commits).to.equal(58); // sneak + intent + 55 work + attestation (the genesis is the cutover)
  }

  it('a full clone rejects the history (the reference verdict)', async () => {
    const dir = join(c.root, 'full');
    await c.git.ok(c.root, ['clone', '-q', `file://${c.canon}`, dir]);
    await expectFullVerdict(dir);
  });

  it('depth 1: verify deepens from origin and rejects the uncovered commit (no "0 commits covered" pass)', async () => {
    const dir = await shallowClone(1, 'depth1');
    await expectFullVerdict(dir);
    expect(await c.git.ok(dir, ['rev-parse', '--is-shallow-repository'])).to.equal('false');
    expect(await c.git.ok(dir, ['rev-parse', 'origin/main'])).to.equal(tip);
  });

  it('depth 50: verify deepens and gives the right diagnosis (the uncovered commit, not a failing entry)', async () => {
    const dir = await shallowClone(50, 'depth50');
    await expectFullVerdict(dir);
  });

  it('depth 1 with --no-deepen: exit 3, code shallow-history, naming fetch-depth: 0', async () => {
    const dir = await shallowClone(1, 'nodeepen');
    const r = await c.csae(['verify', '--ref', 'origin/main', '--no-deepen', '--json'], { cwd: dir });
    expect(r.code, show(r)).to.equal(3);
    const j = parseJson(r);
    expect(j.ok).to.equal(false);
    expect(j.error.code).to.equal('shallow-history');
    expect(j.error.next).to.contain('fetch-depth: 0');
    expect(await c.git.ok(dir, ['rev-parse', '--is-shallow-repository'])).to.equal('true');
  });

  it('depth 50 with the remote gone: exit 3 naming the fix, never a pass', async () => {
    const dir = await shallowClone(50, 'noremote');
    await c.git.ok(dir, ['remote', 'set-url', 'origin', join(c.root, 'nowhere.git')]);
    for (const args of [['verify', '--ref', 'origin/main'], ['verify', '--range', 'origin/main~10..origin/main'], ['audit', 'gaps', '--ref', 'origin/main']]) {
      const r = await c.csae(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}: ${show(r)}`).to.equal(3);
      expect(r.stderr).to.contain('fetch-depth: 0');
    }
  });

  it('pre-push from a depth-1 clone: a push on top of the fetched tip needs no deepening; an uncovered one is still rejected', async () => {
    const dir = await shallowClone(1, 'pusher');
    const r0 = await c.csae(['hooks', 'install'], { cwd: dir });
    expect(r0.code, show(r0)).to.equal(0);
    await c.git.commitFile(dir, 'later.txt', 'later\n', 'unreviewed follow-up');
    const p = await c.git.run(dir, ['push', 'origin', 'HEAD:main']);
    expect(p.code, show(p)).to.not.equal(0);
    expect(p.stderr).to.not.contain('shallow');
    expect(p.stderr).to.contain('unreviewed follow-up'.slice(0, 10));
    expect(await c.git.ok(dir, ['rev-parse', '--is-shallow-repository'])).to.equal('true');
  });

  it('pre-receive in a shallow server repository: nowhere to deepen from, so the update is refused with exit 3', async () => {
    const server = join(c.root, 'server.git');
    await c.git.ok(c.root, ['clone', '-q', '--bare', '--depth', '1', `file://${c.canon}`, server]);
    const zero = '0'.repeat(tip.length);
    const r = await c.csae(['hook', 'pre-receive'], { cwd: server, input: `${zero} ${tip} refs/heads/main\n` });
    expect(r.code, show(r)).to.equal(3);
    expect(r.stderr).to.contain('fetch-depth: 0');
  });

  it('pre-push of a new protected branch from a depth-1 clone: the cutover walk reaches the cut, the hook deepens from the remote and judges the push', async () => {
    const d = await ceremony({ protect: ['refs/heads/main', 'refs/heads/release/*'] });
    const hidden = await d.commit('hidden.txt', 'not reviewed\n', 'an unreviewed commit far below');
    expect((await d.gr(['push', '-q', '--no-verify', 'origin', 'main'])).code).to.equal(0);
    for (let i = 0; i < 3; i++) await d.commit(`pad${i}.txt`, `${i}\n`, `padding ${i}`);
    expect((await d.gr(['push', '-q', '--no-verify', 'origin', 'main'])).code).to.equal(0);
    const dir = join(d.root, 'releaser');
    await d.git.ok(d.root, ['clone', '-q', '--depth', '1', `file://${d.canon}`, dir]);
    expect((await d.csae(['hooks', 'install'], { cwd: dir })).code).to.equal(0);
    const fresh = await d.git.commitFile(dir, 'rel.txt', 'release only\n', 'release-only change');
    const p = await d.git.run(dir, ['push', 'origin', 'HEAD:refs/heads/release/1']);
    expect(p.code, show(p)).to.not.equal(0);
    expect(p.stderr).to.contain('fetching the history below');
    // the new branch's own commit is judged; what is already on main (the hidden commit) is main's replay's
    expect(p.stderr).to.contain(fresh.slice(0, 12));
    expect(p.stderr).to.not.contain(hidden.slice(0, 12));
    expect(await d.git.ok(dir, ['rev-parse', '--is-shallow-repository'])).to.equal('false');
    expect((await d.git.run(d.canon, ['rev-parse', '--verify', '--quiet', 'refs/heads/release/1'])).code).to.not.equal(0);
  });
});
