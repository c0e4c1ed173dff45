// The verified index on disk: an append writes only what is new and reads back exactly what a whole write
// would; a torn append, a foreign key, a short file or a claim beyond the head are never believed.
import { expect } from 'chai';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INDEX_FILES, VerifiedIndex, type IndexState } from '../../../src/state/verified-index.js';

interface E {
  seq: number;
  digest: string;
  predicate: { range: { commits: string[] }; verdicts: Array<{ digest: string }> };
}
type St = IndexState<E, { seq: number }, { path: string; blob: string }>;

const id = (n: number): string => n.toString(16).padStart(40, '0');
const dg = (n: number): string => 'sha256:' + n.toString(16).padStart(64, '0');
const leaf = (n: number): string => n.toString(16).padStart(64, '0');

/** a chain of n entries; entry k lists commits 10k..10k+9 and re-lists the previous entry's last commit */
function chain(n: number, voids: readonly number[] = []): St {
  const entries: E[] = [];
  const verdicts: Record<string, string> = {};
  for (let k = 1; k <= n; k++) {
    if (voids.includes(k)) continue;
    const commits = Array.from({ length: 10 }, (_, i) => id(10 * k + i));
    if (k > 1) commits.push(id(10 * (k - 1) + 9));
    verdicts[dg(1000 + k)] = id(5000 + k);
    entries.push({ seq: k, digest: dg(k), predicate: { range: { commits }, verdicts: [{ digest: dg(1000 + k) }] } });
  }
  return { head: id(90000 + n), lastSeq: n, lastDigest: dg(n), entries, voided: voids.map((seq) => ({ seq })), leaves: Array.from({ length: n }, (_, i) => leaf(i + 1)), verdicts, checkpoints: [{ path: 'checkpoints/latest', blob: id(7) }], epoch: 0, activations: [0] };
}

/** what was appended after `from`: the new entries, leaves and verdicts; the small state as at `to` */
function delta(from: St, to: St): St {
  const fresh = new Set(Object.keys(to.verdicts).filter((d) => !(d in from.verdicts)));
  return { ...to, entries: to.entries.filter((e) => e.seq > from.lastSeq), leaves: to.leaves!.slice(from.lastSeq), verdicts: Object.fromEntries(Object.entries(to.verdicts).filter(([d]) => fresh.has(d))) };
}

describe('state: the verified index', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'csae-index-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appending reads back exactly what one whole write reads back, and the bytes are the same', () => {
    const whole = join(dir, 'whole');
    const inc = join(dir, 'inc');
    for (const d of [whole, inc]) mkdirSync(d);
    const a = new VerifiedIndex<E>(whole, 'k');
    expect(a.write(chain(40, [7]))).to.equal(true);
    const b = new VerifiedIndex<E>(inc, 'k');
    expect(b.write(chain(10, [7]))).to.equal(true);
    for (const [from, to] of [[10, 11], [11, 25], [25, 40]] as const) {
      const h = b.readHead()!;
      expect(h.count).to.equal(from);
      expect(b.append(h, delta(chain(from, [7]), chain(to, [7])))).to.equal(true);
    }
    // the same records; claims of later appends wait in claims.new until there are enough to merge
    for (const f of INDEX_FILES.filter((x) => !x.startsWith('claims') && x !== 'index-head.json')) expect(readFileSync(join(inc, f)).equals(readFileSync(join(whole, f))), f).to.equal(true);
    expect(b.readHead()!.claimsNew).to.be.greaterThan(0);
    const all = [...Array(500).keys()].map(id);
    expect(all.map((c) => b.lookup(b.readHead()!).firstClaim(c))).to.deep.equal(all.map((c) => a.lookup(a.readHead()!).firstClaim(c)));
    const st = b.load(b.readHead()!)!;
    expect(st).to.deep.equal(a.load(a.readHead()!));
    expect(st.entries.map((e) => e.seq)).to.deep.equal([...Array(40).keys()].map((i) => i + 1).filter((s) => s !== 7));
    const look = b.lookup(b.readHead()!);
    // the first claimant, never a later entry re-listing the commit
    expect(look.firstClaim(id(10 * 12 + 9))).to.equal(12);
    expect(look.firstClaim(id(10 * 7))).to.equal(undefined, 'a void entry claims nothing');
    expect(look.firstClaim(id(123456))).to.equal(undefined);
    expect(look.entry(7)).to.equal(undefined);
    expect(look.entry(33)!.digest).to.equal(dg(33));
    expect(look.entry(41)).to.equal(undefined);
    expect(look.verdictBlob(dg(1000 + 33))).to.equal(id(5000 + 33));
    expect(look.verdictBlob(dg(1000 + 2)), 'from verdicts.idx without reading entry 2').to.equal(id(5000 + 2));
  });

  it('a torn append (killed before its head was written) reads as before it, and the next append repairs it', () => {
    const idx = new VerifiedIndex<E>(dir, 'k');
    idx.write(chain(5));
    const h = idx.readHead()!;
    // a killed writer left half a record behind in every append-only file
    for (const f of ['entries.jsonl', 'entries.off', 'leaves.bin', 'verdicts.idx', 'claims.new']) appendFileSync(join(dir, f), 'torn');
    expect(idx.readHead()).to.deep.equal(h);
    expect(idx.load(h)!.entries).to.have.length(5);
    expect(idx.append(h, delta(chain(5), chain(8)))).to.equal(true);
    const fresh = new VerifiedIndex<E>(join(dir, 'x'), 'k');
    mkdirSync(join(dir, 'x'));
    fresh.write(chain(8));
    for (const f of ['entries.jsonl', 'entries.off', 'leaves.bin', 'verdicts.idx']) expect(readFileSync(join(dir, f)).equals(readFileSync(join(dir, 'x', f))), f).to.equal(true);
    const all = [...Array(100).keys()].map(id);
    expect(all.map((c) => idx.lookup(idx.readHead()!).firstClaim(c))).to.deep.equal(all.map((c) => fresh.lookup(fresh.readHead()!).firstClaim(c)));
    // a torn claims.new record is cut back too
    appendFileSync(join(dir, 'claims.new'), 'torn');
    expect(idx.readHead()!.count).to.equal(8);
    expect(idx.append(idx.readHead()!, delta(chain(8), chain(9)))).to.equal(true);
    expect(idx.lookup(idx.readHead()!).firstClaim(id(90))).to.equal(9);
  });

  it('is not believed under another key or version, with a short file, or with a claims file of another size', () => {
    const idx = new VerifiedIndex<E>(dir, 'k');
    idx.write(chain(5));
    expect(new VerifiedIndex<E>(dir, 'other').readHead()).to.equal(null);
    const head = JSON.parse(readFileSync(join(dir, 'index-head.json'), 'utf8'));
    writeFileSync(join(dir, 'index-head.json'), JSON.stringify({ ...head, version: 2 }));
    expect(idx.readHead()).to.equal(null);
    writeFileSync(join(dir, 'index-head.json'), JSON.stringify(head));
    expect(idx.readHead()).to.not.equal(null);
    for (const f of ['entries.jsonl', 'entries.off', 'leaves.bin', 'claims.idx']) {
      const keep = readFileSync(join(dir, f));
      writeFileSync(join(dir, f), keep.subarray(0, keep.length - 1));
      expect(idx.readHead(), f).to.equal(null);
      writeFileSync(join(dir, f), keep);
    }
    // a claims record added behind the head's back
    appendFileSync(join(dir, 'claims.idx'), `${id(1).padEnd(64, ' ')} ${'1'.padStart(12, '0')}\n`);
    expect(idx.readHead()).to.equal(null);
  });

  it('a claim naming a seq beyond the head is unknown, and a record naming another seq is not an entry', () => {
    const idx = new VerifiedIndex<E>(dir, 'k');
    idx.write(chain(3));
    const h = idx.readHead()!;
    // the claims of an append whose head never landed: same size is impossible, so forge it in place
    const claims = readFileSync(join(dir, 'claims.idx'), 'latin1').replace(`${id(10).padEnd(64, ' ')} ${'1'.padStart(12, '0')}`, `${id(10).padEnd(64, ' ')} ${'9'.padStart(12, '0')}`);
    writeFileSync(join(dir, 'claims.idx'), claims, 'latin1');
    expect(idx.lookup(h).firstClaim(id(10))).to.equal(undefined);
    // entry 2's line says seq 3
    const text = readFileSync(join(dir, 'entries.jsonl'), 'utf8').split('\n');
    text[1] = text[1]!.replace('"seq":2', '"seq":3');
    writeFileSync(join(dir, 'entries.jsonl'), text.join('\n'));
    expect(idx.lookup(h).entry(2)).to.equal(undefined);
    expect(idx.load(h)).to.equal(null);
  });

  it('refuses to cache a state that does not add up, and leaves the index alone while another writer holds it', () => {
    const idx = new VerifiedIndex<E>(dir, 'k');
    expect(idx.write({ ...chain(4), leaves: chain(3).leaves })).to.equal(false);
    expect(idx.readHead()).to.equal(null);
    writeFileSync(join(dir, 'index.lock'), '1');
    expect(idx.write(chain(4))).to.equal(false);
    expect(idx.readHead()).to.equal(null);
    rmSync(join(dir, 'index.lock'));
    expect(idx.write(chain(4))).to.equal(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f === 'index.lock')).to.deep.equal([]);
    expect(statSync(join(dir, 'claims.idx')).size % 78).to.equal(0);
  });
});

describe('state: the verified index claims, merged once claims.new grows', () => {
  it('answers the first claimant across claims.idx and claims.new, before and after a merge', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csae-index-'));
    try {
      const idx = new VerifiedIndex<E>(dir, 'k');
      idx.write(chain(2));
      let merged = false;
      // each entry adds 10 new commits: claims.new passes 4096 records after ~410 appends
      for (let n = 2; n < 460; n++) {
        const h = idx.readHead()!;
        expect(idx.append(h, delta(chain(n), chain(n + 1)))).to.equal(true);
        if (idx.readHead()!.claimsNew === 0) merged = true;
      }
      expect(merged, 'claims.new was merged into claims.idx').to.equal(true);
      const h = idx.readHead()!;
      expect(h.claims + h.claimsNew).to.equal(460 * 10);
      const look = idx.lookup(h);
      for (const k of [1, 2, 3, 200, 411, 412, 459, 460]) {
        expect(look.firstClaim(id(10 * k)), `entry ${k}`).to.equal(k);
        expect(look.firstClaim(id(10 * k + 9)), `entry ${k}'s last commit, re-listed by ${k + 1}`).to.equal(k);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
