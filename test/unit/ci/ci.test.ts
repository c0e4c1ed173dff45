// CI environment detection and the CI output formats: pure, no git.
import { expect } from 'chai';
import { detectCi } from '../../../src/ci/env.js';
import { annotations, sarif, stepSummary } from '../../../src/cli/formats.js';
import { isCsaeError, exitCodeFor } from '../../../src/core/errors.js';
import type { Report } from '../../../src/validate/validate.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const S256 = 'd'.repeat(64);

const files = (m: Record<string, string>) => (p: string): string => {
  if (!(p in m)) throw new Error(`ENOENT: ${p}`);
  return m[p]!;
};

function refusal(f: () => unknown): { code: string; exit: number; message: string; next?: string } {
  try {
    f();
  } catch (e) {
    if (!isCsaeError(e)) throw e;
    return { code: e.code, exit: exitCodeFor(e.code), message: e.message, next: e.next };
  }
  throw new Error('expected a refusal');
}

describe('unit: CI detection', () => {
  it('is null outside a CI system', () => {
    expect(detectCi({}, files({}))).to.equal(null);
    expect(detectCi({ CI: 'true' }, files({}))).to.equal(null);
  });

  it('GitHub pull_request: base..head from the event file, the policy from the base, the summary file', () => {
    const env = { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: '/ev.json', GITHUB_STEP_SUMMARY: '/sum.md', GITHUB_SHA: C, GITHUB_REF: 'refs/pull/7/merge' };
    const p = detectCi(env, files({ '/ev.json': JSON.stringify({ pull_request: { base: { sha: A, ref: 'main' }, head: { sha: B, ref: 'feat' } } }) }))!;
    expect(p).to.include({ provider: 'github', event: 'pull_request', ref: 'refs/heads/main', tip: B, policy: A, summaryFile: '/sum.md', annotations: true });
    expect(p.range).to.deep.equal({ base: A, head: B });
  });

  it('GitHub push replays the pushed ref at `after`; merge_group is a range; other events replay GITHUB_SHA', () => {
    const push = detectCi({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: '/p.json' }, files({ '/p.json': JSON.stringify({ ref: 'refs/heads/main', before: A, after: B }) }))!;
    expect(push).to.include({ ref: 'refs/heads/main', tip: B });
    expect(push.range).to.equal(undefined);
    const mg = detectCi({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'merge_group', GITHUB_EVENT_PATH: '/m.json' }, files({ '/m.json': JSON.stringify({ merge_group: { base_sha: A, head_sha: S256, base_ref: 'refs/heads/main' } }) }))!;
    expect(mg.range).to.deep.equal({ base: A, head: S256 });
    const wd = detectCi({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_SHA: C, GITHUB_REF: 'refs/heads/main' }, files({}))!;
    expect(wd).to.include({ ref: 'refs/heads/main', tip: C });
  });

  it('GitHub bad input: missing or unreadable event file, not JSON, missing or malformed shas, a deleting push', () => {
    const gh = { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request' };
    expect(refusal(() => detectCi(gh, files({})))).to.include({ code: 'config', exit: 2 });
    expect(refusal(() => detectCi({ ...gh, GITHUB_EVENT_PATH: '/nope' }, files({})))).to.include({ code: 'io', exit: 3 });
    const notJson = refusal(() => detectCi({ ...gh, GITHUB_EVENT_PATH: '/e' }, files({ '/e': '{not json' })));
    expect(notJson).to.include({ code: 'config', exit: 2 });
    expect(notJson.next).to.contain('--range');
    expect(refusal(() => detectCi({ ...gh, GITHUB_EVENT_PATH: '/e' }, files({ '/e': '[1]' })))).to.include({ code: 'config' });
    const noHead = refusal(() => detectCi({ ...gh, GITHUB_EVENT_PATH: '/e' }, files({ '/e': JSON.stringify({ pull_request: { base: { sha: A } } }) })));
    expect(noHead.message).to.contain('pull_request.head.sha is missing');
    const inj = refusal(() => detectCi({ ...gh, GITHUB_EVENT_PATH: '/e' }, files({ '/e': JSON.stringify({ pull_request: { base: { sha: '--upload-pack=x' }, head: { sha: B } } }) })));
    expect(inj.message).to.contain('not a full commit id');
    const del = refusal(() => detectCi({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: '/e' }, files({ '/e': JSON.stringify({ ref: 'refs/heads/x', before: A, after: '0'.repeat(40) }) })));
    expect(del.code).to.equal('config');
    // a hostile branch name is not taken as a ref label
    const odd = detectCi({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: '/e' }, files({ '/e': JSON.stringify({ pull_request: { base: { sha: A, ref: '../x y' }, head: { sha: B } } }) }))!;
    expect(odd.ref).to.equal(B);
  });

  it('GitLab merge request: diff base..source head, the policy from the target branch; branch pipelines replay the branch', () => {
    const mr = detectCi({ GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: '3', CI_MERGE_REQUEST_DIFF_BASE_SHA: A, CI_COMMIT_SHA: B, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' }, files({}))!;
    expect(mr).to.include({ provider: 'gitlab', ref: 'refs/heads/main', tip: B, policy: A, annotations: false });
    expect(mr.range).to.deep.equal({ base: A, head: B });
    // merged results: CI_COMMIT_SHA is GitLab's merge commit; the source head is what was attested
    const merged = detectCi({ GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_DIFF_BASE_SHA: A, CI_COMMIT_SHA: C, CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: B, CI_MERGE_REQUEST_TARGET_BRANCH_SHA: S256 }, files({}))!;
    expect(merged).to.include({ tip: B, policy: S256 });
    const branch = detectCi({ GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_SHA: C, CI_COMMIT_BRANCH: 'main' }, files({}))!;
    expect(branch).to.include({ ref: 'refs/heads/main', tip: C });
    expect(branch.range).to.equal(undefined);
    expect(refusal(() => detectCi({ GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'merge_request_event', CI_COMMIT_SHA: B }, files({})))).to.include({ code: 'config', exit: 2 });
    expect(refusal(() => detectCi({ GITLAB_CI: 'true', CI_COMMIT_SHA: 'HEAD' }, files({})))).to.include({ code: 'config' });
  });
});

describe('unit: CI formats', () => {
  const report: Report = {
    ok: false,
    refs: [
      {
        ref: 'refs/heads/main',
        old: A,
        new: B,
        ok: false,
        reason: '1 of 3 commit(s) not covered',
        commits: 3,
        covered: 2,
        uncovered: [{ commit: C, subject: 'a|b, 100% <sneaky>\nline', code: 'uncovered', message: 'uncovered commit', next: 'csae audit who ' + C.slice(0, 12) }],
        entries: [],
        chainProblems: [],
      },
    ],
  };

  it('annotations: one ::error per uncovered commit, escaped as GitHub does', () => {
    const a = annotations(report);
    expect(a).to.have.length(1);
    expect(a[0]).to.match(/^::error title=csae%3A uncovered commit c{12}::/);
    expect(a[0]).to.contain(C);
    expect(a[0]).to.contain('100%25');
    expect(a[0]).to.not.contain('\n');
  });

  it('SARIF: every result has a physical location, a rule in the driver, and a per-commit fingerprint', () => {
    const s = sarif(report) as any;
    expect(s.version).to.equal('2.1.0');
    const run = s.runs[0];
    const ids = run.tool.driver.rules.map((r: any) => r.id);
    for (const r of run.results) {
      expect(ids[r.ruleIndex]).to.equal(r.ruleId);
      expect(r.locations[0].physicalLocation.artifactLocation.uri).to.equal('.csae/policy.yaml');
      expect(r.locations[0].physicalLocation.region.startLine).to.be.at.least(1);
      expect(r.message.text).to.be.a('string').and.not.empty;
    }
    expect(run.results[0].partialFingerprints.commit).to.equal(C);
    expect(run.results[0].locations[0].logicalLocations[0].fullyQualifiedName).to.equal(`commit:${C}`);
  });

  it('the step summary is a markdown table whose cells cannot break the table or inject HTML', () => {
    const md = stepSummary(report, [{ commit: C, count: 1, subject: 'a|b <x>', entry: null, verdicts: [], confidence: 'none', diagnosis: { code: 'uncovered', message: 'm', next: 'n' } }]);
    const table = md.split('\n').filter((l) => l.startsWith('|'));
    expect(table[0]).to.equal('| commit | entry | verdicts | confidence |');
    expect(table).to.have.length(3);
    expect(table[2]!.split(/(?<!\\)\|/).length).to.equal(6);
    expect(md).to.not.contain('<x>');
  });
});
