// `csae verify`: the CI replay of a ref's history (or of a pull request's range) against the policy at
// its trust root, optionally with a SLSA verification summary written beside it.
// Depends on: validate (the decision), sign (the VSA signer). Must not: print or read process state.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from '../context.js';
import { openRepo, type Repo } from '../git/repo.js';
import { CsaeError } from '../core/errors.js';
import { detectCi, type CiPlan } from '../ci/env.js';
import { summaryRows, type SummaryRow } from '../ci/summary.js';
import { fullRefName, resolveRev, splitRange } from '../git/range.js';
import { remoteFor, withCompleteHistory, type DeepenOptions } from '../git/shallow.js';
import { replay, type Report } from '../validate/validate.js';
import { vsaBytes, vsaStatement } from '../validate/vsa.js';
import { signerFor } from './signer.js';

export interface VerifyOptions {
  /** replay the whole history of this ref (default HEAD); the policy is read at its tip */
  ref?: string;
  /** A..B: only the commits of B not in A (a pull request); exclusive with `ref` */
  range?: string;
  /** read the policy (trust root) here instead, e.g. the pull request's base branch */
  policyRef?: string;
  /** also write a SLSA Verification Summary Attestation to this file (relative to ctx.cwd) */
  vsa?: string;
  /** sign the VSA with this Ed25519 key file */
  key?: string;
  /** in a shallow clone, fetch the history a walk reaches the cut of (default true); false: exit 3 */
  deepen?: boolean;
  /** with neither ref nor range: take the check from the CI system's environment (default true) */
  detectCi?: boolean;
  /** also compute the rows of a CI summary (commit → entry → verdicts → confidence) */
  rows?: boolean;
}

export interface VerifyResult {
  report: Report;
  /** the VSA written, when asked for and the replay got far enough to have a basis */
  vsa?: { file: string; signed: boolean };
  /** the CI run the check was taken from, when it was */
  ci?: CiPlan;
  rows?: SummaryRow[];
}

/** A commit id a CI event names: resolved here, or fetched (with its history) from the remote. */
async function ciCommit(repo: Repo, id: string, deepen: DeepenOptions): Promise<string> {
  const have = await repo.git.resolveCommit(id);
  if (have) return have;
  const remote = typeof deepen.remote === 'function' ? await deepen.remote() : deepen.remote;
  if (deepen.deepen && remote) {
    deepen.info?.(`csae: fetching ${id.slice(0, 12)} (named by the CI event) from ${remote}`);
    const err = await repo.git.fetchHistory(remote, [id]);
    const got = err ? null : await repo.git.resolveCommit(id);
    if (got) return got;
  }
  throw new CsaeError('bad-range', `${id} (named by the CI event) is not in this clone${deepen.deepen ? (remote ? ` and ${remote} did not serve it` : ' and there is no remote to fetch it from') : ''}`, {
    next: 'fetch the whole history: actions/checkout with `fetch-depth: 0` (GitLab CI: `GIT_DEPTH: 0`)',
  });
}

export async function verify(ctx: Context, o: VerifyOptions): Promise<VerifyResult> {
  const repo = await openRepo(ctx);
  let report: Report;
  const policyRev = o.policyRef ? await resolveRev(repo.git, o.policyRef) : undefined;
  const ci = !o.ref && !o.range && (o.detectCi ?? true) ? detectCi(ctx.env, (p) => readFileSync(resolve(ctx.cwd, p), 'utf8')) : null;
  const revs = o.range ? Object.values(splitRange(o.range)) : [o.ref ?? 'HEAD'];
  const deepen: DeepenOptions = { deepen: o.deepen ?? true, remote: () => remoteFor(repo.git, revs), info: ctx.info };
  if (ci) {
    const tip = await ciCommit(repo, ci.tip, deepen);
    const base = ci.range ? await ciCommit(repo, ci.range.base, deepen) : undefined;
    const trust = policyRev ?? (ci.policy ? await ciCommit(repo, ci.policy, deepen) : undefined);
    ctx.info(`csae: ${ci.provider} ${ci.event || 'run'}: ${base ? `checking ${base.slice(0, 12)}..${tip.slice(0, 12)} (policy from ${trust?.slice(0, 12)})` : `replaying ${ci.ref} at ${tip.slice(0, 12)}`}`);
    report = await withCompleteHistory(repo.git, deepen, () => replay(repo, { ref: ci.ref, tip, ...(base ? { base } : {}), policyRev: trust }));
  } else if (o.range) {
    const { from, to } = splitRange(o.range);
    const base = await resolveRev(repo.git, from);
    const tip = await resolveRev(repo.git, to);
    const ref = await fullRefName(repo, to);
    report = await withCompleteHistory(repo.git, deepen, () => replay(repo, { ref, tip, base, policyRev: policyRev ?? base }));
  } else {
    const name = o.ref ?? 'HEAD';
    const tip = await resolveRev(repo.git, name);
    const ref = await fullRefName(repo, name);
    report = await withCompleteHistory(repo.git, deepen, () => replay(repo, { ref, tip, policyRev }));
  }
  let vsa: VerifyResult['vsa'];
  if (o.vsa && report.basis) {
    const st = vsaStatement({ report, tip: report.basis.tip, policy: report.basis.policy, chain: report.basis.chain, now: ctx.now() });
    const file = resolve(ctx.cwd, o.vsa);
    writeFileSync(file, await vsaBytes(st, o.key ? await signerFor(ctx, repo, { key: o.key }) : undefined));
    vsa = { file, signed: !!o.key };
  }
  const rows = (o.rows ?? !!ci) ? await summaryRows(repo, report) : undefined;
  const { basis: _basis, ...shown } = report;
  return { report: shown, ...(vsa ? { vsa } : {}), ...(ci ? { ci } : {}), ...(rows ? { rows } : {}) };
}
