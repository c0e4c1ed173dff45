// The verified index: what this clone has verified of the audit mirror, so that the next command reads a
// few records instead of verifying the chain again. One version, one key (the mirror store's fingerprint of
// the policy and mirror it was verified under), one set of files. Append-only on disk: verifying k new
// mirror commits appends k records and then rewrites the small head file that makes them count, so a
// publish at 10,000 entries writes kilobytes, not the whole index.
//
// A cache, never a judge (STYLE): a missing, stale, foreign or torn index is rebuilt from the mirror, and
// every acceptance re-reads the entry the index points at from the mirror's objects (validate/trust.ts).
//
// Files (under .git/csae/; the head file is written last, atomically, and the others count only up to what
// it says, so a process killed mid-append leaves an index that reads as before the append):
//   index-head.json  {version, key, head, count, ...the chain's small state}
//   entries.jsonl    line k is seq k: {"e": entry, "vb": {verdict digest: blob id}}, or null for a void seq
//   entries.off      "<byte offset 15d>\n" (16 bytes) per line of entries.jsonl, plus the end
//   leaves.bin       32 bytes per seq: the RFC 6962 leaf hash of the entry file (void ones included)
//   claims.idx       sorted "<commit id padded to 64> <seq 12d>\n" (78 bytes): the first entry listing a commit
//   claims.new       the same records for commits first listed since claims.idx was last merged, in seq order
//                    (appended; merged into claims.idx once it holds an eighth as many, so an append never
//                    rewrites the whole claims file and a lookup scans a short list)
//   verdicts.idx     "<verdict digest> <blob id>\n" per verdict file in the mirror, in mirror order
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, rmSync, statSync, truncateSync, appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from './atomic.js';

export const INDEX_VERSION = 3;
export const INDEX_FILES = ['index-head.json', 'entries.jsonl', 'entries.off', 'leaves.bin', 'claims.idx', 'claims.new', 'verdicts.idx'] as const;

/** What the index needs of an entry: its seq, the commits it lists and the verdicts it names. */
export interface IndexedEntry {
  seq: number;
  predicate: { range: { commits: readonly string[] }; verdicts: ReadonlyArray<{ digest: string }> };
}

/** The chain's state as the index stores it (mirror/chain.ts ChainState, structurally). */
export interface IndexState<E extends IndexedEntry, V = unknown, C = unknown> {
  head: string | null;
  lastSeq: number;
  lastDigest: string | null;
  entries: E[];
  voided?: V[];
  leaves?: string[];
  verdicts: Record<string, string>;
  checkpoints: C[];
  epoch?: number;
  activations?: number[];
}

/** The small part of the state, kept whole in index-head.json. */
export interface IndexHead<V = unknown, C = unknown> {
  version: number;
  key: string;
  head: string;
  /** lines of entries.jsonl = the last seq */
  count: number;
  lastDigest: string | null;
  voided: V[];
  checkpoints: C[];
  epoch: number;
  activations: number[];
  /** bytes of verdicts.idx; records of claims.idx and of claims.new */
  verdictBytes: number;
  claims: number;
  claimsNew: number;
}

interface Line<E> {
  e: E;
  vb: Record<string, string>;
}

const REC = 78;
const ID_W = 64;
const OFF = 16;
const LEAF = 32;
/** a writer holding the lock longer than this is presumed dead */
const STALE_LOCK_MS = 120_000;

export class VerifiedIndex<E extends IndexedEntry, V = unknown, C = unknown> {
  constructor(
    readonly dir: string,
    readonly key: string,
  ) {}

  private path(name: (typeof INDEX_FILES)[number]): string {
    return join(this.dir, name);
  }

  /** The head, when it is ours (version, key) and the files behind it are long enough; else null. */
  readHead(): IndexHead<V, C> | null {
    try {
      const h = JSON.parse(readFileSync(this.path('index-head.json'), 'utf8')) as IndexHead<V, C>;
      if (h?.version !== INDEX_VERSION || h.key !== this.key || typeof h.head !== 'string' || !Number.isInteger(h.count) || h.count < 0) return null;
      if (!Array.isArray(h.voided) || !Array.isArray(h.checkpoints) || !Array.isArray(h.activations)) return null;
      if (size(this.path('entries.off')) < (h.count + 1) * OFF || size(this.path('leaves.bin')) < h.count * LEAF) return null;
      if (!Number.isInteger(h.claimsNew) || h.claimsNew < 0) return null;
      if (size(this.path('claims.idx')) !== h.claims * REC || size(this.path('claims.new')) < h.claimsNew * REC || size(this.path('verdicts.idx')) < h.verdictBytes) return null;
      if (size(this.path('entries.jsonl')) < this.offset(h.count)) return null;
      return h;
    } catch {
      return null; // missing or corrupt: rebuilt from the mirror
    }
  }

  private offset(k: number): number {
    return offsetsAt(this.path('entries.off'), k, 1)[0]!;
  }

  /** Write the whole state afresh (a first or full verification). */
  write(st: IndexState<E, V, C>): boolean {
    return this.locked(() => {
      rmSync(this.path('index-head.json'), { force: true });
      for (const f of INDEX_FILES) if (f !== 'index-head.json') writeFileSync(this.path(f), '');
      return this.put(null, st);
    });
  }

  /**
   * Append what was verified after `h.head`: `delta` holds the new entries, leaves and verdicts only, and
   * the chain's small state (seq, digest, voided, checkpoints, epoch) as it now is.
   */
  append(h: IndexHead<V, C>, delta: IndexState<E, V, C>): boolean {
    return this.locked(() => this.put(h, delta));
  }

  private put(h: IndexHead<V, C> | null, d: IndexState<E, V, C>): boolean {
    if (!d.head) return false;
    const count = h?.count ?? 0;
    const leaves = d.leaves ?? [];
    // every seq has its leaf: a state that does not add up is not cached
    if (count + leaves.length !== d.lastSeq || d.entries.some((e) => e.seq <= count || e.seq > d.lastSeq)) return false;
    // a torn earlier append: back to what the head says
    const end = h ? this.offset(count) : 0;
    truncateSync(this.path('entries.jsonl'), end);
    truncateSync(this.path('entries.off'), count * OFF);
    truncateSync(this.path('leaves.bin'), count * LEAF);
    truncateSync(this.path('verdicts.idx'), h?.verdictBytes ?? 0);
    // a new entry may name a verdict file an earlier entry brought to the mirror
    let older: Map<string, string> | null = null;
    const blobOf = (digest: string): string | undefined => {
      if (d.verdicts[digest]) return d.verdicts[digest];
      if (!h) return undefined;
      older ??= readVerdicts(this.path('verdicts.idx'), h.verdictBytes);
      return older.get(digest);
    };
    const bySeq = new Map(d.entries.map((e) => [e.seq, e]));
    const lines: string[] = [];
    const offs: string[] = [];
    let pos = end;
    for (let seq = count + 1; seq <= d.lastSeq; seq++) {
      const e = bySeq.get(seq);
      const vb: Record<string, string> = {};
      for (const v of e?.predicate.verdicts ?? []) {
        const b = blobOf(v.digest);
        if (b) vb[v.digest] = b;
      }
      const line = (e ? JSON.stringify({ e, vb } satisfies Line<E>) : 'null') + '\n';
      offs.push(pad(pos, OFF - 1) + '\n');
      pos += Buffer.byteLength(line);
      lines.push(line);
    }
    offs.push(pad(pos, OFF - 1) + '\n');
    const vtext = Object.entries(d.verdicts)
      .map(([dg, blob]) => `${dg} ${blob}\n`)
      .join('');
    // entries.off holds `count` records after the truncation; the end offset of the old last line is
    // written again as the start of the first new one
    appendFileSync(this.path('entries.jsonl'), lines.join(''));
    appendFileSync(this.path('entries.off'), offs.join(''));
    appendFileSync(this.path('leaves.bin'), Buffer.from(leaves.join(''), 'hex'));
    appendFileSync(this.path('verdicts.idx'), vtext);
    const claims = this.addClaims(h, d.entries);
    const head: IndexHead<V, C> = {
      version: INDEX_VERSION,
      key: this.key,
      head: d.head,
      count: d.lastSeq,
      lastDigest: d.lastDigest,
      voided: d.voided ?? [],
      checkpoints: d.checkpoints,
      epoch: d.epoch ?? 0,
      activations: d.activations ?? [0],
      verdictBytes: (h?.verdictBytes ?? 0) + Buffer.byteLength(vtext),
      ...claims,
    };
    writeAtomic(this.path('index-head.json'), JSON.stringify(head));
    return true;
  }

  /**
   * The first claims of `added`: appended to claims.new, or merged with it into claims.idx once claims.new
   * would hold more than an eighth of it (a torn claims file never gets here: readHead checks sizes).
   */
  private addClaims(h: IndexHead<V, C> | null, added: readonly E[]): { claims: number; claimsNew: number } {
    const base = h ? h.claims : 0;
    const had = h ? h.claimsNew : 0;
    const known = h ? new IndexLookup<E>(this.dir, h.count, h.claims, h.verdictBytes, h.claimsNew) : null;
    const fresh = new Map<string, number>();
    for (const e of [...added].sort((a, b) => a.seq - b.seq))
      for (const c of e.predicate.range.commits) if (!fresh.has(c) && known?.firstClaim(c) === undefined) fresh.set(c, e.seq);
    truncateSync(this.path('claims.new'), had * REC);
    const recs = [...fresh].map(([id, seq]) => record(id, seq));
    if (h && had + recs.length <= Math.max(MIN_MERGE, base / 8)) {
      appendFileSync(this.path('claims.new'), recs.join(''), 'latin1');
      return { claims: base, claimsNew: had + recs.length };
    }
    // merge: the base, what claims.new held and the new records, sorted once
    const old = h ? readPrefix(this.path('claims.idx'), base * REC) : Buffer.alloc(0);
    const pending = h ? readPrefix(this.path('claims.new'), had * REC).toString('latin1') : '';
    const add = [...recs];
    for (let i = 0; i < had; i++) add.push(pending.slice(i * REC, (i + 1) * REC));
    add.sort();
    const out = Buffer.alloc(old.length + add.length * REC);
    let i = 0;
    let j = 0;
    let o = 0;
    while (i < base || j < add.length) {
      const a = i < base ? old.toString('latin1', i * REC, i * REC + ID_W) : null;
      if (a !== null && (j >= add.length || a < add[j]!.slice(0, ID_W))) {
        old.copy(out, o, i * REC, (i + 1) * REC);
        i++;
      } else {
        out.write(add[j]!, o, 'latin1');
        j++;
      }
      o += REC;
    }
    writeAtomic(this.path('claims.idx'), out);
    truncateSync(this.path('claims.new'), 0);
    return { claims: out.length / REC, claimsNew: 0 };
  }

  /** Run `fn` holding index.lock; another writer holding it means this one leaves the index alone. */
  private locked(fn: () => boolean): boolean {
    const lock = join(this.dir, 'index.lock');
    try {
      if (!existsSync(this.dir)) return false;
      try {
        writeFileSync(lock, String(process.pid), { flag: 'wx' });
      } catch {
        if (Date.now() - statSync(lock).mtimeMs < STALE_LOCK_MS) return false;
        writeFileSync(lock, String(process.pid));
      }
      try {
        return fn();
      } finally {
        rmSync(lock, { force: true });
      }
    } catch {
      // an index that cannot be written costs time, never correctness: the next run verifies again
      try {
        rmSync(this.path('index-head.json'), { force: true });
      } catch {
        // nothing more to do
      }
      return false;
    }
  }

  /** The whole state, every record parsed (the walk, checkpoints, diagnoses). */
  load(h: IndexHead<V, C>): IndexState<E, V, C> | null {
    try {
      const end = this.offset(h.count);
      const text = readPrefix(this.path('entries.jsonl'), end).toString('utf8');
      const entries: E[] = [];
      let at = 0;
      for (let seq = 1; seq <= h.count; seq++) {
        const nl = text.indexOf('\n', at);
        if (nl < 0) return null;
        const l = JSON.parse(text.slice(at, nl)) as Line<E> | null;
        at = nl + 1;
        if (l === null) continue;
        if (l.e?.seq !== seq) return null;
        entries.push(l.e);
      }
      const leaves = readPrefix(this.path('leaves.bin'), h.count * LEAF).toString('hex');
      const verdicts = Object.fromEntries(readVerdicts(this.path('verdicts.idx'), h.verdictBytes));
      return {
        head: h.head,
        lastSeq: h.count,
        lastDigest: h.lastDigest,
        entries,
        voided: h.voided,
        leaves: Array.from({ length: h.count }, (_, i) => leaves.slice(i * LEAF * 2, (i + 1) * LEAF * 2)),
        verdicts,
        checkpoints: h.checkpoints,
        epoch: h.epoch,
        activations: h.activations,
      };
    } catch {
      return null;
    }
  }

  /** Point lookups over the files, reading a few records: a warm push or `audit who`. */
  lookup(h: IndexHead<V, C>): IndexLookup<E> {
    return new IndexLookup<E>(this.dir, h.count, h.claims, h.verdictBytes, h.claimsNew);
  }
}

export class IndexLookup<E extends IndexedEntry> {
  private readonly lines = new Map<number, Line<E> | null>();
  private readonly vb = new Map<string, string>();
  private allVerdicts: Map<string, string> | null = null;

  constructor(
    private readonly dir: string,
    readonly count: number,
    private readonly claims: number,
    private readonly verdictBytes: number,
    private readonly claimsNew: number,
  ) {}

  /** claims.new as a map (read once): commit -> seq */
  private pending: Map<string, number> | null = null;

  /** seq of the first entry listing `commit`: a binary search of claims.idx by positioned reads, then claims.new */
  firstClaim(commit: string): number | undefined {
    const seq = this.searchBase(commit) ?? this.searchNew(commit);
    // a record written by an append whose head never landed names a seq the index does not hold
    return seq !== undefined && seq >= 1 && seq <= this.count ? seq : undefined;
  }

  private searchBase(commit: string): number | undefined {
    if (this.claims === 0) return undefined;
    const fd = openSync(join(this.dir, 'claims.idx'), 'r');
    try {
      const key = commit.padEnd(ID_W, ' ');
      const rec = Buffer.alloc(REC);
      let lo = 0;
      let hi = this.claims - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        readSync(fd, rec, 0, REC, mid * REC);
        const id = rec.toString('latin1', 0, ID_W);
        if (id === key) return Number(rec.toString('latin1', ID_W + 1, ID_W + 13));
        if (id < key) lo = mid + 1;
        else hi = mid - 1;
      }
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  private searchNew(commit: string): number | undefined {
    if (this.claimsNew === 0) return undefined;
    if (!this.pending) {
      this.pending = new Map();
      try {
        const text = readPrefix(join(this.dir, 'claims.new'), this.claimsNew * REC).toString('latin1');
        for (let i = 0; i < this.claimsNew; i++) {
          const id = text.slice(i * REC, i * REC + ID_W).trimEnd();
          if (!this.pending.has(id)) this.pending.set(id, Number(text.slice(i * REC + ID_W + 1, i * REC + ID_W + 13)));
        }
      } catch {
        // unreadable: nothing is claimed from it (uncovered fails closed)
      }
    }
    return this.pending.get(commit);
  }

  entry(seq: number): E | undefined {
    if (!this.lines.has(seq)) this.lines.set(seq, this.readLine(seq));
    const l = this.lines.get(seq);
    if (l) for (const [d, b] of Object.entries(l.vb)) this.vb.set(d, b);
    return l?.e;
  }

  private readLine(seq: number): Line<E> | null {
    if (!Number.isInteger(seq) || seq < 1 || seq > this.count) return null;
    try {
      const [start, end] = offsetsAt(join(this.dir, 'entries.off'), seq - 1, 2) as [number, number];
      const len = end - start;
      if (len <= 0 || len > 64 * 1024 * 1024) return null;
      const l = JSON.parse(readAt(join(this.dir, 'entries.jsonl'), start, len).toString('utf8')) as Line<E> | null;
      return l && l.e?.seq === seq && typeof l.vb === 'object' && l.vb !== null ? l : null;
    } catch {
      return null;
    }
  }

  /** the blob of a verdict file in the mirror: from the entries read so far, else from verdicts.idx */
  verdictBlob(digest: string): string | undefined {
    const hit = this.vb.get(digest);
    if (hit) return hit;
    if (!this.allVerdicts) {
      try {
        this.allVerdicts = readVerdicts(join(this.dir, 'verdicts.idx'), this.verdictBytes);
      } catch {
        // unreadable: the verdict is looked up nowhere else, and a check that needs it fails closed
        this.allVerdicts = new Map();
      }
    }
    return this.allVerdicts.get(digest);
  }
}

const MIN_MERGE = 4096;

function record(id: string, seq: number): string {
  return `${id.padEnd(ID_W, ' ')} ${pad(seq, 12)}\n`;
}

function readVerdicts(file: string, len: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readPrefix(file, len).toString('latin1').split('\n')) {
    const sp = line.indexOf(' ');
    if (sp > 0) out.set(line.slice(0, sp), line.slice(sp + 1));
  }
  return out;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function size(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}

/** the first `len` bytes of a file (which may be longer after a torn append) */
function readPrefix(file: string, len: number): Buffer {
  return readAt(file, 0, len);
}

/** `len` bytes of `file` from `pos`; a short read throws (the file is not what the index head says) */
function readAt(file: string, pos: number, len: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    if (fstatSync(fd).size < pos + len) throw new Error(`${file} is shorter than its index head says`);
    const buf = Buffer.alloc(len);
    let at = 0;
    while (at < len) {
      const r = readSync(fd, buf, at, len - at, pos + at);
      if (r <= 0) throw new Error(`short read of ${file}`);
      at += r;
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}

/** `n` records of entries.off from record `k`: byte offsets into entries.jsonl */
function offsetsAt(file: string, k: number, n: number): number[] {
  const b = readAt(file, k * OFF, n * OFF);
  return Array.from({ length: n }, (_, i) => {
    const v = Number(b.toString('latin1', i * OFF, i * OFF + OFF - 1));
    if (!Number.isSafeInteger(v) || v < 0) throw new Error('bad offset in entries.off');
    return v;
  });
}
