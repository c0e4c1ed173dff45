// The audit mirror's on-disk layout, version 2 (DESIGN §2.4). Every piece of path knowledge lives here:
// writers (publish, checkpoints, the bench), readers (chain verification, the mirror guard) and tests
// ask these functions, never spell a path themselves. Pure.
//
//   csae-mirror.json                                       {"format":"csae-audit-mirror","layout":2}, first commit
//   entries/<seq/10^6:06d>/<(seq/1000)%1000:03d>/<seq:012d>.dsse.json   (+ .sigstore.json, .md)
//   verdicts/<hex[0:2]>/<hex[2:4]>/sha256-<hex>.dsse.json              (+ .sigstore.json)
//   checkpoints/latest, checkpoints/<size:012d>
//
// No tree holds more than ~1,000 names: an entry leaf directory holds 1,000 seqs (3 files each at most:
// 3,000 names, the one place above 1,000 and still a ~100 KB tree), an entry middle directory 1,000
// leaves, and the verdict fan-out 256 x 256 directories (10,000 verdicts: ~0.15 per leaf directory; a
// million: ~15). So one mirror commit rewrites four or five small trees, and proving that history only
// added files costs git time linear in the number of entries.
import { storedBytes } from '../core/jcs.js';

export const LAYOUT = 2;
export const MARKER_PATH = 'csae-mirror.json';
export const MARKER_FORMAT = 'csae-audit-mirror';
export const CHECKPOINT_LATEST = 'checkpoints/latest';
/** the directory every entry file (and its companions) lives under */
export const ENTRIES_DIR = 'entries';

/** seqs per leaf directory and leaf directories per middle directory */
const PER_DIR = 1000;
const MAX_SEQ = 999_999_999_999; // 12 digits

/** The marker file's bytes (JCS + newline), written by the mirror's first commit. */
export function markerBytes(): Buffer {
  return storedBytes({ format: MARKER_FORMAT, layout: LAYOUT });
}

/**
 * Why the marker bytes do not describe a layout this csae reads, or null when they do. A missing marker
 * (`bytes` undefined) is refused too: layout 1 had none and was never released.
 */
export function markerProblem(bytes: Buffer | undefined): string | null {
  if (!bytes) return `the audit mirror's first commit has no ${MARKER_PATH}: it is not a layout-${LAYOUT} csae mirror (layout 1 is not supported: start a new mirror with this csae)`;
  let j: unknown;
  try {
    j = JSON.parse(bytes.toString('utf8'));
  } catch {
    return `the audit mirror's ${MARKER_PATH} is not JSON; this csae reads mirror layout ${LAYOUT}`;
  }
  const layout = j && typeof j === 'object' && !Array.isArray(j) ? (j as { layout?: unknown }).layout : undefined;
  if (layout === LAYOUT) return null;
  if (typeof layout === 'number' || typeof layout === 'string') return `the audit mirror uses layout ${JSON.stringify(layout)}, which this csae does not read (it reads layout ${LAYOUT}): upgrade csae, or point the policy at a layout-${LAYOUT} mirror`;
  return `the audit mirror's ${MARKER_PATH} names no layout; this csae reads mirror layout ${LAYOUT}`;
}

function seqBase(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1 || seq > MAX_SEQ) throw new RangeError(`entry seq ${seq} is outside 1..${MAX_SEQ}`);
  const top = String(Math.floor(seq / (PER_DIR * PER_DIR))).padStart(6, '0');
  const mid = String(Math.floor(seq / PER_DIR) % PER_DIR).padStart(3, '0');
  return `${ENTRIES_DIR}/${top}/${mid}/${String(seq).padStart(12, '0')}`;
}

/** The directory holding entry `seq` and its companions. */
export function entryDir(seq: number): string {
  const b = seqBase(seq);
  return b.slice(0, b.lastIndexOf('/'));
}

export function entryPath(seq: number): string {
  return seqBase(seq) + '.dsse.json';
}

/** Sigstore bundle of a keyless entry (sigstore tier only). */
export function entrySigstorePath(seq: number): string {
  return seqBase(seq) + '.sigstore.json';
}

/** Human rendering of an entry (never trusted). */
export function renderingPath(seq: number): string {
  return seqBase(seq) + '.md';
}

function verdictBase(digest: string): string {
  const hex = digest.startsWith('sha256:') ? digest.slice(7) : digest;
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new RangeError(`verdict digest ${JSON.stringify(digest)} is not sha256:<64 hex>`);
  return `verdicts/${hex.slice(0, 2)}/${hex.slice(2, 4)}/sha256-${hex}`;
}

export function verdictPath(digest: string): string {
  return verdictBase(digest) + '.dsse.json';
}

export function verdictSigstorePath(digest: string): string {
  return verdictBase(digest) + '.sigstore.json';
}

export function checkpointPath(size: number): string {
  return `checkpoints/${String(size).padStart(12, '0')}`;
}

/** The Sigstore bundle (.sigstore.json) stored beside an entry or verdict envelope (keyless signatures only). */
export function sigstorePath(dssePath: string): string {
  return dssePath.replace(/\.dsse\.json$/, '.sigstore.json');
}

export type PathKind =
  | { kind: 'marker' }
  | { kind: 'entry'; seq: number }
  | { kind: 'entry-sigstore'; seq: number }
  | { kind: 'rendering'; seq: number }
  | { kind: 'verdict'; digest: string }
  | { kind: 'verdict-sigstore'; digest: string }
  | { kind: 'checkpoint-latest' }
  | { kind: 'checkpoint'; size: number }
  | { kind: 'other' };

const ENTRY_RE = /^entries\/(\d{6})\/(\d{3})\/(\d{12})\.(dsse\.json|sigstore\.json|md)$/;
const VERDICT_RE = /^verdicts\/([0-9a-f]{2})\/([0-9a-f]{2})\/sha256-([0-9a-f]{64})\.(dsse\.json|sigstore\.json)$/;
const CKPT_RE = /^checkpoints\/(\d{12})$/;

/** What a mirror path is under layout 2; `other` for anything outside it (including a wrong shard). */
export function classifyPath(p: string): PathKind {
  let m = ENTRY_RE.exec(p);
  if (m) {
    const seq = Number(m[3]);
    if (seq < 1 || seqBase(seq) !== p.slice(0, p.length - m[4]!.length - 1)) return { kind: 'other' };
    return m[4] === 'md' ? { kind: 'rendering', seq } : m[4] === 'sigstore.json' ? { kind: 'entry-sigstore', seq } : { kind: 'entry', seq };
  }
  if ((m = VERDICT_RE.exec(p))) {
    const hex = m[3]!;
    if (hex.slice(0, 2) !== m[1] || hex.slice(2, 4) !== m[2]) return { kind: 'other' };
    return m[4] === 'dsse.json' ? { kind: 'verdict', digest: 'sha256:' + hex } : { kind: 'verdict-sigstore', digest: 'sha256:' + hex };
  }
  if (p === MARKER_PATH) return { kind: 'marker' };
  if (p === CHECKPOINT_LATEST) return { kind: 'checkpoint-latest' };
  if ((m = CKPT_RE.exec(p))) return { kind: 'checkpoint', size: Number(m[1]) };
  return { kind: 'other' };
}

// ---- predicates for path checks elsewhere (the mirror guard, publish, recovery) ----

/** A path layout 2 allows in the mirror at all. */
export function isMirrorPath(p: string): boolean {
  return classifyPath(p).kind !== 'other';
}

/** The one path a later commit may modify (every other path is add-only). */
export function isModifiablePath(p: string): boolean {
  return p === CHECKPOINT_LATEST;
}

/** A signed envelope: an entry or a verdict (`.dsse.json` under the layout). */
export function isEnvelopePath(p: string): boolean {
  const k = classifyPath(p).kind;
  return k === 'entry' || k === 'verdict';
}

/** Files whose bytes chain verification reads: envelopes, their Sigstore bundles, and the marker. */
export function chainReadsBlob(p: string): boolean {
  const k = classifyPath(p).kind;
  return k === 'entry' || k === 'verdict' || k === 'marker' || k === 'entry-sigstore' || k === 'verdict-sigstore';
}
