// End to end, keyless: a policy trusting a CI workflow identity (issuer + identity, exactly) and a
// trusted root assembled from @sigstore/mock services on 127.0.0.1; `verdict record --sigstore` and
// `bundle publish --sigstore` sign over HTTP with an ambient identity token; then, with the services
// stopped, the pre-push hook, `verify`, `audit who` and `mirror verify` accept the entry offline and
// report the `sigstore+rekor` tier with the certificate identity. Impostors are refused by publish.
import { expect } from 'chai';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ceremony, must, parseJson, show, useTempDirs, type Ceremony } from '../helpers/gitrepo.js';
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

  it('with the services stopped, the push is covered and every verifier reports sigstore+rekor with the identity', async () => {
    await svc.stop();
    const push = await c.gr(['push', 'origin', 'HEAD:main']);
    expect(push.code, show(push)).to.equal(0);
    expect(push.stderr).to.match(/refs\/heads\/main ok/);
    const who = parseJson(await must(c.w(['audit', 'who', 'HEAD', '--json']), 'audit who'));
    expect(who.covered).to.equal(true);
    expect(who.entry).to.include({ signer: 'ci', tier: 'sigstore+rekor' });
    expect(who.entry.identity).to.contain(CI).and.contain(ISS);
    expect(who.verdicts[0].signer).to.equal('ci-review');
    const walk = parseJson(await must(c.w(['mirror', 'verify', '--json']), 'mirror verify'));
    expect(walk.ok).to.equal(true);
    expect(walk.entries[0]).to.include({ signer: 'ci', tier: 'sigstore+rekor' });
    expect(walk.entries[0].verdicts[0]).to.include({ ok: true, signer: 'ci-review' });
    const v = await c.w(['verify', '--ref', 'refs/remotes/origin/main', '--format', 'json']);
    expect(v.code, show(v)).to.equal(0);
  });

  it('a fresh clone (no caches, services unreachable) replays main offline: verify --ref', async () => {
    const fresh = join(c.root, 'fresh');
    await c.git.ok(c.root, ['clone', '-q', c.canon, fresh]);
    const dead = { CSAE_SIGSTORE_FULCIO_URL: 'http://127.0.0.1:9', CSAE_SIGSTORE_REKOR_URL: 'http://127.0.0.1:9' };
    const r = await c.csae(['verify', '--ref', 'refs/remotes/origin/main', '--format', 'json'], { cwd: fresh, env: dead });
    expect(r.code, show(r)).to.equal(0);
    expect(JSON.stringify(parseJson(r))).to.contain('sigstore+rekor');
  });
});
