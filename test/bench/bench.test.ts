// Smoke test of `npm run bench` at a tiny size: the generator's history must pass csae's own validator
// (the bench fails loudly otherwise), and the JSON must carry every measurement with numbers.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('../../bench/bench.js', import.meta.url));
const MEASUREMENTS = ['ciReplayCold', 'ciReplayWarm', 'prePushWarm', 'prePushCold', 'firstCommandCold', 'auditWalkCold', 'auditWhoWarm', 'bundleAuthorWarm', 'bundlePublishWarm', 'peakMemory'];

describe('bench (smoke, --commits 300 --bundles 20 --growth 10,20)', function () {
  this.timeout(120_000);
  let result: Record<string, any>;
  let run: ReturnType<typeof spawnSync>;

  before(function () {
    expect(existsSync(BENCH), `${BENCH} (build first: npx tsc -p tsconfig.json)`).to.equal(true);
    run = spawnSync(process.execPath, [BENCH, '--commits', '300', '--bundles', '20', '--runs', '1', '--growth', '10,20', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  });

  it('exits 0 and prints one JSON document on stdout', function () {
    expect(run.status, String(run.stderr).slice(-4000)).to.equal(0);
    result = JSON.parse(String(run.stdout));
    expect(result.bench).to.equal('csae');
    expect(result.ok).to.equal(true);
  });

  it('generated exactly the requested workload', function () {
    expect(result.generation.commits).to.equal(300);
    expect(result.generation.entries).to.equal(20);
    expect(result.generation.merges).to.be.greaterThan(0);
    expect(result.generation.seconds).to.be.a('number');
    expect(result.generation.canonicalHead).to.match(/^[0-9a-f]{40}$/);
  });

  it('csae verify covered every generated commit after the cutover, and the mirror verified', function () {
    expect(result.checks.verifyPassed).to.equal(true);
    expect(result.checks.verifyCovered).to.equal(298);
    expect(result.checks.mirrorVerifyPassed).to.equal(true);
    expect(result.checks.prePushPassed).to.equal(true);
  });

  it('reports every measurement with numeric values next to its floor', function () {
    for (const k of MEASUREMENTS) {
      const m = result.measurements[k];
      expect(m, k).to.be.an('object');
      for (const f of ['medianMs', 'floorMs', 'ratio', 'peakRssMB']) {
        expect(m[f], `${k}.${f}`).to.be.a('number');
        expect(Number.isFinite(m[f]), `${k}.${f} finite`).to.equal(true);
      }
      expect(m.floorMs, `${k}.floorMs`).to.be.greaterThan(0);
      expect(m.target, `${k}.target`).to.be.a('string');
    }
    for (const [k, v] of Object.entries(result.floors)) expect(v, `floors.${k}`).to.be.a('number');
  });

  it('reports growth per commit and per entry at each size', function () {
    expect(result.growth.map((p: any) => [p.entries, p.commits])).to.deep.equal([
      [10, 100],
      [20, 200],
    ]);
    for (const p of result.growth) for (const f of ['replayColdMs', 'perCommitUs', 'walkColdMs', 'perEntryUs', 'peakRssMB']) expect(p[f], f).to.be.a('number').and.greaterThan(0);
    expect(result.floors.nodeStartupMs).to.be.a('number').and.greaterThan(0);
    for (const k of ['prePushWarm', 'auditWhoWarm', 'bundleAuthorWarm', 'bundlePublishWarm']) expect(result.measurements[k].overFloorMs, k).to.be.a('number');
  });

  it('removed its temporary data (no --keep)', function () {
    expect(result.config.kept).to.equal(false);
    expect(existsSync(result.config.dataDir)).to.equal(false);
  });
});
