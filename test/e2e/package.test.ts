// End to end: csae as an installed package. `npm pack` the built tree, `npm install` the tarball into a
// fresh project, then use it the two ways a team does: as a library (`import { verifyRef } from 'csae'`,
// type-checked by tsc against the shipped .d.ts) and as the CLI whose pre-push hook runs the bundled
// fast path. One pack and one install for the whole suite.
import { expect } from 'chai';
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ceremony, authorWorkstream, mkTemp, run, show, useTempDirs, ROOT, type Ceremony, type Workstream } from '../helpers/gitrepo.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('e2e: the packed package, installed in a fresh project', function () {
  this.timeout(240_000);
  useTempDirs();
  let files: string[] = [];
  let project = '';
  let c: Ceremony;
  let ws: Workstream;
  const env = (): Record<string, string | undefined> => ({ ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });
  const bin = (): string => join(project, 'node_modules', 'csae', 'dist', 'src', 'cli', 'main.js');

  before(async function () {
    const dest = mkTemp('csae-pack-');
    // --ignore-scripts: pack the tree `npm run build` made, without rebuilding it under running tests
    const p = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], { cwd: ROOT, env: env() });
    expect(p.code, show(p)).to.equal(0);
    const packed = (JSON.parse(p.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>)[0]!;
    files = packed.files.map((f) => f.path);
    project = mkTemp('csae-consumer-');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    const i = await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dest, packed.filename)], { cwd: project, env: env() });
    expect(i.code, show(i)).to.equal(0);
  });

  it('ships what the installed CLI needs: the fast-path and CLI bundles, compiled schema validators, shims, templates, types', function () {
    for (const f of ['dist/fast.mjs', 'dist/fast.cjs', 'dist/cli.mjs', 'dist/verify-worker.mjs', 'dist/report-app.js', 'dist/schemas/validators.cjs', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'hooks/pre-push', 'hooks/pre-commit', 'hooks/pre-receive', 'hooks/mirror-pre-receive', 'schemas/bundle.v1.json', 'bundles-template/bundle.md', 'package.json']) {
      expect(files, f).to.include(f);
    }
    expect(files.filter((f) => f.startsWith('dist/test/') || f.startsWith('dist/bench/') || f.startsWith('src/')), 'no tests, bench or sources').to.deep.equal([]);
    const pkg = JSON.parse(readFileSync(join(project, 'node_modules', 'csae', 'package.json'), 'utf8')) as { main: string; types: string; exports: Record<string, { types: string; import: string }> };
    for (const f of [pkg.main, pkg.types, pkg.exports['.']!.types, pkg.exports['.']!.import]) expect(existsSync(join(project, 'node_modules', 'csae', f)), f).to.equal(true);
  });

  it("the installed `csae --version` prints csae's own version, wherever it runs", async function () {
    const r = await run(process.execPath, [bin(), '--version'], { cwd: project, env: env() });
    expect(r.code, show(r)).to.equal(0);
    expect(r.stdout.trim()).to.equal(VERSION);
    const viaBin = await run(join(project, 'node_modules', '.bin', 'csae'), ['--version'], { cwd: project, env: env() });
    expect(viaBin.stdout.trim(), show(viaBin)).to.equal(VERSION);
  });

  it('the library face type-checks in a consumer project (tsc --noEmit against the shipped .d.ts)', async function () {
    writeFileSync(
      join(project, 'use.ts'),
      `import { verifyRef, auditWho, walkMirror, coverageGaps, CsaeError, type Report, type WhoAnswer, type WalkResult, type Diagnosis, type BundlePredicate } from 'csae';
const r: Report = await verifyRef({ dir: '.', ref: 'origin/main' });
const ok: boolean = r.ok;
const d: Diagnosis | undefined = r.refs[0]?.uncovered[0];
const code: string | undefined = d?.code;
const w: WhoAnswer = await auditWho({ dir: '.', commit: 'HEAD' });
const covered: boolean = w.covered;
const m: WalkResult = await walkMirror({ dir: '.', sync: false });
const n: number = m.entries.length;
const g = await coverageGaps({ dir: '.', ref: 'HEAD' });
const gapCount: number = g.gaps.length;
const kind: BundlePredicate['kind'] = 'standard';
// @ts-expect-error ref is a string: the types are real, not any
await verifyRef({ dir: '.', ref: 42 });
// @ts-expect-error dir is required
await auditWho({ commit: 'HEAD' });
const e = new CsaeError('usage', 'x');
export const all = [ok, code, covered, n, gapCount, kind, e.code];
`,
    );
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] }, files: ['use.ts'] }));
    const r = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: project, env: env() });
    expect(r.code, show(r)).to.equal(0);
  });

  describe('on a real ceremony', function () {
    before(async function () {
      c = await ceremony();
      // the installed package's shims replace the repository build's: the push below runs the installed hook
      const h = await run(process.execPath, [bin(), 'hooks', 'install', '--json'], { cwd: c.work, env: c.env });
      expect(h.code, show(h)).to.equal(0);
      ws = await authorWorkstream(c, 'ws-packaged', { branch: 'work/packaged', publish: true });
    });

    it("the installed pre-push hook runs the installed package's bundled fast path", async function () {
      const shim = readFileSync(join(c.work, '.git', 'hooks', 'pre-push'), 'utf8');
      expect(shim).to.include(bin());
      const p = await c.gr(['push', 'origin', 'HEAD:main'], { env: { CSAE_TRACE: '1' } });
      expect(p.code, show(p)).to.equal(0);
      expect(p.stderr).to.match(/csae-trace: @[\d.]+ fast path from dist\/fast\.cjs \(bundled, code cache (written at exit|used)\)/);
      // the code cache the first run wrote is used by the next, and never shipped
      const again = await run(process.execPath, [bin(), 'audit', 'who', 'HEAD'], { cwd: c.work, env: { ...c.env, CSAE_TRACE: '1' } });
      expect(again.stderr, show(again)).to.include('code cache used)');
      // a damaged cache costs a compile, never the answer
      const dist = join(project, 'node_modules', 'csae', 'dist');
      const cache = readdirSync(dist).filter((f) => f.endsWith('.v8cache'));
      expect(cache).to.have.length(1);
      writeFileSync(join(dist, cache[0]!), Buffer.alloc(4096, 7));
      const damaged = await run(process.execPath, [bin(), 'audit', 'who', 'HEAD'], { cwd: c.work, env: { ...c.env, CSAE_TRACE: '1' } });
      expect(damaged.stderr, show(damaged)).to.include('code cache rejected)');
      expect([damaged.code, damaged.stdout]).to.deep.equal([again.code, again.stdout]);
      expect(files.filter((f) => f.includes('v8cache'))).to.deep.equal([]);
    });

    it('import { verifyRef, auditWho, walkMirror } from "csae" answers from the consumer project', async function () {
      writeFileSync(
        join(project, 'ask.mjs'),
        `import { verifyRef, auditWho, walkMirror, CsaeError } from 'csae';
const [dir, commit] = process.argv.slice(2);
const v = await verifyRef({ dir, ref: 'origin/main' });
const w = await auditWho({ dir, commit });
const m = await walkMirror({ dir });
let bad;
try { await verifyRef({ dir: '' }); } catch (e) { bad = { isCsae: e instanceof CsaeError, code: e.code }; }
process.stdout.write(JSON.stringify({ v: { ok: v.ok, ref: v.refs[0].ref, covered: v.refs[0].covered }, w: { covered: w.covered, workstream: w.workstream, seq: w.entry?.seq }, m: { ok: m.ok, entries: m.entries.length }, bad }));
`,
      );
      await c.g(['fetch', '-q', 'origin']);
      const r = await run(process.execPath, [join(project, 'ask.mjs'), c.work, ws.work[0]!], { cwd: project, env: c.env });
      expect(r.code, show(r)).to.equal(0);
      const a = JSON.parse(r.stdout) as { v: { ok: boolean; ref: string; covered: number }; w: { covered: boolean; workstream: string; seq: number }; m: { ok: boolean; entries: number }; bad: { isCsae: boolean; code: string } };
      expect(a.v).to.deep.equal({ ok: true, ref: 'refs/heads/main', covered: ws.work.length + 2 });
      expect(a.w).to.deep.equal({ covered: true, workstream: 'ws-packaged', seq: 1 });
      expect(a.m).to.deep.equal({ ok: true, entries: 1 });
      expect(a.bad).to.deep.equal({ isCsae: true, code: 'usage' });
    });
  });
});
