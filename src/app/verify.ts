// `csae verify`: the CI replay of a ref's history (or of a pull request's range) against the policy at
// its trust root, optionally with a SLSA verification summary written beside it.
// Depends on: validate (the decision), sign (the VSA signer). Must not: print or read process state.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from '../context.js';
import { openRepo } from '../git/repo.js';
import { fullRefName, resolveRev, splitRange } from '../git/range.js';
import { remoteFor, withCompleteHistory } from '../git/shallow.js';
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
}

export interface VerifyResult {
  report: Report;
  /** the VSA written, when asked for and the replay got far enough to have a basis */
  vsa?: { file: string; signed: boolean };
}

export async function verify(ctx: Context, o: VerifyOptions): Promise<VerifyResult> {
  const repo = await openRepo(ctx);
  let report: Report;
  const policyRev = o.policyRef ? await resolveRev(repo.git, o.policyRef) : undefined;
  const revs = o.range ? Object.values(splitRange(o.range)) : [o.ref ?? 'HEAD'];
  const deepen = { deepen: o.deepen ?? true, remote: () => remoteFor(repo.git, revs), info: ctx.info };
  if (o.range) {
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
  const { basis: _basis, ...shown } = report;
  return { report: shown, ...(vsa ? { vsa } : {}) };
}
