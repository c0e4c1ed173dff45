// Measures `csae audit report --html` at scale: the bench generator's workload (default 30,000 commits,
// 10,000 entries), then the report's size, the time csae takes to write it, and in headless Chromium (when
// installed) the time to the first paint of the result area and to data-csae-verified.
//   node dist/bench/auditreport.js [--commits N] [--bundles N] [--keep DIR]
// Prints one JSON document; docs/PERFORMANCE.md ("audit report") records a run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from './generate.js';

const args = process.argv.slice(2);
const opt = (k: string, d: number): number => {
  const i = args.indexOf(k);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const keepAt = args.indexOf('--keep');
const dir = keepAt >= 0 ? resolve(args[keepAt + 1]!) : mkdtempSync(join(tmpdir(), 'csae-report-bench-'));
const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1' };
const log = (l: string): void => void process.stderr.write(l + '\n');
const csae = resolve(new URL('../src/cli/main.js', import.meta.url).pathname);

async function main(): Promise<void> {
  const g = await generate({ commits: opt('--commits', 30_000), bundles: opt('--bundles', 10_000), dir, env, log });
  const ci = join(dir, 'ci');
  if (!existsSync(ci)) execFileSync('git', ['clone', '--quiet', '--no-local', g.canonicalDir, ci], { env });
  const out = join(dir, 'report.html');
  let t = performance.now();
  execFileSync(process.execPath, [csae, 'audit', 'report', '--html', out, '--json'], { cwd: ci, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const writeMs = performance.now() - t;
  const bytes = statSync(out).size;
  const result: Record<string, unknown> = { entries: g.entries.length, commits: g.totalCommits, writeMs: Math.round(writeMs), bytes, megabytes: +(bytes / 1e6).toFixed(1) };
  const exe = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
  if (exe) {
    const puppeteer = (await import('puppeteer-core')).default;
    const browser = await puppeteer.launch({ executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    const page = await browser.newPage();
    await page.setOfflineMode(true);
    t = performance.now();
    await page.goto(pathToFileURL(out).href, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    const domMs = performance.now() - t;
    await page.waitForFunction(() => document.querySelector('#coverage .cov') !== null, { timeout: 120_000 });
    const coverageMs = performance.now() - t;
    await page.waitForFunction(() => document.body.getAttribute('data-csae-verified') !== 'pending', { timeout: 600_000, polling: 200 });
    const verifiedMs = performance.now() - t;
    const verified = await page.evaluate(() => document.body.getAttribute('data-csae-verified'));
    const engine = await page.$eval('#result', (e) => e.textContent ?? '');
    t = performance.now();
    await page.click('#next');
    const pageMs = performance.now() - t;
    t = performance.now();
    await page.type('#q', g.whoCommit.slice(0, 12));
    await page.waitForSelector('#answers .card');
    const searchMs = performance.now() - t;
    const heapMB = Math.round(((await page.metrics()).JSHeapUsedSize ?? 0) / 1e6);
    await browser.close();
    Object.assign(result, { domMs: Math.round(domMs), coverageMs: Math.round(coverageMs), verifiedMs: Math.round(verifiedMs), verified, engine: /WebCrypto|noble/.exec(engine)?.[0], nextPageMs: Math.round(pageMs), searchMs: Math.round(searchMs), heapMB });
  } else result.browser = 'no Chromium: browser timings skipped';
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  if (keepAt < 0) rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  process.stderr.write(`auditreport bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
