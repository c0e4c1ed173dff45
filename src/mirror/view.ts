// Read access to a verified chain, as the validator needs it: who first lists a commit, an entry by seq,
// a verdict's blob. Two implementations answer identically: one over an in-memory ChainResult, and one
// over the verified index's lookup files, so a push of ten commits reads a few records instead of
// parsing an index of every entry (10,000 entries: ~500 ms of a pre-push hook otherwise).
//
// Files under .git/csae/ (written after every successful verification; never trusted beyond their key):
//   claims.idx     sorted fixed-width records "<commit id padded to 64> <seq 12d>\n" (78 bytes): the first
//                  entry listing each commit — the only one that can cover it (check 5 excludes commits
//                  listed earlier from every later entry's range)
//   entries.jsonl  one line per seq from 1, in seq order: a JSON VerifiedEntry (+ its verdicts' blob ids),
//                  or `null` for a seq that is void (named as a break by a repair entry: it covers nothing)
//   entries.off    fixed-width "<byte offset 15d>\n" (16 bytes) per line of entries.jsonl, plus the end
//   index-head.json  {version, key, head, count}: which mirror head and policy the files describe (count:
//                  lines of entries.jsonl, the last seq)
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { writeAtomic } from '../state/atomic.js';
import { join } from 'node:path';
import type { ChainProblem, ChainResult, VerifiedEntry } from './chain.js';

export interface ChainView {
  readonly head: string | null;
  readonly intact: boolean;
  readonly problems: readonly ChainProblem[];
  /** seq of the first verified entry listing `commit` */
  firstClaim(commit: string): number | undefined;
  entry(seq: number): VerifiedEntry | undefined;
  verdictBlob(digest: string): string | undefined;
  /** the whole chain (diagnoses, rewrites, VSA): loaded on demand */
  full(): Promise<ChainResult>;
}

export function memoryView(chain: ChainResult): ChainView {
  let first: Map<string, number> | null = null;
  const bySeq = new Map(chain.entries.map((e) => [e.seq, e]));
  return {
    head: chain.head,
    intact: chain.intact,
    problems: chain.problems,
    firstClaim(c) {
      if (!first) {
        first = new Map();
        for (const e of chain.entries) for (const x of e.predicate.range.commits) if (!first.has(x)) first.set(x, e.seq);
      }
      return first.get(c);
    },
    entry: (seq) => bySeq.get(seq),
    verdictBlob: (d) => chain.verdicts[d],
    full: async () => chain,
  };
}

const REC = 78;
const ID_W = 64;
const OFF = 16;
const VIEW_VERSION = 2;

interface Line {
  e: VerifiedEntry;
  vb: Record<string, string>;
}

export function writeIndexFiles(dir: string, key: string, chain: ChainResult): void {
  const first = new Map<string, number>();
  for (const e of chain.entries) for (const x of e.predicate.range.commits) if (!first.has(x)) first.set(x, e.seq);
  const ids = [...first.keys()].map((id) => id.padEnd(ID_W, ' ')).sort();
  const claims = Buffer.alloc(ids.length * REC);
  ids.forEach((id, i) => claims.write(`${id} ${String(first.get(id.trimEnd())).padStart(12, '0')}\n`, i * REC, 'latin1'));
  const lines: string[] = [];
  const offs: string[] = [];
  let pos = 0;
  // NOTE: one line per seq, voided ones included: the line of seq k is line k (a repaired break leaves a
  // hole in chain.entries, and every later entry would otherwise be looked up at the wrong line)
  const bySeq = new Map(chain.entries.map((e) => [e.seq, e]));
  const count = Math.max(chain.lastSeq, chain.entries[chain.entries.length - 1]?.seq ?? 0);
  for (let seq = 1; seq <= count; seq++) {
    const e = bySeq.get(seq);
    const vb: Record<string, string> = {};
    for (const v of e?.predicate.verdicts ?? []) if (chain.verdicts[v.digest]) vb[v.digest] = chain.verdicts[v.digest]!;
    const line = (e ? JSON.stringify({ e, vb } satisfies Line) : 'null') + '\n';
    offs.push(String(pos).padStart(OFF - 1, '0') + '\n');
    pos += Buffer.byteLength(line);
    lines.push(line);
  }
  offs.push(String(pos).padStart(OFF - 1, '0') + '\n');
  const w = (name: string, data: string | Buffer): void => {
    writeAtomic(join(dir, name), data);
  };
  // head last: the files only count once the head that names them is in place
  w('claims.idx', claims);
  w('entries.jsonl', lines.join(''));
  w('entries.off', offs.join(''));
  w('index-head.json', JSON.stringify({ version: VIEW_VERSION, key, head: chain.head, count }));
}

/** The view over the lookup files, or null when they are missing, stale or describe another mirror head. */
export function openIndexedView(dir: string, key: string, head: string, full: () => Promise<ChainResult>): ChainView | null {
  let meta: { version: number; key: string; head: string; count: number };
  let claims: Buffer;
  let offs: Buffer;
  try {
    meta = JSON.parse(readFileSync(join(dir, 'index-head.json'), 'utf8')) as typeof meta;
    if (meta.version !== VIEW_VERSION || meta.key !== key || meta.head !== head) return null;
    claims = readFileSync(join(dir, 'claims.idx'));
    offs = readFileSync(join(dir, 'entries.off'));
    if (claims.length % REC !== 0 || offs.length !== (meta.count + 1) * OFF) return null;
  } catch {
    return null;
  }
  const n = claims.length / REC;
  const cache = new Map<number, Line | null>();
  const line = (seq: number): Line | null => {
    if (cache.has(seq)) return cache.get(seq)!;
    let out: Line | null = null;
    if (Number.isInteger(seq) && seq >= 1 && seq <= meta.count) {
      const at = (k: number): number => Number(offs.toString('latin1', k * OFF, k * OFF + OFF - 1));
      const start = at(seq - 1);
      const len = at(seq) - start;
      const buf = Buffer.alloc(len);
      const fd = openSync(join(dir, 'entries.jsonl'), 'r');
      try {
        readSync(fd, buf, 0, len, start);
      } finally {
        closeSync(fd);
      }
      try {
        out = JSON.parse(buf.toString('utf8')) as Line | null;
        if (out && out.e?.seq !== seq) out = null;
      } catch {
        out = null;
      }
    }
    cache.set(seq, out);
    return out;
  };
  const vb = new Map<string, string>();
  let whole: ChainResult | null = null;
  return {
    head,
    intact: true,
    problems: [],
    firstClaim(c) {
      const key = c.padEnd(ID_W, ' ');
      let lo = 0;
      let hi = n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const cmp = claims.toString('latin1', mid * REC, mid * REC + ID_W);
        if (cmp === key) return Number(claims.toString('latin1', mid * REC + ID_W + 1, mid * REC + ID_W + 13));
        if (cmp < key) lo = mid + 1;
        else hi = mid - 1;
      }
      return undefined;
    },
    entry(seq) {
      const l = line(seq);
      if (l) for (const [d, b] of Object.entries(l.vb)) vb.set(d, b);
      return l?.e;
    },
    verdictBlob: (d) => vb.get(d) ?? whole?.verdicts[d],
    full: async () => (whole ??= await full()),
  };
}
