// The audit mirror's on-disk layout (DESIGN §2.4). Pure.
//   entries/<shard:08d>/<seq:012d>.dsse.json   shard = floor(seq / 10000)
//   entries/<shard:08d>/<seq:012d>.md
//   verdicts/sha256-<hex>.dsse.json
//   checkpoints/latest, checkpoints/<size:012d>
export const SHARD_SIZE = 10000;

export function entryPath(seq: number): string {
  const shard = String(Math.floor(seq / SHARD_SIZE)).padStart(8, '0');
  return `entries/${shard}/${String(seq).padStart(12, '0')}.dsse.json`;
}

export function renderingPath(seq: number): string {
  return entryPath(seq).replace(/\.dsse\.json$/, '.md');
}

export function verdictPath(digest: string): string {
  return `verdicts/sha256-${digest.replace(/^sha256:/, '')}.dsse.json`;
}

/** The Sigstore bundle (.sigstore.json) stored beside an entry or verdict envelope (keyless signatures only). */
export function sigstorePath(dssePath: string): string {
  return dssePath.replace(/\.dsse\.json$/, '.sigstore.json');
}

export type PathKind =
  | { kind: 'entry'; seq: number }
  | { kind: 'rendering'; seq: number }
  | { kind: 'verdict'; digest: string }
  | { kind: 'entry-sigstore'; seq: number }
  | { kind: 'verdict-sigstore'; digest: string }
  | { kind: 'checkpoint-latest' }
  | { kind: 'checkpoint'; size: number }
  | { kind: 'other' };

const ENTRY_RE = /^entries\/(\d{8})\/(\d{12})\.(dsse\.json|sigstore\.json|md)$/;
const VERDICT_RE = /^verdicts\/sha256-([0-9a-f]{64})\.(dsse|sigstore)\.json$/;
const CKPT_RE = /^checkpoints\/(\d{12})$/;

export function classifyPath(p: string): PathKind {
  let m = ENTRY_RE.exec(p);
  if (m) {
    const seq = Number(m[2]);
    if (seq < 1 || Math.floor(seq / SHARD_SIZE) !== Number(m[1])) return { kind: 'other' };
    return m[3] === 'md' ? { kind: 'rendering', seq } : m[3] === 'sigstore.json' ? { kind: 'entry-sigstore', seq } : { kind: 'entry', seq };
  }
  if ((m = VERDICT_RE.exec(p))) return m[2] === 'sigstore' ? { kind: 'verdict-sigstore', digest: 'sha256:' + m[1] } : { kind: 'verdict', digest: 'sha256:' + m[1] };
  if (p === 'checkpoints/latest') return { kind: 'checkpoint-latest' };
  if ((m = CKPT_RE.exec(p))) return { kind: 'checkpoint', size: Number(m[1]) };
  return { kind: 'other' };
}
