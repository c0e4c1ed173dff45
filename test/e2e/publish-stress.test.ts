// Publishing under stress (issue 8): racing publishers on one audit mirror, and `bundle publish` killed
// with SIGKILL at random moments. Drafts are authored in-process through the library (the same code the
// CLI runs) to keep the suite fast; the publishes are the real binary, racing for real.
// Sizes: small by default; CSAE_STRESS=1 runs the full sizes (8 publishers x 25 bundles, 50 kills).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CSAE_BIN, ceremony, must, parseJson, show, useTempDirs, type Ceremony } from '../helpers/gitrepo.js';
import { openRepo } from '../../src/git/repo.js';
import { registerIntent } from '../../src/intent/intent.js';
import { recordVerdict } from '../../src/verdict/verdict.js';
import { bundleAuthor } from '../../src/app/work.js';
import { KeySigner } from '../../src/sign/tiers/key.js';
import { loadPrivateKey } from '../../src/sign/key.js';
import type { Context } from '../../src/context.js';

const FULL = process.env.CSAE_STRESS === '1';
const PUBLISHERS = FULL ? 8 : 2;
const PER_PUBLISHER = FULL ? 25 : 2;
const KILLS = FULL ? 50 : 4;

/** `n` authored drafts on the current branch of `dir`, one workstream each. */
async function authorDrafts(c: Ceremony, dir: string, prefix: string, n: number): Promise<string[]> {
  const ctx: Context = { cwd: dir, env: c.env, now: () => new Date('2024-01-02T03:04:05Z'), info: () => {} };
  const repo = await openRepo(ctx);
  const reviewer = new KeySigner(loadPrivateKey({ path: c.reviewerKey }));
  const names: string[] = [];
  for (let i = 1; i <= n; i++) {
    const ws = `${prefix}-${String(i).padStart(3, '0')}`;
    const base = (await repo.git.resolveCommit('HEAD'))!;
    await registerIntent(ctx, repo, { workstream: ws, intent: `stress ${ws}` });
    await c.git.commitFile(dir, `${ws}.txt`, `${ws}\n`, `work ${ws}`);
    const v = await recordVerdict(ctx, repo, { range: `${base}..HEAD`, status: 'pass', score: '8', floor: '7' }, reviewer);
    await bundleAuthor(ctx, { workstream: ws, verdicts: [v.path] });
    names.push(ws);
  }
  return names;
}

function publishProcess(c: Ceremony, cwd: string): { done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>; kill: () => void } {
  const child = spawn(process.execPath, [CSAE_BIN, 'bundle', 'publish', '--key', c.operatorKey, '--json'], { cwd, env: c.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  return { done, kill: () => child.kill('SIGKILL') };
}

async function walkWorkstreams(c: Ceremony, cwd: string): Promise<string[]> {
  const w = await c.csae(['audit', 'walk', '--json'], { cwd });
  expect(w.code, show(w)).to.equal(0);
  return parseJson(w).entries.map((e: any) => e.workstream);
}

describe(`e2e: publishing under stress (${FULL ? 'full size' : 'small; CSAE_STRESS=1 for full size'})`, function () {
  this.timeout(FULL ? 1_800_000 : 240_000);
  useTempDirs();

  it(`${PUBLISHERS} publishers x ${PER_PUBLISHER} bundles race on one mirror: no failed publish, every bundle once`, async () => {
    const c = await ceremony();
    const clones: string[] = [];
    for (let p = 1; p <= PUBLISHERS; p++) {
      const dir = join(c.root, `pub${p}`);
      await c.git.ok(c.root, ['clone', '-q', c.canon, dir]);
      await c.git.ok(dir, ['checkout', '-q', '-b', `p${p}`]);
      clones.push(dir);
    }
    const authored = (await Promise.all(clones.map((d, i) => authorDrafts(c, d, `ws-p${i + 1}`, PER_PUBLISHER)))).flat();
    const t0 = Date.now();
    const runs = await Promise.all(clones.map((d) => publishProcess(c, d).done));
    const seconds = (Date.now() - t0) / 1000;
    for (const r of runs) {
      expect(r.code, `${r.stdout}\n${r.stderr}`).to.equal(0);
      const j = JSON.parse(r.stdout);
      expect(j.results.filter((x: any) => x.status !== 'published')).to.deep.equal([]);
      expect(j.published).to.have.length(PER_PUBLISHER);
    }
    const ws = await walkWorkstreams(c, clones[0]!);
    expect(ws).to.have.length(PUBLISHERS * PER_PUBLISHER);
    expect([...ws].sort()).to.deep.equal([...authored].sort());
    console.log(`      race: ${PUBLISHERS} publishers x ${PER_PUBLISHER} bundles = ${ws.length} entries in ${seconds.toFixed(1)} s`);
  });

  it(`${KILLS} SIGKILLs of bundle publish: every bundle lands exactly once, and a later publish succeeds`, async () => {
    const c = await ceremony();
    await c.g(['checkout', '-q', '-b', 'killed']);
    const authored = await authorDrafts(c, c.work, 'ws-k', KILLS);
    // deterministic "random" delays: a fixed LCG, so a failure can be replayed
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let killed = 0;
    for (let i = 0; i < KILLS; i++) {
      const p = publishProcess(c, c.work);
      const timer = setTimeout(p.kill, 150 + Math.floor(rand() * 900));
      const r = await p.done;
      clearTimeout(timer);
      if (r.signal === 'SIGKILL') killed++;
      // a run that was not killed finished: 0, or 2 when nothing was left
      else expect(r.code, `${r.stdout}\n${r.stderr}`).to.be.oneOf([0, 2]);
    }
    const last = await publishProcess(c, c.work).done;
    expect(last.code, `${last.stdout}\n${last.stderr}`).to.be.oneOf([0, 2]);
    const ws = await walkWorkstreams(c, c.work);
    expect([...ws].sort(), 'every bundle exactly once').to.deep.equal([...authored].sort());
    // and the clone is not stuck: another bundle publishes
    const more = await authorDrafts(c, c.work, 'ws-after', 1);
    const after = await c.w(['bundle', 'publish', '--key', c.operatorKey, '--json']);
    expect(after.code, show(after)).to.equal(0);
    expect(parseJson(after).published[0].workstream).to.equal(more[0]);
    console.log(`      kills: ${killed} of ${KILLS} runs killed mid-flight; ${ws.length} entries, each once`);
    await must(c.w(['mirror', 'verify']), 'mirror verify');
  });
});
