// The auditor's questions, one function per command: `audit walk|who|gaps|stranded|report`, and
// `mirror verify|log|checkpoint|prove`. Each opens the repository and resolves the policy once
// (policyfile.ts: the work tree's, else HEAD's for the audits), then calls the domain with it.
// Depends on: audit, mirror, sign (checkpoint signer). Must not: print or read process state.
import { resolve } from 'node:path';
import type { Context } from '../context.js';
import { openRepo } from '../git/repo.js';
import { fullRefName } from '../git/range.js';
import { auditWalk, auditWho, type WalkResult, type WhoAnswer } from '../audit/audit.js';
import { auditReport, type ReportResult } from '../audit/report.js';
import { auditGaps, auditStranded, type GapsResult, type Stranded } from '../audit/gaps.js';
import { checkpoint as signCheckpoint, cosign as cosignCheckpoint, prove as proveEntry } from '../mirror/ops.js';
import { signerFor, type SignerOptions } from './signer.js';
import { auditedPolicy, workingPolicy } from './policyfile.js';

/** `audit who`: who authorised `commit`, under which scope and verdict. Offline unless `sync`. */
export async function who(ctx: Context, o: { commit: string; sync?: boolean }): Promise<WhoAnswer> {
  const repo = await openRepo(ctx);
  return auditWho(ctx, repo, await auditedPolicy(repo), o.commit, { sync: o.sync ?? false });
}

/**
 * `audit walk` / `mirror verify` (sync: fetch the mirror first) / `mirror log` (no sync): every entry
 * verified from scratch, with its verdicts and the checkpoints; `since` is a checkpoint kept earlier.
 */
export async function walk(ctx: Context, o: { sync?: boolean; since?: string } = {}): Promise<WalkResult> {
  const repo = await openRepo(ctx);
  return auditWalk(ctx, repo, await auditedPolicy(repo), { sync: o.sync ?? true, since: o.since ? resolve(ctx.cwd, o.since) : undefined });
}

/** `audit gaps`: the commits of `ref` no verified entry covers, and those covered only post hoc or by bypass. */
export async function gaps(ctx: Context, o: { ref?: string }): Promise<GapsResult> {
  const repo = await openRepo(ctx);
  const ref = o.ref ?? 'HEAD';
  return auditGaps(ctx, repo, await auditedPolicy(repo), ref, await fullRefName(repo, ref));
}

/** `audit stranded`: intent registrations on any ref that no mirrored entry covers. */
export async function stranded(ctx: Context): Promise<Stranded[]> {
  const repo = await openRepo(ctx);
  return auditStranded(ctx, repo, await auditedPolicy(repo));
}

/** `audit report --html FILE`: one self-verifying page; coverage of `refs` (default: the protected refs). */
export async function report(ctx: Context, o: { html: string; refs?: string[]; sync?: boolean }): Promise<ReportResult> {
  const repo = await openRepo(ctx);
  const refs = o.refs?.length ? await Promise.all(o.refs.map(async (r) => ({ rev: r, ref: await fullRefName(repo, r) }))) : undefined;
  return auditReport(ctx, repo, await auditedPolicy(repo), { file: resolve(ctx.cwd, o.html), ...(refs ? { refs } : {}), ...(o.sync === undefined ? {} : { sync: o.sync }) });
}

/** `mirror checkpoint`: sign the Merkle root over all entries and append it to the mirror. */
export async function checkpoint(ctx: Context, o: SignerOptions): Promise<{ size: number; root: string; note: string; commit: string }> {
  const repo = await openRepo(ctx);
  const signer = await signerFor(ctx, repo, o);
  return signCheckpoint(ctx, repo, workingPolicy(repo), signer);
}

/** `mirror cosign --key K`: a witness cosigns the latest checkpoint after its consistency check. */
export async function cosign(ctx: Context, o: SignerOptions): ReturnType<typeof cosignCheckpoint> {
  const repo = await openRepo(ctx);
  const signer = await signerFor(ctx, repo, o);
  return cosignCheckpoint(ctx, repo, workingPolicy(repo), signer);
}

/** `mirror prove SEQ|COMMIT`: an inclusion proof in the latest checkpoint. */
export async function prove(ctx: Context, o: { what: string }): ReturnType<typeof proveEntry> {
  const repo = await openRepo(ctx);
  return proveEntry(ctx, repo, workingPolicy(repo), o.what);
}
