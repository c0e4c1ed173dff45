// End to end: the self-verifying HTML report. A mirror with standard, retroactive, bypass, abandonment
// and repair entries (and the break the repair names) and a signed checkpoint; `csae audit report --html`
// writes one page. Its evidence is re-verified in Node with the bundled noble code, and the page itself
// is opened in headless Chromium from a file URL with the network off: verified, searchable, failing
// visibly when one embedded signature byte changes, and red first when a protected ref has a gap.
// The browser half is skipped, saying so, when no Chromium is installed (apt-get install chromium).
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateKeyPairSync } from 'node:crypto';
import { ROOT, ceremony, must, parseJson, show, useTempDirs, type Ceremony } from '../helpers/gitrepo.js';
import { storedBytes } from '../../src/core/jcs.js';
import { sha256Hex } from '../../src/core/digest.js';
import { signStatement } from '../../src/sign/envelope.js';
import { KeySigner } from '../../src/sign/tiers/key.js';
import { entryPath } from '../../src/mirror/layout.js';
import { verifyReport, type ReportData } from '../../src/audit/browser/verify.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');

function chromiumPath(): string | null {
  for (const p of [process.env.CSAE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']) if (p && existsSync(p)) return p;
  return null;
}

/** The evidence embedded in a report page. */
function embedded(html: string): ReportData {
  const m = /<script type="application\/json" id="csae-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m, 'the page embeds its evidence').to.not.equal(null);
  return JSON.parse(m![1]!) as ReportData;
}

/** The same page with one character of entry `seq`'s embedded signature changed. */
function tamperSignature(html: string, seq: number): string {
  const d = embedded(html);
  const text = d.entries[seq - 1]!.text!;
  const sig = (JSON.parse(text) as { signatures: Array<{ sig: string }> }).signatures[0]!.sig;
  const i = 10;
  const flipped = sig.slice(0, i) + (sig[i] === 'A' ? 'B' : 'A') + sig.slice(i + 1);
  const out = html.replace(sig, flipped);
  expect(out).to.not.equal(html);
  expect(out.length).to.equal(html.length);
  return out;
}

describe('e2e: the self-verifying audit report', function () {
  this.timeout(180_000);
  useTempDirs();
  let c: Ceremony;
  let ws1: string[] = [];
  let retroCommit: string;
  let reportPath: string;
  let html: string;

  before(async () => {
    c = await ceremony({ push: false });
    // the policy of the genesis push also trusts the operator for bypasses and checkpoints
    await must(c.w(['policy', 'trust', '--bypass', '--name', 'olive', '--key', c.operatorPub]), 'trust bypass');
    await must(c.w(['policy', 'trust', '--checkpoints', '--name', 'olive', '--key', c.operatorPub]), 'trust checkpoints');
    await c.g(['add', '.csae']);
    await c.g(['commit', '-q', '--amend', '--no-verify', '--no-edit']);
    c.genesis = await c.rev('HEAD');
    await must(c.gr(['push', '-q', 'origin', 'main']), 'genesis push');

    // 1. standard, AI-assisted
    await c.g(['checkout', '-q', '-b', 'work/sso']);
    const base = await c.rev('HEAD');
    await must(c.w(['-q', 'intent', 'register', '--workstream', 'ws-sso', '--intent', 'Add SSO login <script>alert(1)</script>', '--agent', 'Claude', '--model', 'claude-opus-4-5']), 'intent');
    ws1 = [await c.rev('HEAD')];
    ws1.push(await c.commit('sso.ts', 'export const sso = 1;\n', 'add sso'));
    ws1.push(await c.commit('sso2.ts', 'export const sso2 = 2;\n', 'wire sso'));
    const v = parseJson(await must(c.w(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', '8.5', '--floor', '7', '--defect', 'minor:naming could be clearer', '--key', c.reviewerKey, '--json']), 'verdict'));
    await must(c.w(['-q', 'bundle', 'author', '--workstream', 'ws-sso', '--verdict', v.path]), 'author');
    await must(c.w(['-q', 'bundle', 'publish', '--key', c.operatorKey]), 'publish');
    await must(c.gr(['push', '-q', 'origin', 'HEAD:main']), 'push standard');
    // 2. retroactive
    await c.g(['checkout', '-q', 'main']);
    await c.g(['merge', '-q', '--ff-only', 'work/sso']);
    let before = await c.rev('HEAD');
    retroCommit = await c.commit('fix.txt', 'fix\n', 'hotfix without intent');
    await must(c.w(['-q', 'bundle', 'retroactive', '--range', `${before}..HEAD`, '--reason', 'forgot to register the hotfix', '--key', c.operatorKey]), 'retroactive');
    await must(c.gr(['push', '-q', 'origin', 'main']), 'push retroactive');
    // 3. bypass
    before = await c.rev('HEAD');
    await c.commit('release.txt', 'v1\n', 'release now');
    await must(c.w(['-q', 'bypass', '--ref', 'refs/heads/main', '--range', `${before}..HEAD`, '--reason', 'release had to go out', '--i-understand-this-is-logged', '--key', c.operatorKey]), 'bypass');
    await must(c.gr(['push', '-q', 'origin', 'main']), 'push bypass');
    // 4. abandonment
    await c.g(['checkout', '-q', '-b', 'work/dead']);
    await must(c.w(['-q', 'intent', 'register', '--workstream', 'ws-dead', '--intent', 'An idea we dropped']), 'intent dead');
    await must(c.w(['-q', 'bundle', 'abandon', '--workstream', 'ws-dead', '--reason', 'superseded by ws-sso', '--key', c.operatorKey]), 'abandon');
    await c.g(['checkout', '-q', 'main']);
    // 5. a break: an entry appended under a key the policy does not trust
    const evil = join(c.root, 'evil');
    await c.git.ok(c.root, ['clone', '-q', c.mirror, evil]);
    const bytes4 = readFileSync(join(evil, entryPath(4)));
    const st = JSON.parse(Buffer.from(JSON.parse(bytes4.toString('utf8')).payload, 'base64').toString('utf8'));
    const forged = { ...st.predicate, kind: 'retroactive', workstream: 'ws-forged', scope: null, selfAttestation: null, verdicts: [], range: { base: c.genesis, head: c.genesis, commits: [c.genesis] }, seq: 5, predecessor: { seq: 4, digest: 'sha256:' + sha256Hex(bytes4) }, notes: { reason: 'looks legitimate' } };
    const env = await signStatement({ ...st, subject: [{ digest: { gitCommit: c.genesis } }], predicate: forged }, new KeySigner(generateKeyPairSync('ed25519').privateKey));
    writeFileSync(join(evil, entryPath(5)), storedBytes(env));
    await c.git.ok(evil, ['add', '-A']);
    await c.git.ok(evil, ['commit', '-q', '-m', 'csae: append entry 5 (retroactive ws-forged)']);
    await c.git.ok(evil, ['push', '-q', 'origin', 'HEAD:main']);
    // 6. the repair naming it, and a signed checkpoint over all six
    await must(c.w(['-q', 'chain', 'repair', '--break', '5', '--reason', 'entry 5 was signed by an unknown key', '--key', c.operatorKey]), 'repair');
    await must(c.w(['-q', 'mirror', 'checkpoint', '--key', c.operatorKey]), 'checkpoint');
    await c.g(['fetch', '-q', 'origin']);
    reportPath = join(c.root, 'audit.html');
    const r = await c.w(['audit', 'report', '--html', reportPath, '--json']);
    expect(r.code, show(r)).to.equal(0);
    const j = parseJson(r);
    expect(j).to.include({ ok: true, entries: 6, uncovered: 0 });
    expect(j.refs).to.deep.equal(['refs/heads/main']);
    html = readFileSync(reportPath, 'utf8');
  });

  it('embeds every entry, verdict, checkpoint and trusted key, and needs no network', () => {
    const d = embedded(html);
    expect(d.entries.map((e) => e.csae.status)).to.deep.equal(['verified', 'verified', 'verified', 'verified', 'void', 'verified']);
    expect(d.entries[4]!.csae.repairedBy).to.equal(6);
    expect(Object.keys(d.verdicts)).to.have.length(1);
    expect(d.checkpoints.map((x) => x.path)).to.deep.equal(['checkpoints/000000000006']);
    expect(d.policies[0]!.signers.bundles!.map((s) => s.name)).to.deep.equal(['olive']);
    expect(html).to.match(/Content-Security-Policy" content="default-src 'none'/);
    expect(html).to.not.match(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!csae\.dev|in-toto\.io)/);
    // the intent text's markup stays text: it cannot close the data script
    expect(html).to.not.include('<script>alert(1)</script>');
  });

  it('the embedded evidence verifies with the bundled noble code (Node), and one changed signature byte fails it', async () => {
    const ok = await verifyReport(embedded(html), { engine: 'noble' });
    expect(ok.failures, JSON.stringify(ok.failures)).to.deep.equal([]);
    expect(ok.ok).to.equal(true);
    expect(ok.entries[4]!.acknowledged).to.equal(true);
    expect(ok.checkpoints[0]).to.include({ ok: true, size: 6 });
    const bad = await verifyReport(embedded(tamperSignature(html, 3)), { engine: 'noble' });
    expect(bad.ok).to.equal(false);
    expect(bad.failures.map((f) => `${f.where} ${f.check}`)).to.include('entry 3 signature');
  });

  it('a changed entry breaks the next link and the checkpoint root', async () => {
    const d = embedded(html);
    const e2 = JSON.parse(d.entries[1]!.text!);
    const p = JSON.parse(Buffer.from(e2.payload, 'base64').toString('utf8'));
    p.predicate.notes.reason = 'a different story';
    e2.payload = Buffer.from(JSON.stringify(p)).toString('base64');
    d.entries[1]!.text = storedBytes(e2).toString('utf8');
    const r = await verifyReport(d, { engine: 'noble' });
    const got = r.failures.map((f) => `${f.where} ${f.check}`);
    expect(got).to.include.members(['entry 2 signature', 'entry 3 link', 'checkpoints/000000000006 checkpoint']);
  });

  describe('in headless Chromium (file URL, network off)', function () {
    const exe = chromiumPath();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let browser: any;

    before(async function () {
      if (!exe) {
        console.log('      (skipped: no Chromium found — apt-get install chromium, or set CSAE_CHROMIUM)');
        this.skip();
      }
      mkdirSync(ARTIFACTS, { recursive: true });
      const puppeteer = (await import('puppeteer-core')).default;
      browser = await puppeteer.launch({ executablePath: exe!, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    });

    after(async () => {
      await browser?.close();
    });

    async function open(file: string): Promise<any> {
      const page = await browser.newPage();
      await page.setViewport({ width: 1200, height: 1400 });
      await page.setOfflineMode(true);
      const requests: string[] = [];
      page.on('request', (r: any) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => document.body.getAttribute('data-csae-verified') !== 'pending', { timeout: 60_000 });
      expect(requests, 'no network request').to.deep.equal([]);
      return page;
    }

    it('shows the verified state, breaks and repairs marked, and keeps a screenshot', async () => {
      const page = await open(reportPath);
      expect(await page.evaluate(() => document.body.getAttribute('data-csae-verified'))).to.equal('true');
      expect(await page.evaluate(() => document.body.getAttribute('data-csae-coverage'))).to.equal('complete');
      expect(await page.$eval('#result', (e: Element) => e.className)).to.equal('result ok');
      expect(await page.$$eval('#entries .card', (es: Element[]) => es.map((e) => e.getAttribute('data-seq')))).to.deep.equal(['6', '5', '4', '3', '2', '1']);
      const marks = await page.$eval('#marks', (e: Element) => e.textContent);
      expect(marks).to.include('entry 5: break, repaired by entry 6');
      expect(marks).to.include('entry 6: repair of the break at entry 5');
      const first = await page.$eval('#entries [data-seq="1"]', (e: Element) => e.textContent);
      expect(first).to.include('Add SSO login <script>alert(1)</script>');
      expect(first).to.include('pass 8.5/7');
      expect(first).to.include('naming could be clearer');
      expect(first).to.include('declared Claude · model claude-opus-4-5');
      expect(await page.$eval('#entries [data-seq="2"]', (e: Element) => e.textContent)).to.include('forgot to register the hotfix');
      await page.screenshot({ path: join(ARTIFACTS, 'report-verified.png'), fullPage: false });
      await page.close();
    });

    it('search answers like audit who: by commit, agent and person', async () => {
      const page = await open(reportPath);
      await page.type('#q', ws1[2]!.slice(0, 10));
      const card = await page.$eval('#answers .card', (e: Element) => e.textContent);
      expect(card).to.include(ws1[2]);
      expect(card).to.include('#1 standard');
      expect(card).to.include('Olive Operator <olive@example.com>');
      expect(card).to.include('rita (verified)');
      expect(card).to.include('before the work: yes');
      await page.$eval('#q', (e: HTMLInputElement) => (e.value = ''));
      await page.type('#q', retroCommit.slice(0, 12));
      expect(await page.$eval('#answers .card', (e: Element) => e.textContent)).to.include('before the work: NO');
      await page.$eval('#q', (e: HTMLInputElement) => (e.value = ''));
      await page.type('#q', 'claude');
      expect(await page.$$eval('#answers .card', (es: Element[]) => es.map((e) => e.getAttribute('data-seq')))).to.deep.equal(['1']);
      await page.$eval('#q', (e: HTMLInputElement) => (e.value = ''));
      await page.type('#q', 'rita');
      expect(await page.$$eval('#answers .card', (es: Element[]) => es.length)).to.equal(1);
      await page.screenshot({ path: join(ARTIFACTS, 'report-search.png') });
      await page.close();
    });

    it('a copy with one embedded signature byte changed shows the failure', async () => {
      const copy = join(c.root, 'tampered.html');
      writeFileSync(copy, tamperSignature(html, 1));
      const page = await open(copy);
      expect(await page.evaluate(() => document.body.getAttribute('data-csae-verified'))).to.equal('false');
      const result = await page.$eval('#result', (e: Element) => e.textContent);
      expect(result).to.include('does NOT verify');
      expect(result).to.include('entry 1 — signature');
      await page.close();
    });

    it('an uncovered commit on the protected ref is shown first, in red', async () => {
      const gap = await c.commit('sneak.txt', 'x\n', 'sneaked past the hook');
      await must(c.gr(['push', '-q', '--no-verify', 'origin', 'main']), 'push --no-verify');
      await c.g(['fetch', '-q', 'origin']);
      const second = join(c.root, 'audit2.html');
      const r = await c.w(['audit', 'report', '--html', second, '--json']);
      expect(r.code, show(r)).to.equal(1);
      expect(parseJson(r).uncovered).to.equal(1);
      const page = await open(second);
      expect(await page.evaluate(() => document.body.getAttribute('data-csae-verified'))).to.equal('true');
      expect(await page.evaluate(() => document.body.getAttribute('data-csae-coverage'))).to.equal('gaps');
      const order = await page.evaluate(() => [...document.querySelectorAll('main > *')].map((e) => e.id || e.className));
      expect(order.slice(0, 2)).to.deep.equal(['result', 'coverage']);
      expect(await page.$eval('#coverage .cov', (e: Element) => e.className)).to.include('cov-red');
      expect(await page.$eval('#coverage', (e: Element) => e.textContent)).to.include(gap);
      const result = await page.$eval('#result', (e: Element) => ({ cls: e.className, text: e.textContent }));
      expect(result.cls).to.equal('result bad');
      expect(result.text).to.include('1 commit(s) on protected refs are not covered');
      expect(result.text).to.include('The evidence verifies in this browser');
      await page.screenshot({ path: join(ARTIFACTS, 'report-gap.png') });
      await page.close();
    });
  });
});
