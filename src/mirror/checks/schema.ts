// Check 1 (DESIGN §5): the entry file is canonical JCS plus one newline, a DSSE envelope of an in-toto
// statement of the bundle predicate that the schema accepts, its subjects equal range.commits and
// range.head is among them. A file that cannot be read or parsed stops the run (nothing else to check).
import { canonicalize } from '../../core/jcs.js';
import type { CheckOutcome } from '../../core/checks.js';
import { envelopePayload, parseEnvelope, IN_TOTO_PAYLOAD_TYPE, type DsseEnvelope } from '../../core/dsse.js';
import { BUNDLE_PREDICATE, STATEMENT_TYPE, type BundlePredicate, type Statement } from '../../core/statement.js';
import { checkSchema } from '../../schema/validate.js';
import type { ChainStepContext } from './context.js';

export function schema(ctx: ChainStepContext): CheckOutcome {
  if (!ctx.bytes) return { ok: false, stop: true, detail: `entry ${ctx.path} could not be read from the mirror` };
  try {
    ({ statement: ctx.statement, envelope: ctx.envelope } = parseEntry(ctx.bytes, ctx.path));
    return { ok: true };
  } catch (e) {
    return { ok: false, stop: true, detail: `${ctx.path}: ${(e as Error).message}` };
  }
}

type ParsedEntry = { statement: Statement<BundlePredicate>; envelope: DsseEnvelope };

/**
 * NOTE: one parse per entry file read: the chain verifier asks twice for the same bytes (the repair
 * scan, then check 1), and a cold walk of 10,000 entries parsed each one four times. Keyed by the very
 * Buffer read from git (a later read is another object and is parsed again); a failure is remembered too.
 */
const parsed = new WeakMap<Buffer, ParsedEntry | Error>();

/** Check 1 (schema) alone: the canonical entry file parsed, or an Error saying what is wrong. */
export function parseEntry(bytes: Buffer, path: string): ParsedEntry {
  const hit = parsed.get(bytes);
  if (hit instanceof Error) throw hit;
  if (hit) return hit;
  try {
    const r = parseEntryOnce(bytes, path);
    parsed.set(bytes, r);
    return r;
  } catch (e) {
    parsed.set(bytes, e as Error);
    throw e;
  }
}

function parseEntryOnce(bytes: Buffer, path: string): ParsedEntry {
  const text = bytes.toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  if (raw === undefined || canonicalize(raw) + '\n' !== text) throw new Error('the file is not canonical JCS plus one newline');
  const envelope = parseEnvelope(raw, path);
  const envErr = checkSchema('dsse-envelope', envelope);
  if (envErr) throw new Error(`envelope ${envErr}`);
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw new Error(`payloadType ${envelope.payloadType}`);
  const stmt = JSON.parse(envelopePayload(envelope).toString('utf8')) as Statement<BundlePredicate>;
  if (stmt?._type !== STATEMENT_TYPE) throw new Error(`_type is ${JSON.stringify(stmt?._type)}, expected ${STATEMENT_TYPE}`);
  if (stmt.predicateType !== BUNDLE_PREDICATE) throw new Error(`predicateType is ${JSON.stringify(stmt.predicateType)}, expected ${BUNDLE_PREDICATE}`);
  const err = checkSchema('bundle', stmt);
  if (err) throw new Error(`statement ${err}`);
  const subj = stmt.subject.map((s) => s.digest.gitCommit);
  const commits = stmt.predicate.range.commits;
  if (subj.length !== commits.length || subj.some((s, i) => s !== commits[i])) throw new Error('subjects differ from range.commits');
  if (commits.length > 0 && !commits.includes(stmt.predicate.range.head)) throw new Error('range.head is not in range.commits');
  return { statement: stmt, envelope };
}

export function isCanonical(bytes: Buffer): boolean {
  try {
    return canonicalize(JSON.parse(bytes.toString('utf8'))) + '\n' === bytes.toString('utf8');
  } catch {
    return false;
  }
}
