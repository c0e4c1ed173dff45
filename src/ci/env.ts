// Which check a CI run asks for, read from the CI system's environment: GitHub Actions (the event file
// GITHUB_EVENT_PATH names, GITHUB_EVENT_NAME) and GitLab CI (CI_PIPELINE_SOURCE, CI_MERGE_REQUEST_*,
// CI_COMMIT_*). A pull or merge request is the range base..head with the policy read at the base (the
// trust root: never from the commits under review); anything else replays the pushed ref's history.
// Pure: the environment and a file reader come in, a plan or a typed error (exit 2) comes out.
import { CsaeError } from '../core/errors.js';

export type CiProvider = 'github' | 'gitlab';

export interface CiPlan {
  provider: CiProvider;
  /** the CI system's name for what triggered the run (pull_request, push, merge_request_event, ...) */
  event: string;
  /** a pull/merge request: check the commits of head not in base, the policy read at `policy` */
  range?: { base: string; head: string };
  /** the protected ref the check is about: the pushed ref, or the request's target branch */
  ref: string;
  tip: string;
  /** the trust root for a request: the base branch's commit */
  policy?: string;
  /** where GitHub wants the markdown job summary (GITHUB_STEP_SUMMARY) */
  summaryFile?: string;
  /** `::error` workflow commands are understood (GitHub Actions) */
  annotations: boolean;
  /** a link to the run, for the summary */
  runUrl?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const ZERO = /^0+$/;

function sha(v: unknown, what: string, source: string): string {
  if (typeof v !== 'string' || !SHA.test(v)) {
    throw new CsaeError('config', `${source}: ${what} is ${v === undefined ? 'missing' : `not a full commit id (${JSON.stringify(String(v).slice(0, 80))})`}`, {
      next: 'run csae verify with an explicit --range BASE..HEAD --policy-ref BASE (or --ref REF) instead',
    });
  }
  return v;
}

function refName(v: string | undefined): string | undefined {
  if (!v) return undefined;
  // a ref name as git would accept it in a replay label; anything odd is left to the explicit flags
  return /^refs\/[A-Za-z0-9._/-]{1,200}$/.test(v) && !v.includes('..') ? v : undefined;
}

/** The CI system and the check it asks for, or null outside a recognised CI system. */
export function detectCi(env: Env, readFile: (path: string) => string): CiPlan | null {
  if (env.GITHUB_ACTIONS === 'true') return github(env, readFile);
  if (env.GITLAB_CI === 'true') return gitlab(env);
  return null;
}

function github(env: Env, readFile: (path: string) => string): CiPlan {
  const event = env.GITHUB_EVENT_NAME ?? '';
  const common = {
    provider: 'github' as const,
    event,
    annotations: true,
    ...(env.GITHUB_STEP_SUMMARY ? { summaryFile: env.GITHUB_STEP_SUMMARY } : {}),
    ...(env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? { runUrl: `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` } : {}),
  };
  const needsPayload = event === 'pull_request' || event === 'pull_request_target' || event === 'merge_group' || event === 'push';
  let payload: Record<string, any> = {};
  if (needsPayload) {
    const path = env.GITHUB_EVENT_PATH;
    if (!path) throw new CsaeError('config', `GitHub Actions ${event} run without GITHUB_EVENT_PATH: the event's base and head are unknown`, { next: 'run csae verify with --range BASE..HEAD --policy-ref BASE' });
    let text: string;
    try {
      text = readFile(path);
    } catch (e) {
      throw new CsaeError('io', `cannot read the GitHub event file ${path}: ${(e as Error).message}`, { cause: e, next: 'run csae verify with --range BASE..HEAD --policy-ref BASE' });
    }
    try {
      const p: unknown = JSON.parse(text);
      if (!p || typeof p !== 'object' || Array.isArray(p)) throw new Error('not a JSON object');
      payload = p as Record<string, any>;
    } catch (e) {
      throw new CsaeError('config', `the GitHub event file ${path} is not a JSON object (${(e as Error).message})`, { next: 'run csae verify with --range BASE..HEAD --policy-ref BASE' });
    }
  }
  const src = `GitHub ${event} event`;
  if (event === 'pull_request' || event === 'pull_request_target') {
    // NOTE: the pull request's own head, not GITHUB_SHA: that is a merge commit GitHub made, which no
    // bundle covers; and the policy from the base branch, never from the commits under review
    const base = sha(payload.pull_request?.base?.sha, 'pull_request.base.sha', src);
    const head = sha(payload.pull_request?.head?.sha, 'pull_request.head.sha', src);
    return { ...common, range: { base, head }, ref: branchRef(payload.pull_request?.base?.ref) ?? head, tip: head, policy: base };
  }
  if (event === 'merge_group') {
    const base = sha(payload.merge_group?.base_sha, 'merge_group.base_sha', src);
    const head = sha(payload.merge_group?.head_sha, 'merge_group.head_sha', src);
    return { ...common, range: { base, head }, ref: refName(payload.merge_group?.base_ref) ?? head, tip: head, policy: base };
  }
  const tip = sha(event === 'push' ? payload.after : env.GITHUB_SHA, event === 'push' ? 'after' : 'GITHUB_SHA', event === 'push' ? src : 'GitHub Actions');
  if (ZERO.test(tip)) throw new CsaeError('config', `${src}: the push deleted ${env.GITHUB_REF ?? 'the ref'}; nothing to verify`, { next: 'nothing to do (protected refs refuse deletion at push time)' });
  // a push replays the whole ref: the required check re-judges all of its history, so a force-push or a
  // bypass anywhere below `before` is still seen
  return { ...common, ref: refName(payload.ref) ?? refName(env.GITHUB_REF) ?? tip, tip };
}

function gitlab(env: Env): CiPlan {
  const event = env.CI_PIPELINE_SOURCE ?? '';
  const common = { provider: 'gitlab' as const, event, annotations: false, ...(env.CI_PIPELINE_URL ? { runUrl: env.CI_PIPELINE_URL } : {}) };
  if (env.CI_MERGE_REQUEST_IID || event === 'merge_request_event') {
    const src = 'GitLab merge request pipeline';
    const base = sha(env.CI_MERGE_REQUEST_DIFF_BASE_SHA, 'CI_MERGE_REQUEST_DIFF_BASE_SHA', src);
    // merged-results pipelines run on a merge commit GitLab made (CI_COMMIT_SHA): check the source
    // branch's head instead, which is what was attested
    const head = sha(env.CI_MERGE_REQUEST_SOURCE_BRANCH_SHA || env.CI_COMMIT_SHA, env.CI_MERGE_REQUEST_SOURCE_BRANCH_SHA ? 'CI_MERGE_REQUEST_SOURCE_BRANCH_SHA' : 'CI_COMMIT_SHA', src);
    const policy = env.CI_MERGE_REQUEST_TARGET_BRANCH_SHA ? sha(env.CI_MERGE_REQUEST_TARGET_BRANCH_SHA, 'CI_MERGE_REQUEST_TARGET_BRANCH_SHA', src) : base;
    return { ...common, range: { base, head }, ref: branchRef(env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME) ?? head, tip: head, policy };
  }
  const tip = sha(env.CI_COMMIT_SHA, 'CI_COMMIT_SHA', 'GitLab CI');
  return { ...common, ref: branchRef(env.CI_COMMIT_BRANCH) ?? tip, tip };
}

function branchRef(name: unknown): string | undefined {
  return typeof name === 'string' ? refName(`refs/heads/${name}`) : undefined;
}
