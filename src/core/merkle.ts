// RFC 6962 / RFC 9162 Merkle tree hashing, proofs and proof verification. Pure; node:crypto only.
// Sizes and indices handed in from outside (checkpoints, proofs) are bigints so the whole uint64 range
// is checked exactly; the verifiers never throw and answer false for anything malformed.
import { createHash } from 'node:crypto';

export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
const UINT64_MAX = (1n << 64n) - 1n;

/** MTH({}) = SHA-256 of the empty string. */
export function emptyRoot(): Buffer {
  return createHash('sha256').digest();
}

/** SHA-256(0x00 || data). */
export function leafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/**
 * An append-only compact range [0, size): the roots of the perfect subtrees that make up the tree,
 * largest first. Appending is amortised O(1) hashes and memory stays O(log size), so a verifier can
 * stream every entry once and read the root at each checkpoint size on the way.
 */
export class CompactRange {
  #size = 0;
  // #nodes[i] covers 2^#levels[i] leaves; levels strictly decrease (the binary digits of #size).
  #nodes: Buffer[] = [];
  #levels: number[] = [];

  get size(): number {
    return this.#size;
  }

  /** Append one leaf hash (already SHA-256(0x00 || data)). */
  append(hash: Uint8Array): void {
    if (hash.length !== HASH_SIZE) throw new RangeError(`merkle: leaf hash must be ${HASH_SIZE} bytes, got ${hash.length}`);
    let node: Buffer = Buffer.from(hash);
    let level = 0;
    while (this.#levels.length > 0 && this.#levels[this.#levels.length - 1] === level) {
      node = nodeHash(this.#nodes.pop()!, node);
      this.#levels.pop();
      level++;
    }
    this.#nodes.push(node);
    this.#levels.push(level);
    this.#size++;
  }

  /** The perfect-subtree roots, largest (leftmost) first, with their levels. */
  nodes(): { level: number; hash: Buffer }[] {
    return this.#nodes.map((hash, i) => ({ level: this.#levels[i]!, hash: Buffer.from(hash) }));
  }

  /** MTH of the leaves appended so far: fold the subtree roots right to left. */
  root(): Buffer {
    if (this.#nodes.length === 0) return emptyRoot();
    let acc = this.#nodes[this.#nodes.length - 1]!;
    for (let i = this.#nodes.length - 2; i >= 0; i--) acc = nodeHash(this.#nodes[i]!, acc);
    return Buffer.from(acc);
  }
}

/** MTH(D[n]) of leaf hashes. */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Buffer {
  return rootOfFirst(hashes, hashes.length);
}

/** MTH of the first n leaf hashes, in O(n) hashes and O(log n) memory. */
export function rootOfFirst(hashes: readonly Uint8Array[], n: number): Buffer {
  if (!Number.isSafeInteger(n) || n < 0 || n > hashes.length) throw new RangeError(`merkle: cannot take the first ${n} of ${hashes.length} leaves`);
  const cr = new CompactRange();
  for (let i = 0; i < n; i++) cr.append(hashes[i]!);
  return cr.root();
}

/** Largest power of two strictly less than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function mth(hashes: readonly Uint8Array[], lo: number, hi: number): Buffer {
  const cr = new CompactRange();
  for (let i = lo; i < hi; i++) cr.append(hashes[i]!);
  return cr.root();
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path for leaf `index`, leaf end first. */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number): Buffer[] {
  const n = leafHashes.length;
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) throw new RangeError(`merkle: leaf ${index} is not in a tree of ${n}`);
  const path: Buffer[] = [];
  let lo = 0;
  let hi = n;
  let m = index;
  // Walk down from the root, recording the sibling subtree at each split; reverse at the end.
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < k) {
      path.push(mth(leafHashes, lo + k, hi));
      hi = lo + k;
    } else {
      path.push(mth(leafHashes, lo, lo + k));
      lo += k;
      m -= k;
    }
  }
  return path.reverse();
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1, for 0 < size1 <= size2 <= leafHashes.length. */
export function consistencyProof(leafHashes: readonly Uint8Array[], size1: number, size2: number): Buffer[] {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 1 || size1 > size2 || size2 > leafHashes.length) {
    throw new RangeError(`merkle: no consistency proof from ${size1} to ${size2} over ${leafHashes.length} leaves`);
  }
  const proof: Buffer[] = [];
  let lo = 0;
  let hi = size2;
  let m = size1;
  let complete = true; // SUBPROOF's b: is the old tree's root still the whole of this subtree?
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      proof.push(mth(leafHashes, lo + k, hi));
      hi = lo + k;
    } else {
      proof.push(mth(leafHashes, lo, lo + k));
      lo += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) proof.push(mth(leafHashes, lo, hi));
  return proof.reverse();
}

function isUint64(x: unknown): x is bigint {
  return typeof x === 'bigint' && x >= 0n && x <= UINT64_MAX;
}

function isHash(x: unknown): x is Uint8Array {
  return x instanceof Uint8Array && x.length === HASH_SIZE;
}

function isProof(p: unknown): p is Uint8Array[] {
  return Array.isArray(p) && p.every(isHash);
}

function sameBytes(a: unknown, b: unknown): boolean {
  return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

/** RFC 9162 §2.1.3.2. `proof` is leaf end first; an empty proof is []. */
export function verifyInclusion(leafIdx: bigint, treeSize: bigint, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!isUint64(leafIdx) || !isUint64(treeSize) || leafIdx >= treeSize) return false;
  if (!isHash(leaf) || !isHash(root) || !isProof(proof)) return false;
  let fn = leafIdx;
  let sn = treeSize - 1n;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}

/** RFC 9162 §2.1.4.2, with the edge cases of the transparency-dev vectors (size1 = 0 never proves anything). */
export function verifyConsistency(size1: bigint, size2: bigint, root1: Uint8Array, root2: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (!isUint64(size1) || !isUint64(size2) || !Array.isArray(proof)) return false;
  if (size1 === 0n || size1 > size2) return false;
  // NOTE: equal sizes compare the roots byte for byte, whatever their length, as the vectors expect.
  if (size1 === size2) return proof.length === 0 && sameBytes(root1, root2);
  if (proof.length === 0 || !isHash(root1) || !isHash(root2) || !isProof(proof)) return false;

  const path: Uint8Array[] = [...proof];
  // A power-of-two old tree is itself a node of the new tree, so its root starts the path.
  if ((size1 & (size1 - 1n)) === 0n) path.unshift(root1);
  let fn = size1 - 1n;
  let sn = size2 - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && fr.equals(root1) && sr.equals(root2);
}
