// csae as a library (DESIGN §8): the read side as typed functions, so a GitHub App, a dashboard or
// another tool can verify a ref, walk the mirror, ask who approved a commit or list coverage gaps
// without spawning csae. The CLI is one client of the same src/app/ functions.
//
//   import { verifyRef, auditWho, walkMirror } from 'csae';
//   const r = await verifyRef({ dir: '/path/to/clone', ref: 'origin/main' });
//   if (!r.ok) for (const d of r.refs[0].uncovered) console.log(d.commit, d.code, d.next);
//
// Failures are thrown as CsaeError with a string `code` (see ErrorCode) and `next`; verification
// results that are simply negative (an uncovered commit, a broken chain) are returned with `ok: false`.
// Like the CLI, this face is an edge: when `env` / `now` are not given it uses process.env and the
// system clock, and passes them down explicitly.
import { CsaeError } from './core/errors.js';
import type { Context } from './context.js';
import * as audit from './app/audit.js';
import { verify } from './app/verify.js';
import type { Report } from './validate/validate.js';
import type { WalkResult, WhoAnswer } from './audit/audit.js';
import type { GapsResult, Stranded } from './audit/gaps.js';

export interface RepoOptions {
  /** a directory inside the clone (or the bare repository) to read */
  dir: string;
  /** the environment git runs with (default: process.env) */
  env?: Record<string, string | undefined>;
  /** the clock (default: the system clock) */
  now?: () => Date;
  /** progress lines for humans (default: discarded) */
  info?: (line: string) => void;
}

function context(fn: string, o: RepoOptions): Context {
  if (!o || typeof o !== 'object') throw new CsaeError('usage', `${fn}: pass an options object, e.g. ${fn}({ dir: '/path/to/clone' })`);
  if (typeof o.dir !== 'string' || o.dir === '') throw new CsaeError('usage', `${fn}: \`dir\` must be the path of a git clone`, { next: `${fn}({ dir: '/path/to/clone', ... })` });
  return { cwd: o.dir, env: o.env ?? process.env, now: o.now ?? (() => new Date()), info: o.info ?? (() => {}) };
}

/**
 * The CI replay (`csae verify --ref`): is every commit of `ref` after the cutover covered by a verified,
 * mirrored bundle? Fetches the mirror first; an unreachable mirror throws (code `mirror-unreachable`).
 */
export async function verifyRef(o: RepoOptions & { ref?: string; policyRef?: string }): Promise<Report> {
  return (await verify(context('verifyRef', o), { ref: o.ref ?? 'HEAD', policyRef: o.policyRef })).report;
}

/** A pull request's check (`csae verify --range A..B`): the commits of B not in A, against A's policy by default. */
export async function verifyRange(o: RepoOptions & { range: string; policyRef?: string }): Promise<Report> {
  if (typeof o?.range !== 'string') throw new CsaeError('usage', 'verifyRange: `range` must be "A..B"');
  return (await verify(context('verifyRange', o), { range: o.range, policyRef: o.policyRef })).report;
}

/** `csae audit who`: who authorised `commit`, under which scope and verdict, and who certified it. Offline unless `sync`. */
export async function auditWho(o: RepoOptions & { commit: string; sync?: boolean }): Promise<WhoAnswer> {
  if (typeof o?.commit !== 'string') throw new CsaeError('usage', 'auditWho: `commit` must be a commit id or revision');
  return audit.who(context('auditWho', o), { commit: o.commit, sync: o.sync });
}

/** `csae mirror verify` (sync, the default) or `csae mirror log` (`sync: false`): every entry verified from scratch. */
export async function walkMirror(o: RepoOptions & { sync?: boolean; since?: string }): Promise<WalkResult> {
  return audit.walk(context('walkMirror', o), { sync: o.sync ?? true, since: o.since });
}

/** `csae audit gaps`: commits of `ref` no verified entry covers, and those covered only post hoc or by bypass. */
export async function coverageGaps(o: RepoOptions & { ref?: string }): Promise<GapsResult> {
  return audit.gaps(context('coverageGaps', o), { ref: o.ref });
}

/** `csae audit stranded`: intent registrations no mirrored entry covers. */
export async function strandedIntents(o: RepoOptions): Promise<Stranded[]> {
  return audit.stranded(context('strandedIntents', o));
}

// keyless verification, as the sigstore tier uses it: offline, identity and issuer compared exactly
export { verifySigstoreBundle } from './sign/sigstore/verify.js';
export type { VerifySigstoreInput, VerifySigstoreResult, SigstoreIdentity, SigstoreErrorCode } from './sign/sigstore/verify.js';
export { CsaeError, exitCodeFor, isCsaeError } from './core/errors.js';
export type { ErrorCode, UsageCode, VerifyCode, EnvCode } from './core/errors.js';
// the results
export type { Report, RefReport } from './validate/validate.js';
export type { Diagnosis, DiagnosisCode } from './validate/diagnose.js';
export type { EntryVerdict } from './validate/coverage.js';
export type { Landing, LandedCommit } from './validate/replay.js';
export type { CheckResult, CheckName } from './core/checks.js';
export type { WalkResult, WalkEntry, WhoAnswer } from './audit/audit.js';
export type { GapsResult, Stranded } from './audit/gaps.js';
// the formats (docs/FORMATS.md)
export { STATEMENT_TYPE, VERDICT_PREDICATE, BUNDLE_PREDICATE } from './core/statement.js';
export type { Statement, Subject, VerdictPredicate, VerdictStatus, Defect, Severity, BundlePredicate, BundleKind, VerdictRef, Scope, Claim } from './core/statement.js';
export type { DsseEnvelope, DsseSignature } from './core/dsse.js';
export type { Policy, Role, SignerEntry } from './policy/policy.js';
