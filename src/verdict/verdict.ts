// Verdicts (DESIGN §2.2): a reviewer's signed DSSE envelope over an in-toto Statement whose subjects are
// the reviewed commits. Stored canonically (JCS + newline) under .git/csae/verdicts/ until a bundle
// carries them to the mirror.
import { existsSync, readFileSync } from 'node:fs';
import { storeVerdictFiles } from '../state/verdicts.js';
import { resolve } from 'node:path';
import { CsaeError } from '../core/errors.js';
import { storedBytes } from '../core/jcs.js';
import { sha256Hex } from '../core/digest.js';
import { envelopePayload, parseEnvelope, type DsseEnvelope, IN_TOTO_PAYLOAD_TYPE } from '../core/dsse.js';
import { assertIdentity, assertReason } from '../core/ids.js';
import { rfc3339 } from '../core/time.js';
import { STATEMENT_TYPE, VERDICT_PREDICATE, subjectsFor, type Defect, type Severity, type Statement, type VerdictPredicate } from '../core/statement.js';
import { assertSchema } from '../schema/validate.js';
import { signEnvelope } from '../sign/envelope.js';
import type { SignedMaterial } from '../sign/signer.js';
import type { Signer } from '../sign/signer.js';
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import { resolveRange } from '../git/range.js';

export interface VerdictFile {
  path?: string;
  bytes: Buffer;
  digest: string; // sha256:<hex> of bytes
  envelope: DsseEnvelope;
  statement: Statement<VerdictPredicate>;
  /** the Sigstore bundle stored beside a keyless verdict (`.sigstore.json`) */
  sidecar?: Buffer;
}

/** The stored material a verdict's signature is checked on. */
export function verdictMaterial(v: VerdictFile): SignedMaterial {
  return { envelope: v.envelope, sidecar: v.sidecar ?? null };
}

/** Where the Sigstore bundle of the verdict envelope at `path` lives (beside it). */
export function sidecarPathOf(path: string): string {
  return path.replace(/(\.dsse)?\.json$/, '') + '.sigstore.json';
}

/**
 * Whether a signature may be keyless, so its Sigstore bundle should be read: csae's key and ssh tiers
 * always set a keyid. Only decides what to read, never what to trust.
 */
export function mayBeKeyless(env: DsseEnvelope): boolean {
  return env.signatures.some((s) => !s.keyid);
}

/** "Name <email>" (or just the name) as the verdict's reviewer declared it; bundles carry this string. */
export function reviewerIdentity(p: VerdictPredicate): string {
  return `${p.reviewer.name}${p.reviewer.email ? ` <${p.reviewer.email}>` : ''}`;
}

const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'info'];

export function parseDefect(s: string, i: number): Defect {
  const m = /^([a-z]+):(.+)$/s.exec(s);
  if (!m || !SEVERITIES.includes(m[1] as Severity)) {
    throw new CsaeError('usage', `--defect ${JSON.stringify(s)}: write SEVERITY:TEXT with SEVERITY one of ${SEVERITIES.join(', ')}`);
  }
  return { id: `D${i + 1}`, severity: m[1] as Severity, summary: assertReason(m[2]!.trim(), 'defect text', 2000) };
}

export function parseScore(v: unknown, what: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0) throw new CsaeError('usage', `${what} must be a non-negative number, got ${JSON.stringify(v)}`);
  return n;
}

/** Parse and validate a verdict envelope from bytes read outside. */
export function parseVerdictBytes(raw: Buffer, where: string): VerdictFile {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new CsaeError('schema-invalid', `${where} is not JSON`);
  }
  const envelope = parseEnvelope(json, where);
  assertSchema('dsse-envelope', envelope, where);
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw new CsaeError('schema-invalid', `${where}: payloadType is ${envelope.payloadType}, expected ${IN_TOTO_PAYLOAD_TYPE}`);
  let statement: unknown;
  try {
    statement = JSON.parse(envelopePayload(envelope).toString('utf8'));
  } catch {
    throw new CsaeError('schema-invalid', `${where}: payload is not JSON`);
  }
  assertSchema('verdict', statement, where);
  const bytes = storedBytes(envelope);
  return { bytes, digest: 'sha256:' + sha256Hex(bytes), envelope, statement: statement as Statement<VerdictPredicate> };
}

export function readVerdictFile(path: string): VerdictFile {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new CsaeError('usage', `cannot read verdict file ${path}: ${(e as NodeJS.ErrnoException).code ?? ''}`, { next: 'csae verdict record ... --json prints the path of the verdict it wrote' });
  }
  const v = parseVerdictBytes(raw, path);
  const sc = sidecarPathOf(path);
  if (mayBeKeyless(v.envelope) && existsSync(sc)) v.sidecar = readFileSync(sc);
  return { ...v, path };
}

export function storeVerdict(repo: Repo, v: VerdictFile): string {
  return storeVerdictFiles(repo.stateDir, v.digest.slice(7), v.bytes, v.sidecar);
}

export interface RecordOptions {
  range: string;
  status: string;
  score: unknown;
  floor: unknown;
  defects?: string[];
  summary?: string;
  method?: string;
  uri?: string;
  reviewer?: string;
}

export async function recordVerdict(ctx: Context, repo: Repo, o: RecordOptions, signer: Signer): Promise<VerdictFile & { path: string }> {
  if (o.status !== 'pass' && o.status !== 'fail') throw new CsaeError('usage', `--status must be pass or fail, got ${JSON.stringify(o.status)}`);
  const score = parseScore(o.score, '--score');
  const floor = parseScore(o.floor, '--floor');
  if (o.status === 'pass' && score < floor) throw new CsaeError('usage', `a pass verdict needs score >= floor (${score} < ${floor}); record --status fail instead`);
  const defects = (o.defects ?? []).map(parseDefect);
  const method = o.method ?? 'structured-review';
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(method)) throw new CsaeError('usage', `--method ${JSON.stringify(method)}: use a short lowercase token like structured-review`);
  const reviewerId = assertIdentity(o.reviewer ?? (await repo.git.operatorIdentity()), 'reviewer');
  const m = /^(.*) <(.*)>$/.exec(reviewerId)!;
  const { base, head, commits } = await resolveRange(repo.git, o.range);
  if (commits.length === 0) throw new CsaeError('bad-range', `range ${o.range} contains no commits`);
  const predicate: VerdictPredicate = {
    reviewer: { name: m[1]!, email: m[2]! },
    method,
    range: { base, head },
    score,
    floor,
    status: o.status,
    defects,
    summary: o.summary ? assertReason(o.summary, 'summary') : `${o.status} at ${score}/${floor} over ${commits.length} commit(s)`,
    reviewedAt: rfc3339(ctx.now()),
    ...(o.uri ? { uri: assertReason(o.uri, 'uri') } : {}),
  };
  const statement: Statement<VerdictPredicate> = { _type: STATEMENT_TYPE, subject: subjectsFor(commits), predicateType: VERDICT_PREDICATE, predicate };
  assertSchema('verdict', statement, 'new verdict');
  const signed = await signEnvelope(statement, signer);
  const envelope = signed.envelope;
  const bytes = storedBytes(envelope);
  const v: VerdictFile = { bytes, digest: 'sha256:' + sha256Hex(bytes), envelope, statement, ...(signed.sidecar ? { sidecar: signed.sidecar } : {}) };
  const path = storeVerdict(repo, v);
  ctx.info(`recorded ${o.status} verdict ${score}/${floor} over ${commits.length} commit(s): ${path}`);
  return { ...v, path };
}

export function importVerdict(ctx: Context, repo: Repo, file: string): VerdictFile & { path: string } {
  const v = readVerdictFile(resolve(ctx.cwd, file));
  const path = storeVerdict(repo, v);
  ctx.info(`imported verdict ${v.digest} (${v.statement.predicate.status} ${v.statement.predicate.score}/${v.statement.predicate.floor}) to ${path}`);
  return { ...v, path };
}
