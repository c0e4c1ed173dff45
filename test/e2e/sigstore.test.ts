// End to end, keyless: a policy trusting a CI workflow identity (issuer + identity, exactly) and a
// trusted root assembled from @sigstore/mock services on 127.0.0.1; `verdict record --sigstore` and
// `bundle publish --sigstore` sign over HTTP with an ambient identity token; then, with the services
// stopped, the pre-push hook, `verify`, `audit who` and `mirror verify` accept the entry offline and
// report the `sigstore+rekor` tier with the certificate identity. Impostors are refused by publish.
import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ceremony, must, parseJson, show, useTempDirs, type Ceremony } from '../helpers/gitrepo.js';
import { idToken, startSigstore, type SigstoreServices } from '../helpers/sigstore.js';

const ISS = 'https://token.actions.githubusercontent.com';
const CI = 'https://github.com/acme/orca/.github/workflows/publish.yml@refs/heads/main';
const REVIEW = 'https://github.com/acme/orca/.github/workflows/review.yml@refs/heads/main';

describe('e2e: keyless (sigstore) signing in CI, verified offline', function () {
  this.timeout(180_000);
  useTempDirs();
  let c: Ceremony;
  let svc: SigstoreServices;
  let verdictPath = '';
  const ci = (sub: string, iss = ISS): Record<string, string> => ({ SIGSTORE_ID_TOKEN: idToken(iss, sub), CSAE_SIGSTORE_FULCIO_URL: svc.fulcioUrl, CSAE_SIGSTORE_REKOR_URL: svc.rekorUrl });

  before(async () => {
    svc = await startSigstore();
    c = await ceremony({ push: false });
    writeFileSync(join(c.work, '.csae', 'trusted_root.json'), JSON.stringify(svc.trustedRoot, null, 2));
    await must(c.w(['policy', 'set', 'sigstore.trustedRoot', '.csae/trusted_root.json']), 'policy set sigstore.trustedRoot');
    await must(c.w(['policy', 'trust', '--bundles', '--name', 'ci', '--sigstore-issuer', ISS, '--sigstore-identity', CI]), 'policy trust ci');
    await must(c.w(['policy', 'trust', '--verdicts', '--name', 'ci-review', '--sigstore-issuer', ISS, '--sigstore-identity', REVIEW]), 'policy trust ci-review');
    await c.g(['add', '.csae']);
    await c.g(['commit', '-q', '--no-verify', '--amend', '-m', 'adopt csae policy (CI signs keyless)']);
    const r = await c.gr(['push', '-q', 'origin', 'main']);
    if (r.code !== 0) throw new Error(`genesis push failed: ${show(r)}`);
  });
  after(async () => svc && (await svc.stop().catch(() => undefined)));

  it('verdict record --sigstore writes the verdict and its Sigstore bundle beside it', async () => {
    await c.g(['checkout', '-q', '-b', 'feature']);
    await must(c.w(['-q', 'intent', 'register', '--workstream', 'ws-keyless', '--intent', 'Keyless signing end to end']), 'intent register');
    await c.commit('k/one.txt', 'one\n', 'keyless step 1');
    await c.commit('k/two.txt', 'two\n', 'keyless step 2');
    const r = await c.w(['verdict', 'record', '--range', 'main..HEAD', '--status', 'pass', '--score', '9', '--floor', '7', '--sigstore', '--json'], { env: ci(REVIEW) });
    expect(r.code, show(r)).to.equal(0);
    verdictPath = parseJson(r).path;
    expect(existsSync(verdictPath.replace(/\.dsse\.json$/, '.sigstore.json'))).to.equal(true);
    await must(c.w(['-q', 'bundle', 'author', '--workstream', 'ws-keyless', '--verdict', verdictPath]), 'bundle author');
  });

  it('publish refuses a look-alike identity and a wrong issuer, naming the certificate identity', async () => {
    for (const env of [ci(CI + '-evil'), ci('https://github.com/evil/x/.github/workflows/y.yml@refs/heads/main?' + CI), ci(CI, 'https://token.actions.githubusercontent.com.evil.example')]) {
      const r = await c.w(['bundle', 'publish', '--sigstore', '--json'], { env });
      expect(r.code, show(r)).to.equal(2);
      const j = parseJson(r);
      expect(j.ok).to.equal(false);
      expect(j.results[0]).to.include({ status: 'failed' });
      expect(j.results[0].error.code).to.equal('config');
      expect(j.results[0].error.message).to.match(/certificate (identity|issuer) ".*" is not the trusted (identity|issuer)/);
    }
    const none = await c.w(['bundle', 'publish', '--sigstore', '--json'], { env: { CSAE_SIGSTORE_FULCIO_URL: svc.fulcioUrl } });
    expect(none.code, show(none)).to.equal(2);
    expect(none.stdout).to.contain('key-missing');
  });

  it('bundle publish --sigstore appends the entry with its .sigstore.json beside it', async () => {
    const r = await c.w(['bundle', 'publish', '--sigstore', '--json'], { env: ci(CI) });
    expect(r.code, show(r)).to.equal(0);
    const p = parseJson(r).published[0];
    const files = await c.git.ok(c.mirror, ['ls-tree', '-r', '--name-only', 'main']);
    expect(files.split('\n')).to.include.members([p.path, p.path.replace(/\.dsse\.json$/, '.sigstore.json')]);
    expect(files.split('\n').filter((f) => f.startsWith('verdicts/') && f.endsWith('.sigstore.json'))).to.have.length(1);
  });

  it('the recovery kinds sign keyless too: bundle retroactive --sigstore', async () => {
    await c.commit('k/hotfix.txt', 'hot\n', 'hotfix after the attestation');
    const r = await c.w(['bundle', 'retroactive', '--range', 'HEAD~1..HEAD', '--reason', 'hotfix reviewed after the fact', '--sigstore', '--json'], { env: ci(CI) });
    expect(r.code, show(r)).to.equal(0);
    const p = parseJson(r).published[0];
    expect(p.seq).to.equal(2);
    const files = await c.git.ok(c.mirror, ['ls-tree', '-r', '--name-only', 'main']);
    expect(files.split('\n')).to.include(p.path.replace(/\.dsse\.json$/, '.sigstore.json'));
  });

  it('with the services stopped, the push is covered and every verifier reports sigstore+rekor with the identity', async () => {
    await svc.stop();
    const before = await c.rev('refs/remotes/origin/main');
    const push = await c.gr(['push', 'origin', 'HEAD:main']);
    expect(push.code, show(push)).to.equal(0);
    expect(push.stderr).to.match(/refs\/heads\/main ok/);
    const retro = parseJson(await must(c.w(['audit', 'who', 'HEAD', '--json']), 'audit who HEAD'));
    expect(retro.covered).to.equal(true);
    expect(retro.entry).to.include({ kind: 'retroactive', signer: 'ci', tier: 'sigstore+rekor' });
    const who = parseJson(await must(c.w(['audit', 'who', 'HEAD~1', '--json']), 'audit who'));
    expect(who.covered).to.equal(true);
    expect(who.entry).to.include({ signer: 'ci', tier: 'sigstore+rekor' });
    expect(who.entry.identity).to.contain(CI).and.contain(ISS);
    expect(who.verdicts[0].signer).to.equal('ci-review');
    const walk = parseJson(await must(c.w(['mirror', 'verify', '--json']), 'mirror verify'));
    expect(walk.ok).to.equal(true);
    expect(walk.entries[0]).to.include({ signer: 'ci', tier: 'sigstore+rekor' });
    expect(walk.entries[0].verdicts[0]).to.include({ ok: true, signer: 'ci-review' });
    expect(walk.entries[1]).to.include({ kind: 'retroactive', tier: 'sigstore+rekor' });
    const v = await c.w(['verify', '--ref', 'refs/remotes/origin/main', '--format', 'json']);
    expect(v.code, show(v)).to.equal(0);
    // the server side: the canonical repository's pre-receive, and the mirror's own guard with the policy
    const head = await c.rev('HEAD');
    const pr = await c.csae(['hook', 'pre-receive'], { cwd: c.canon, input: `${before} ${head} refs/heads/main\n` });
    expect(pr.code, show(pr)).to.equal(0);
    await c.git.ok(c.mirror, ['config', 'csae.policy', join(c.work, '.csae', 'policy.yaml')]);
    const mirrorHead = await c.git.ok(c.mirror, ['rev-parse', 'refs/heads/main']);
    const guard = await c.csae(['hook', 'mirror-pre-receive'], { cwd: c.mirror, input: `${'0'.repeat(mirrorHead.length)} ${mirrorHead} refs/heads/main\n` });
    expect(guard.code, show(guard)).to.equal(0);
    // the guard checks keyless signatures against the policy's root: another root refuses them
    const other = await startSigstore();
    await other.stop();
    writeFileSync(join(c.work, '.csae', 'trusted_root.json'), JSON.stringify(other.trustedRoot));
    const refused = await c.csae(['hook', 'mirror-pre-receive'], { cwd: c.mirror, input: `${'0'.repeat(mirrorHead.length)} ${mirrorHead} refs/heads/main\n` });
    expect(refused.code, show(refused)).to.equal(1);
    expect(refused.stderr).to.match(/does not verify: (CERTIFICATE_ERROR|TLOG)/);
    await c.g(['checkout', '--', '.csae/trusted_root.json']);
    await c.git.run(c.mirror, ['config', '--unset', 'csae.policy']);
  });

  it('a fresh clone (no caches, services unreachable) replays main offline: verify --ref', async () => {
    const fresh = join(c.root, 'fresh');
    await c.git.ok(c.root, ['clone', '-q', c.canon, fresh]);
    const dead = { CSAE_SIGSTORE_FULCIO_URL: 'http://127.0.0.1:9', CSAE_SIGSTORE_REKOR_URL: 'http://127.0.0.1:9' };
    const r = await c.csae(['verify', '--ref', 'refs/remotes/origin/main', '--format', 'json'], { cwd: fresh, env: dead });
    expect(r.code, show(r)).to.equal(0);
    expect(JSON.stringify(parseJson(r))).to.contain('sigstore+rekor');
  });

  describe('bad input: clear errors, exit codes, no stack', () => {
    const bad = async (args: string[], code: number, errCode: string, text: RegExp, env: Record<string, string> = {}): Promise<void> => {
      const r = await c.w([...args, '--json'], { env });
      expect(r.code, show(r)).to.equal(code);
      const j = parseJson(r);
      expect(j.error?.code ?? j.code, show(r)).to.equal(errCode);
      expect(r.stdout + r.stderr).to.match(text);
      expect(r.stderr).to.not.contain('    at ');
    };
    it('policy set sigstore.trustedRoot: outside the repository, not JSON, not a trusted root', async () => {
      writeFileSync(join(c.root, 'outside.json'), JSON.stringify(svc.trustedRoot));
      await bad(['policy', 'set', 'sigstore.trustedRoot', '../outside.json'], 2, 'usage', /outside the repository/);
      writeFileSync(join(c.work, '.csae', 'broken.json'), '{"mediaType": ');
      await bad(['policy', 'set', 'sigstore.trustedRoot', '.csae/broken.json'], 2, 'usage', /cannot be read as JSON/);
      writeFileSync(join(c.work, '.csae', 'other.json'), '{"mediaType": "application/json"}');
      await bad(['policy', 'set', 'sigstore.trustedRoot', '.csae/other.json'], 2, 'usage', /is not a Sigstore trusted root/);
      await bad(['policy', 'set', 'sigstore.trustedRoot', '.csae/missing.json'], 2, 'usage', /ENOENT/);
    });
    it('policy trust: a keyless signer needs an issuer URL and an identity', async () => {
      await bad(['policy', 'trust', '--bundles', '--name', 'x', '--sigstore-issuer', ISS], 2, 'usage', /needs both --sigstore-issuer URL and --sigstore-identity/);
      await bad(['policy', 'trust', '--bundles', '--name', 'x', '--sigstore-issuer', 'token.actions', '--sigstore-identity', CI], 2, 'usage', /is not a URL/);
      await bad(['policy', 'trust', '--bundles', '--name', 'x', '--sigstore-issuer', ISS, '--sigstore-identity', 'a b'], 2, 'usage', /exact certificate identity/);
    });
    it('--sigstore with a malformed service URL is a configuration error', async () => {
      await bad(['bundle', 'publish', '--sigstore'], 2, 'config', /CSAE_SIGSTORE_REKOR_URL="ftp:\/\/x" |must be an http\(s\) URL/, { ...ci(CI), CSAE_SIGSTORE_REKOR_URL: 'ftp://x' });
      await bad(['bundle', 'publish', '--sigstore'], 2, 'config', /CSAE_SIGSTORE_FULCIO_URL=.* is not a URL/, { ...ci(CI), CSAE_SIGSTORE_FULCIO_URL: 'not a url' });
    });
    it('policy sigstore-root: an unreachable TUF repository is an environment error (exit 3)', async () => {
      const seeds = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@sigstore', 'tuf', 'seeds.json'), 'utf8'));
      writeFileSync(join(c.root, 'tuf-root.json'), Buffer.from(seeds['https://tuf-repo-cdn.sigstore.dev']['root.json'], 'base64'));
      await bad(['policy', 'sigstore-root', '--out', join(c.root, 'fetched.json'), '--tuf-mirror', 'http://127.0.0.1:9', '--tuf-root', join(c.root, 'tuf-root.json')], 3, 'io', /could not refresh the Sigstore trusted root from http:\/\/127\.0\.0\.1:9/);
      expect(existsSync(join(c.root, 'fetched.json'))).to.equal(false);
      await bad(['policy', 'sigstore-root', '--out', 'x.json', '--tuf-mirror', 'http://127.0.0.1:9'], 2, 'usage', /needs --tuf-root/);
    });
  });
});
