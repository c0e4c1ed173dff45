// End to end: bad input and hostile environments. Each failure must have the documented exit code
// (2 usage/configuration, 1 verification, 3 environment), a message that names the problem, and under
// --json exactly one JSON document on stdout: {ok:false, error:{code, message, ...}}.
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { authorWorkstream, ceremony, must, parseJson, prePushJson, sandbox, show, useTempDirs, writeKeyPair, type Ceremony, type RunResult } from '../helpers/gitrepo.js';
import { storedBytes } from '../../src/core/jcs.js';
import { sha256Hex } from '../../src/core/digest.js';
import { signStatement } from '../../src/sign/envelope.js';
import { KeySigner } from '../../src/sign/tiers/key.js';
import { loadPrivateKey } from '../../src/sign/key.js';
import { entryPath } from '../../src/mirror/layout.js';

const NO_STACK = '    at ';

/** Exit code, error code, message fragment; stdout is the single JSON error document. */
function expectError(r: RunResult, exit: number, code: string, fragment?: string | RegExp): any {
  expect(r.code, show(r)).to.equal(exit);
  const j = parseJson(r);
  expect(j.ok).to.equal(false);
  expect(j.error.code).to.be.a('string');
  expect(j.error.code, show(r)).to.equal(code);
  expect(j.error.message).to.be.a('string').and.not.equal('');
  if (typeof fragment === 'string') expect(j.error.message).to.contain(fragment);
  else if (fragment) expect(j.error.message).to.match(fragment);
  expect(r.stderr).to.not.contain(NO_STACK);
  return j;
}

describe('e2e: bad input on a ready clone', function () {
  this.timeout(180_000);
  useTempDirs();
  let c: Ceremony;
  before(async () => {
    c = await ceremony();
  });

  describe('workstream ids (exit 2, bad-id, no commit made)', () => {
    for (const id of ['ws/one', 'a..b', '../escape', 'has space', 'Upper-Case', 'x'.repeat(65), '.dot-first']) {
      it(JSON.stringify(id), async () => {
        const head = await c.rev('HEAD');
        const r = await c.w(['intent', 'register', '--workstream', id, '--intent', 'Valid intent', '--json']);
        const j = expectError(r, 2, 'bad-id', 'workstream id');
        expect(j.error.next).to.contain('csae intent register');
        expect(await c.rev('HEAD')).to.equal(head);
      });
    }
  });

  describe('intent text (exit 2, bad-intent, no commit made)', () => {
    const cases: Array<[string, string, string | RegExp]> = [
      ['a control character (BEL)', 'ring \u0007 the bell', 'U+0007'],
      ['a newline', 'two\nlines', 'U+000A'],
      ['U+202E right-to-left override', 'harmless \u202E txt.exe', 'U+202E'],
      ['U+2066 isolate', 'isolate \u2066 me', 'U+2066'],
      ['more than 500 characters', 'x'.repeat(501), /501 characters; the limit is 500/],
      ['only spaces', '   ', 'empty'],
    ];
    for (const [name, text, frag] of cases) {
      it(name, async () => {
        const head = await c.rev('HEAD');
        const r = await c.w(['intent', 'register', '--workstream', 'ws-text', '--intent', text, '--json']);
        expectError(r, 2, 'bad-intent', frag);
        expect(await c.rev('HEAD')).to.equal(head);
      });
    }
    it('exactly 500 characters is accepted (the limit is inclusive)', async () => {
      await c.g(['checkout', '-q', '-b', 'limit']);
      const r = await c.w(['intent', 'register', '--workstream', 'ws-limit', '--intent', 'y'.repeat(500), '--json']);
      expect(r.code, show(r)).to.equal(0);
      expect(await c.g(['log', '-1', '--format=%b'])).to.contain('y'.repeat(500));
      await c.g(['checkout', '-q', 'main']);
    });
  });

  it('bundle author for an unknown workstream: exit 2, unknown-workstream', async () => {
    const head = await c.rev('HEAD');
    const r = await c.w(['bundle', 'author', '--workstream', 'ws-never-registered', '--json']);
    const j = expectError(r, 2, 'unknown-workstream', 'ws-never-registered');
    expect(j.error.next).to.contain('csae intent');
    expect(await c.rev('HEAD')).to.equal(head);
  });

  it('bundle author with no workstream and none open: exit 2, unknown-workstream', async () => {
    const r = await c.w(['bundle', 'author', '--json']);
    expectError(r, 2, 'unknown-workstream');
  });

  it('bundle author on a dirty work tree: exit 2, dirty-worktree, no attestation commit', async () => {
    await c.g(['checkout', '-q', '-b', 'dirty', 'main']);
    await must(c.w(['-q', 'intent', 'register', '--workstream', 'ws-dirty', '--intent', 'Dirty tree test']), 'intent');
    const base = await c.rev('HEAD~1');
    await c.commit('d.txt', 'one\n', 'dirty step');
    const v = parseJson(await must(c.w(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', '8', '--floor', '7', '--key', c.reviewerKey, '--json']), 'verdict'));
    writeFileSync(join(c.work, 'd.txt'), 'changed but not committed\n');
    const head = await c.rev('HEAD');
    const r = await c.w(['bundle', 'author', '--workstream', 'ws-dirty', '--verdict', v.path, '--json']);
    const j = expectError(r, 2, 'dirty-worktree', 'uncommitted changes');
    expect(j.error.next).to.contain('commit or stash');
    expect(await c.rev('HEAD')).to.equal(head);
    await c.g(['checkout', '--', 'd.txt']);
  });

  it('bundle author with a verdict over a different range: exit 2, verdict-mismatch', async () => {
    await c.g(['checkout', '-q', '-b', 'mismatch', 'main']);
    const base = await c.rev('HEAD');
    await must(c.w(['-q', 'intent', 'register', '--workstream', 'ws-mismatch', '--intent', 'Mismatch test']), 'intent');
    await c.commit('m1.txt', '1\n', 'mismatch step 1');
    const v = parseJson(await must(c.w(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', '8', '--floor', '7', '--key', c.reviewerKey, '--json']), 'verdict'));
    const later = await c.commit('m2.txt', '2\n', 'mismatch step 2 (after the review)');
    const r = await c.w(['bundle', 'author', '--workstream', 'ws-mismatch', '--verdict', v.path, '--json']);
    expectError(r, 2, 'verdict-mismatch', later.slice(0, 12));
    expect(await c.rev('HEAD')).to.equal(later);
  });

  it('a failing verdict does not clear the floor: exit 2, verdict-mismatch', async () => {
    // on the mismatch branch: review the whole range now, but fail it
    const base = await c.rev('main');
    const v = parseJson(await must(c.w(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'fail', '--score', '3', '--floor', '7', '--key', c.reviewerKey, '--json']), 'verdict'));
    const r = await c.w(['bundle', 'author', '--workstream', 'ws-mismatch', '--verdict', v.path, '--json']);
    expectError(r, 2, 'verdict-mismatch', 'does not clear the floor');
  });

  it('a verdict signed by an untrusted reviewer: exit 1, signature-invalid', async () => {
    const base = await c.rev('main');
    const stranger = writeKeyPair(join(c.root, 'stranger.key'));
    const v = parseJson(await must(c.w(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', '9', '--floor', '7', '--key', stranger.key, '--json']), 'verdict'));
    const r = await c.w(['bundle', 'author', '--workstream', 'ws-mismatch', '--verdict', v.path, '--json']);
    expectError(r, 1, 'signature-invalid', 'no signature verifies under a trusted key');
  });

  it('a missing key file: exit 2, key-missing (verdict record, bundle publish, init)', async () => {
    const missing = join(c.root, 'no-such.key');
    const base = await c.rev('main');
    const r1 = await c.w(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', '8', '--floor', '7', '--key', missing, '--json']);
    const j1 = expectError(r1, 2, 'key-missing', missing);
    expect(j1.error.next).to.contain('csae keygen');
    const r2 = await c.w(['bundle', 'publish', '--key', missing, '--json']);
    expectError(r2, 2, 'key-missing', missing);
    const r3 = await c.w(['init', '--key', missing, '--json']);
    expectError(r3, 2, 'key-missing', missing);
  });

  it('a key file that is not a private key: exit 2, key-invalid', async () => {
    const base = await c.rev('main');
    const r = await c.w(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', '8', '--floor', '7', '--key', join(c.work, 'README.md'), '--json']);
    expectError(r, 2, 'key-invalid');
  });

  it('a malformed range: exit 2, bad-range', async () => {
    for (const range of ['main', 'main...HEAD', '--upload-pack=x..HEAD', 'nosuchbranch..HEAD']) {
      const r = await c.w(['verdict', 'record', `--range=${range}`, '--status', 'pass', '--score', '8', '--floor', '7', '--key', c.reviewerKey, '--json']);
      expectError(r, 2, 'bad-range');
    }
  });

  it('bundle publish with nothing authored: exit 2, nothing-to-publish', async () => {
    const r = await c.w(['bundle', 'publish', '--key', c.operatorKey, '--json']);
    expectError(r, 2, 'nothing-to-publish');
  });

  it('commands outside a git work tree: exit 2, not-initialised', async () => {
    const sb = sandbox();
    const r = await sb.csae(['intent', 'status', '--json']);
    expectError(r, 2, 'not-initialised', 'not inside a git work tree');
  });

  describe('--json puts exactly one JSON document on stdout', () => {
    // each command's exit code is known on this clone: ok documents exit 0, the uncovered range exits 1
    const cmds: Array<[string[], number]> = [
      [['intent', 'status'], 0],
      [['policy', 'show'], 0],
      [['mirror', 'verify'], 0],
      [['mirror', 'log'], 0],
      [['audit', 'walk'], 0],
      [['verify', '--ref', 'main'], 0],
      [['verify', '--range', 'main..dirty'], 1],
      [['keygen', '--out', 'k2.key', '-C', '..'], 0],
    ];
    for (const [args, exit] of cmds) {
      it(`csae ${args.join(' ')} --json`, async () => {
        const r = await c.w([...args, '--json']);
        expect(r.code, show(r)).to.equal(exit);
        const j = parseJson(r);
        expect(j).to.be.an('object');
        if ('ok' in j) expect(j.ok, show(r)).to.equal(exit === 0);
        expect(j).to.not.have.property('error');
        // one document: nothing after it
        expect(r.stdout.trim().endsWith('}')).to.equal(true);
      });
    }
    it('csae hook pre-commit --json prints its decision as one document', async () => {
      const r = await c.w(['hook', 'pre-commit', '--json']);
      expect(r.code, show(r)).to.equal(0);
      const j = parseJson(r);
      expect(j.ok).to.equal(true);
      expect(j.level).to.be.oneOf(['off', 'warn', 'block']);
      expect(j.open).to.be.a('boolean');
    });
    it('an uncovered range under --json reports ok:false and still only JSON', async () => {
      const r = await c.w(['verify', '--range', 'main..mismatch', '--json']);
      expect(r.code, show(r)).to.equal(1);
      const j = parseJson(r);
      expect(j.ok).to.equal(false);
      const listed = (await c.g(['rev-list', '--reverse', 'main..mismatch'])).split('\n');
      // NOTE: verify --range judges history (not a push), so registered-but-unauthored work is diagnosed
      // 'uncovered' (bypass or force-push), not 'no-bundle-authored' (src/validate/diagnose.ts: only a push
      // reads intent commits); for a CI check of an unlanded branch the push diagnosis would say more
      expect(j.refs[0].uncovered.map((d: { commit: string; code: string }) => [d.commit, d.code])).to.deep.equal(listed.map((id) => [id, 'uncovered']));
    });
  });

  describe('usage errors (exit 2)', () => {
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /Unknown argument|Unknown command|frobnicate/i],
      [['verify', '--frobnicate'], /Unknown argument/i],
      [['intent', 'register', '--workstream', 'ws-x'], /Missing required argument: intent/i],
      [['verdict', 'record', '--range', 'a..b', '--status', 'maybe', '--score', '1', '--floor', '1'], /Invalid values|maybe/i],
      [['verify', '--format', 'html'], /Invalid values|html/i],
      [['intent'], /say which: register or status/],
      [[], /say which command/],
    ];
    for (const [args, msg] of cases) {
      it(`csae ${args.join(' ') || '(no command)'}`, async () => {
        const r = await c.w(args);
        expect(r.code, show(r)).to.equal(2);
        expect(r.stdout).to.equal('');
        expect(r.stderr).to.match(msg);
        expect(r.stderr).to.contain('next:');
        expect(r.stderr).to.not.contain(NO_STACK);
        // under --json: the one error document, by code
        const j = expectError(await c.w([...args, '--json']), 2, 'usage', msg);
        expect(j.error.next).to.contain('--help');
      });
    }
  });

  describe('--help works for every command and subcommand csae --help lists', () => {
    /** "csae foo <x>  description" lines of a help text's Commands section. */
    const commandsOf = (help: string, prefix: string[]): string[][] => {
      const out: string[][] = [];
      const sect = help.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
      for (const line of sect.split('\n')) {
        const m = /^\s+csae ((?:[a-z][\w-]*\s?)+)/.exec(line);
        if (!m) continue;
        const words = m[1]!.trim().split(/\s+/);
        if (words.length > prefix.length && prefix.every((p, i) => words[i] === p)) out.push(words);
      }
      return out;
    };
    it('every listed command prints its help and exits 0', async function () {
      this.timeout(120_000);
      const top = await c.w(['--help']);
      expect(top.code, show(top)).to.equal(0);
      const cmds = commandsOf(top.stdout, []);
      expect(cmds.map((x) => x[0])).to.include.members(['init', 'keygen', 'policy', 'intent', 'verdict', 'bundle', 'verify', 'hook', 'mirror', 'audit', 'demo']);
      const seen: string[] = [];
      const check = async (words: string[]): Promise<string[][]> => {
        const r = await c.w([...words, '--help']);
        expect(r.code, `csae ${words.join(' ')} --help\n${show(r)}`).to.equal(0);
        expect(r.stdout, `csae ${words.join(' ')} --help`).to.contain(`csae ${words.join(' ')}`);
        expect(r.stderr).to.equal('');
        seen.push(words.join(' '));
        return commandsOf(r.stdout, words);
      };
      const subs = (await Promise.all(cmds.map(check))).flat();
      expect(subs.length).to.be.greaterThan(10);
      for (let i = 0; i < subs.length; i += 4) await Promise.all(subs.slice(i, i + 4).map(check));
      expect(seen).to.include.members(['intent register', 'verdict record', 'bundle author', 'bundle publish', 'policy trust', 'mirror verify', 'audit who']);
    });
  });
});

describe('e2e: a malformed policy on the protected ref', function () {
  this.timeout(120_000);
  useTempDirs();
  it('rejects the next push and makes verify exit 2 (policy-invalid)', async () => {
    const c = await ceremony();
    const policyPath = join(c.work, '.csae', 'policy.yaml');
    writeFileSync(policyPath, readFileSync(policyPath, 'utf8').replace(/^protect:/m, 'protect: [unclosed\nprotect_:'));
    await c.g(['commit', '-q', '--no-verify', '-am', 'break the policy']);
    const landed = await c.gr(['push', '-q', '--no-verify', 'origin', 'main']);
    expect(landed.code, show(landed)).to.equal(0);
    await c.g(['fetch', '-q', 'origin']);
    // a later push: the trust root (the remote tip's policy) cannot be read: fail closed
    await c.commit('x.txt', 'x\n', 'after the broken policy');
    const p = await c.gr(['push', 'origin', 'main']);
    expect(p.code, show(p)).to.not.equal(0);
    expect(p.stderr).to.not.contain(NO_STACK);
    // the hook's own answer to that push: a configuration error, by code
    expectError((await prePushJson(c, 'main')).r, 2, 'policy-invalid', '.csae/policy.yaml');
    const r = await c.w(['verify', '--ref', 'origin/main', '--json']);
    expectError(r, 2, 'policy-invalid', '.csae/policy.yaml');
    const h = await c.w(['verify', '--ref', 'origin/main']);
    expect(h.code).to.equal(2);
    expect(h.stderr).to.contain('next:');
  });

  it('a policy that is valid YAML but breaks the schema is policy-invalid too', async () => {
    const c = await ceremony({ push: false });
    const policyPath = join(c.work, '.csae', 'policy.yaml');
    writeFileSync(policyPath, readFileSync(policyPath, 'utf8').replace(/^version: 1$/m, 'version: 99'));
    await c.g(['commit', '-q', '--no-verify', '-am', 'unknown policy version']);
    const r = await c.w(['verify', '--ref', 'HEAD', '--json']);
    expectError(r, 2, 'policy-invalid');
    // genesis with an unreadable policy is refused too (fail closed)
    const p = await c.gr(['push', 'origin', 'main']);
    expect(p.code, show(p)).to.not.equal(0);
    expectError((await prePushJson(c, 'main')).r, 2, 'policy-invalid');
  });
});

describe('e2e: an unreachable mirror', function () {
  this.timeout(120_000);
  useTempDirs();
  it('rejects the push (fail closed) and makes verify exit 3 (mirror-unreachable)', async () => {
    const c = await ceremony();
    const nowhere = join(c.root, 'no-such-mirror.git');
    await must(c.w(['-q', 'policy', 'set', 'mirror.url', nowhere]), 'policy set');
    await c.g(['commit', '-q', '--no-verify', '-am', 'point the mirror nowhere']);
    const landed = await c.gr(['push', '-q', '--no-verify', 'origin', 'main']);
    expect(landed.code, show(landed)).to.equal(0);
    await c.g(['fetch', '-q', 'origin']);
    await c.commit('y.txt', 'y\n', 'work after the move');
    const p = await c.gr(['push', 'origin', 'main']);
    expect(p.code, show(p)).to.not.equal(0);
    expectError((await prePushJson(c, 'main')).r, 3, 'mirror-unreachable', nowhere);
    const r = await c.w(['verify', '--ref', 'origin/main', '--json']);
    const j = expectError(r, 3, 'mirror-unreachable', nowhere);
    expect(j.error.next).to.contain('mirror url');
  });
});

describe('e2e: a tampered mirror', function () {
  this.timeout(180_000);
  useTempDirs();

  /** A ceremony with ws-1 authored and published (not pushed), and a scratch clone of the mirror. */
  async function published(): Promise<{ c: Ceremony; evil: string; ws: Awaited<ReturnType<typeof authorWorkstream>> }> {
    const c = await ceremony();
    const ws = await authorWorkstream(c, 'ws-one', { branch: 'w1', publish: true });
    const evil = join(c.root, 'evil');
    await c.git.ok(c.root, ['clone', '-q', c.mirror, evil]);
    // control: untampered, the hook would accept this update
    const ok = await c.w(['hook', 'pre-push', 'origin', c.canon], { input: `refs/heads/w1 ${ws.attestation} refs/heads/main ${c.genesis}\n` });
    expect(ok.code, show(ok)).to.equal(0);
    return { c, evil, ws };
  }

  function rewriteWorkstream(file: string): void {
    const e = JSON.parse(readFileSync(file, 'utf8'));
    const st = Buffer.from(e.payload, 'base64').toString('utf8').replace('"ws-one"', '"ws-onf"');
    e.payload = Buffer.from(st).toString('base64');
    writeFileSync(file, storedBytes(e));
  }

  const ENTRY1 = entryPath(1);

  it('an entry modified in a new mirror commit: mirror verify exit 1, the push rejected', async () => {
    const { c, evil } = await published();
    rewriteWorkstream(join(evil, ENTRY1));
    await c.git.ok(evil, ['commit', '-q', '-am', 'quiet edit']);
    await c.git.ok(evil, ['push', '-q', 'origin', 'HEAD:main']);
    const r = await c.w(['mirror', 'verify', '--json']);
    expect(r.code, show(r)).to.equal(1);
    const j = parseJson(r);
    expect(j.ok).to.equal(false);
    expect(j.problems[0].checks[0].name).to.equal('chain');
    expect(j.problems[0].checks[0].detail).to.contain(`modifies ${ENTRY1}`);
    const p = await c.gr(['push', 'origin', 'w1:main']);
    expect(p.code, show(p)).to.not.equal(0);
    expect(await c.git.ok(c.canon, ['rev-parse', 'main'])).to.equal(c.genesis);
    // the hook fails closed on the broken chain, naming the check
    const { r: h, json } = await prePushJson(c, 'w1');
    expect(h.code, show(h)).to.equal(1);
    expect(json.refs[0].ok).to.equal(false);
    expect(json.refs[0].chainProblems.flatMap((x: any) => x.checks.filter((k: any) => !k.ok).map((k: any) => k.name))).to.include('chain');
  });

  it('an entry rewritten in history and force-pushed: mirror verify exit 1, the push rejected', async () => {
    const { c, evil } = await published();
    rewriteWorkstream(join(evil, ENTRY1));
    await c.git.ok(evil, ['commit', '-q', '--amend', '-a', '--no-edit']);
    await c.git.ok(evil, ['push', '-q', '-f', 'origin', 'HEAD:main']);
    const r = await c.w(['mirror', 'verify', '--json']);
    expect(r.code, show(r)).to.equal(1);
    const j = parseJson(r);
    const failing = j.problems.flatMap((p: any) => p.checks.filter((x: any) => !x.ok));
    expect(failing.map((x: any) => x.name)).to.include('chain');
    expect(failing.map((x: any) => x.detail).join('\n')).to.contain('rewritten');
    // a clone that never saw the old head still finds the edit: the signature no longer verifies
    const fresh = join(c.root, 'fresh');
    await c.git.ok(c.root, ['clone', '-q', c.canon, fresh]);
    const f = await c.csae(['mirror', 'verify', '--json'], { cwd: fresh });
    expect(f.code, show(f)).to.equal(1);
    const fj = parseJson(f);
    // the edited entry's signature no longer verifies: void (it covers nothing), named until repaired
    expect(fj.problems).to.have.length(0);
    expect(fj.voided.map((v: any) => v.seq)).to.deep.equal([1]);
    expect(fj.voided[0].checks.find((x: any) => !x.ok).name).to.equal('signature');
    const p = await c.gr(['push', 'origin', 'w1:main']);
    expect(p.code, show(p)).to.not.equal(0);
    expect(await c.git.ok(c.canon, ['rev-parse', 'main'])).to.equal(c.genesis);
    const { r: h, json } = await prePushJson(c, 'w1');
    expect(h.code, show(h)).to.equal(1);
    expect(json.refs[0].chainProblems.flatMap((x: any) => x.checks.filter((k: any) => !k.ok).map((k: any) => k.name))).to.include('chain');
  });

  it('an entry signed by a trusted key that hides a commit of its range: entry-fails-checks naming check 5 (range)', async () => {
    const { c, evil } = await published();
    // the operator's own key signs entry 2 over two hotfixes, listing only the second: the chain stage
    // (checks 1-4) accepts it, the entry stage must not
    await c.g(['checkout', '-q', 'main']);
    const hidden = await c.commit('hot1.txt', 'one\n', 'hotfix one (hidden)');
    const listed = await c.commit('hot2.txt', 'two\n', 'hotfix two (listed)');
    const bytes1 = readFileSync(join(evil, ENTRY1));
    const st1 = JSON.parse(Buffer.from(JSON.parse(bytes1.toString('utf8')).payload, 'base64').toString('utf8'));
    const predicate = {
      ...st1.predicate, kind: 'retroactive', workstream: 'ws-hiding', scope: null, selfAttestation: null, verdicts: [],
      range: { base: c.genesis, head: listed, commits: [listed] }, seq: 2, predecessor: { seq: 1, digest: 'sha256:' + sha256Hex(bytes1) }, notes: { reason: 'only the one' },
    };
    const env = await signStatement({ ...st1, subject: [{ digest: { gitCommit: listed } }], predicate }, new KeySigner(loadPrivateKey({ path: c.operatorKey })));
    writeFileSync(join(evil, entryPath(2)), storedBytes(env));
    await c.git.ok(evil, ['add', entryPath(2)]);
    await c.git.ok(evil, ['commit', '-q', '-m', 'csae: append entry 2 (retroactive ws-hiding)']);
    await c.git.ok(evil, ['push', '-q', 'origin', 'HEAD:main']);
    // the chain stage passes it: a trusted signature, a good link
    const m = await c.w(['mirror', 'verify', '--json']);
    expect(m.code, show(m)).to.equal(0);
    expect(parseJson(m).entries.map((e: any) => e.seq)).to.deep.equal([1, 2]);
    const { r: h, json } = await prePushJson(c, 'main');
    expect(h.code, show(h)).to.equal(1);
    const ref = json.refs[0];
    expect(ref.uncovered.map((d: any) => [d.commit, d.code, d.seq, d.check])).to.deep.equal([
      [hidden, 'forgot-intent', undefined, undefined],
      [listed, 'entry-fails-checks', 2, 'range'],
    ]);
    const e2 = ref.entries.find((e: any) => e.seq === 2);
    expect(e2.ok).to.equal(false);
    expect(e2.checks.map((x: any) => x.name)).to.deep.equal(['schema', 'signature', 'chain', 'repository', 'range', 'scope', 'attestation', 'verdicts', 'kind']);
    expect(e2.checks.filter((x: any) => !x.ok).map((x: any) => x.name)[0]).to.equal('range');
    const push = await c.gr(['push', 'origin', 'main']);
    expect(push.code, show(push)).to.not.equal(0);
    expect(await c.git.ok(c.canon, ['rev-parse', 'main'])).to.equal(c.genesis);
  });

  it('a forged entry appended under an untrusted key is not trusted', async () => {
    const { c, evil, ws } = await published();
    // entry 2 claims an unregistered hotfix; everything is right except who signed it
    await c.g(['checkout', '-q', 'main']);
    const hotfix = await c.commit('hot.txt', 'hot\n', 'unregistered hotfix');
    const bytes1 = readFileSync(join(evil, ENTRY1));
    const st1 = JSON.parse(Buffer.from(JSON.parse(bytes1.toString('utf8')).payload, 'base64').toString('utf8'));
    const p = st1.predicate;
    const predicate = {
      ...p,
      kind: 'retroactive',
      workstream: 'ws-forged',
      scope: null,
      selfAttestation: null,
      verdicts: [],
      range: { base: c.genesis, head: hotfix, commits: [hotfix] },
      seq: 2,
      predecessor: { seq: 1, digest: 'sha256:' + sha256Hex(bytes1) },
      notes: { reason: 'looks legitimate' },
    };
    const statement = { ...st1, subject: [{ digest: { gitCommit: hotfix } }], predicate };
    const { privateKey } = generateKeyPairSync('ed25519');
    const env = await signStatement(statement, new KeySigner(privateKey));
    const path2 = entryPath(2);
    writeFileSync(join(evil, path2), storedBytes(env));
    await c.git.ok(evil, ['add', path2]);
    await c.git.ok(evil, ['commit', '-q', '-m', 'csae: append entry 2 (retroactive ws-forged)']);
    await c.git.ok(evil, ['push', '-q', 'origin', 'HEAD:main']);
    const r = await c.w(['mirror', 'verify', '--json']);
    expect(r.code, show(r)).to.equal(1);
    const j = parseJson(r);
    expect(j.entries.map((e: any) => e.seq)).to.deep.equal([1]);
    // not trusted: void (DESIGN §2.5), not a break — it stays in the chain, named, and covers nothing
    expect(j.problems).to.have.length(0);
    expect(j.voided.map((v: any) => v.seq)).to.deep.equal([2]);
    const sig = j.voided[0].checks.find((x: any) => x.name === 'signature');
    expect(sig.ok).to.equal(false);
    expect(j.voided[0].checks.find((x: any) => x.name === 'chain').ok).to.equal(true);
    const who = await c.w(['audit', 'who', hotfix, '--sync', '--json']);
    expect(who.code, show(who)).to.equal(1);
    expect(parseJson(who).covered).to.equal(false);
    const push = await c.gr(['push', 'origin', 'main']);
    expect(push.code, show(push)).to.not.equal(0);
    // the forged entry is not a chain entry at all, and the hotfix stays uncovered
    const { r: h, json } = await prePushJson(c, 'main');
    expect(h.code, show(h)).to.equal(1);
    // void, not a break (DESIGN §2.5): the chain is intact, the forged entry covers nothing
    expect(json.refs[0].chainProblems).to.deep.equal([]);
    expect(json.refs[0].uncovered.map((d: any) => d.commit)).to.include(hotfix);
    void ws;
  });
});
