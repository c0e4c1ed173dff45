// A simulated GitHub Actions pull-request run and a GitLab merge-request pipeline: the real csae binary
// with the CI system's environment (event file, step summary file), in a depth-1 clone as
// actions/checkout makes it by default. Asserts the exit code, the step summary's table, the ::error
// annotations, SARIF (structure and locations) and JUnit.
import { expect } from 'chai';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT, authorWorkstream, ceremony, parseJson, run, show, useTempDirs, type Ceremony } from '../helpers/gitrepo.js';

describe('e2e: csae verify in GitHub Actions and GitLab CI', function () {
  this.timeout(180000);
  useTempDirs();
  let c: Ceremony;
  let base: string;
  let attested: string;
  let extra: string;
  let clone: string;

  before(async () => {
    c = await ceremony();
    base = c.genesis;
    const ws = await authorWorkstream(c, 'ws-pr', { branch: 'feat', n: 2, publish: true });
    attested = ws.attestation;
    extra = await c.commit('extra.txt', 'not reviewed\n', 'an unreviewed extra commit');
    const p = await c.gr(['push', '-q', 'origin', 'feat']);
    expect(p.code, show(p)).to.equal(0);
    // what actions/checkout does by default: one commit, no history
    clone = join(c.root, 'checkout');
    await c.git.ok(c.root, ['clone', '-q', '--depth', '1', '--branch', 'feat', `file://${c.canon}`, clone]);
  });

  function githubEnv(head: string, name: string): Record<string, string> {
    const event = join(c.root, `${name}.event.json`);
    writeFileSync(event, JSON.stringify({ action: 'synchronize', number: 1, pull_request: { number: 1, base: { ref: 'main', sha: base }, head: { ref: 'feat', sha: head } } }));
    const summary = join(c.root, `${name}.summary.md`);
    writeFileSync(summary, '');
    return { GITHUB_ACTIONS: 'true', CI: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_STEP_SUMMARY: summary, GITHUB_SHA: head, GITHUB_REF: 'refs/pull/1/merge' };
  }

  it('a pull request with an unreviewed commit: exit 1, summary table, one ::error naming it, SARIF with locations, JUnit', async () => {
    const env = githubEnv(extra, 'reject');
    const sarifFile = join(c.root, 'csae.sarif');
    const junitFile = join(c.root, 'csae.xml');
    const r = await c.csae(['verify', '--json', '--sarif', sarifFile, '--junit', junitFile], { cwd: clone, env });
    expect(r.code, show(r)).to.equal(1);
    // the depth-1 checkout lacked the base: fetched with the history the check needed
    expect(await c.git.ok(clone, ['rev-parse', '--is-shallow-repository'])).to.equal('false');
    const j = parseJson(r);
    expect(j.refs[0].ref).to.equal('refs/heads/main');
    expect(j.refs[0].old).to.equal(base);
    expect(j.refs[0].new).to.equal(extra);
    expect(j.refs[0].uncovered.map((d: any) => d.commit)).to.deep.equal([extra]);
    // annotations: exactly one, naming the commit
    const errs = r.stderr.split('\n').filter((l) => l.startsWith('::error'));
    expect(errs, r.stderr).to.have.length(1);
    expect(errs[0]).to.contain(extra);
    // the step summary: verdict, then commit → entry → verdicts → confidence
    const md = readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8');
    expect(md).to.contain('❌ rejected');
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    expect(rows[0]).to.equal('| commit | entry | verdicts | confidence |');
    const uncov = rows.find((l) => l.includes(extra.slice(0, 12)))!;
    expect(uncov).to.contain('uncovered').and.to.match(/\| none \|$/);
    const entry = rows.find((l) => l.includes('ws-pr'))!;
    expect(entry).to.contain('#1 standard').and.to.contain('✅').and.to.match(/pass 8\/7 by /).and.to.match(/\| attested \|$/);
    // SARIF, structurally: every result locates a file in the checkout and names a rule of the driver
    const s = JSON.parse(readFileSync(sarifFile, 'utf8'));
    expect(s.version).to.equal('2.1.0');
    const run = s.runs[0];
    expect(run.results).to.have.length(1);
    for (const res of run.results) {
      expect(run.tool.driver.rules[res.ruleIndex].id).to.equal(res.ruleId);
      const loc = res.locations[0].physicalLocation;
      expect(existsSync(join(clone, loc.artifactLocation.uri)), loc.artifactLocation.uri).to.equal(true);
      expect(loc.region.startLine).to.be.at.least(1);
      expect(res.partialFingerprints.commit).to.equal(extra);
    }
    // JUnit: one failing case, the unreviewed commit
    const xml = readFileSync(junitFile, 'utf8');
    expect(xml).to.match(/^<\?xml/);
    expect(xml.match(/<failure /g)).to.have.length(1);
    expect(xml).to.contain(`name="${extra} an unreviewed extra commit"`);
  });

  it('a pull request of attested work only: exit 0, a passing summary, no annotations', async () => {
    const env = githubEnv(attested, 'pass');
    const r = await c.csae(['verify'], { cwd: clone, env });
    expect(r.code, show(r)).to.equal(0);
    expect(r.stderr).to.not.contain('::error');
    const md = readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8');
    expect(md).to.contain('✅ covered');
    expect(md).to.match(/\| `[0-9a-f]{12}` \(4 commit\(s\)\) \| #1 standard `ws-pr` ✅ \| pass 8\/7 by [^|]+ \| attested \|/);
  });

  it('under GitHub Actions an explicit --range (the action\'s args) still writes the summary and the annotations', async () => {
    const env = githubEnv(attested, 'explicit');
    const r = await c.csae(['verify', '--range', `${base}..${extra}`, '--policy-ref', base], { cwd: clone, env });
    expect(r.code, show(r)).to.equal(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('::error') && l.includes(extra))).to.have.length(1);
    expect(readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8')).to.contain('❌ rejected');
    const quiet = await c.csae(['verify', '--range', `${base}..${extra}`, '--no-ci'], { cwd: clone, env: githubEnv(attested, 'noci') });
    expect(quiet.code).to.equal(1);
    expect(quiet.stderr).to.not.contain('::error');
  });

  it('a GitLab merge-request pipeline: the range from CI_MERGE_REQUEST_DIFF_BASE_SHA..CI_COMMIT_SHA, no GitHub output', async () => {
    const env = { GITLAB_CI: 'true', CI: 'true', CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: '1', CI_MERGE_REQUEST_DIFF_BASE_SHA: base, CI_COMMIT_SHA: extra, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' };
    const r = await c.csae(['verify', '--json'], { cwd: clone, env });
    expect(r.code, show(r)).to.equal(1);
    const j = parseJson(r);
    expect(j.refs[0]).to.include({ ref: 'refs/heads/main', old: base, new: extra, covered: 4 });
    expect(j.refs[0].uncovered.map((d: any) => d.commit)).to.deep.equal([extra]);
    expect(r.stderr).to.not.contain('::error');
    const ok = await c.csae(['verify', '--json'], { cwd: clone, env: { ...env, CI_COMMIT_SHA: attested } });
    expect(ok.code, show(ok)).to.equal(0);
  });

  it('a CI event naming a commit the remote does not have: exit 2 naming fetch-depth: 0', async () => {
    const env = githubEnv('e'.repeat(40), 'missing');
    const r = await c.csae(['verify', '--json'], { cwd: clone, env });
    expect(r.code, show(r)).to.equal(2);
    const j = parseJson(r);
    expect(j.error.code).to.equal('bad-range');
    expect(j.error.next).to.contain('fetch-depth: 0');
  });

  it("action.yml: a composite action whose steps splice no input into a script; its verify step, run as the runner runs it, rejects the pull request", async () => {
    const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
    expect(action.runs.using).to.equal('composite');
    for (const st of action.runs.steps) if (st.run) {
      expect(st.shell).to.equal('bash');
      expect(st.run, 'no ${{ }} expression inside a script (script injection)').to.not.match(/\$\{\{/);
    }
    const step = action.runs.steps.find((x: any) => x.id === 'verify');
    const inputs: Record<string, string> = Object.fromEntries(Object.entries(action.inputs).map(([k, v]: [string, any]) => [k, v.default]));
    const expr = (t: string): string => t.replace(/\$\{\{\s*(inputs|github)\.([\w-]+)\s*\}\}/g, (_m, ns: string, k: string) => (ns === 'inputs' ? inputs[k]! : k === 'action_path' ? ROOT : ''));
    const outputs = join(c.root, 'github-output');
    writeFileSync(outputs, '');
    const env: Record<string, string> = { ...c.env, ...githubEnv(extra, 'action'), GITHUB_OUTPUT: outputs };
    for (const [k, v] of Object.entries(step.env as Record<string, string>)) env[k] = expr(v);
    const r = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd: join(clone, expr(step['working-directory'])), env });
    expect(r.code, show(r)).to.equal(1);
    expect(readFileSync(outputs, 'utf8')).to.contain('exit-code=1');
    expect(r.stderr.split('\n').filter((l) => l.startsWith('::error'))).to.have.length(1);
    const s = JSON.parse(readFileSync(join(clone, inputs.sarif!), 'utf8'));
    expect(s.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).to.equal('.csae/policy.yaml');
    expect(existsSync(join(clone, inputs.junit!))).to.equal(true);
    expect(readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8')).to.contain('| commit | entry | verdicts | confidence |');
  });
});
