import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  CompactRange,
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  nodeHash,
  rootFromLeafHashes,
  rootOfFirst,
  verifyConsistency,
  verifyInclusion,
} from '../../../src/core/merkle.js';
import { readJson, requireVectors } from '../_support.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const b64 = (s: string): Buffer => Buffer.from(s, 'base64');

/** The RFC 6962 §2.1 definition, recursively, as the reference the fast code is checked against. */
function mthReference(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return emptyRoot();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mthReference(leaves.slice(0, k)), mthReference(leaves.slice(k)));
}

function leaves(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
}

/** JSON.parse rounds integers above 2^53, so size and index fields are quoted before parsing. */
function parseBigFields(text: string): any {
  return JSON.parse(text.replace(/"(leafIdx|treeSize|size1|size2)"\s*:\s*(-?\d+)/g, '"$1":"$2"'));
}

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...jsonFiles(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

describe('core/merkle', () => {
  describe('hashing', () => {
    it('leafHash and nodeHash use the 0x00 / 0x01 domain prefixes', () => {
      expect(hex(leafHash(Buffer.alloc(0)))).to.equal('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
      expect(hex(emptyRoot())).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      expect(hex(nodeHash(Buffer.from('N123'), Buffer.from('N456')))).to.equal('aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb');
    });

    it('rootFromLeafHashes equals the recursive definition for every size up to 70', () => {
      const all = leaves(70);
      for (let n = 0; n <= 70; n++) expect(hex(rootFromLeafHashes(all.slice(0, n))), `n=${n}`).to.equal(hex(mthReference(all.slice(0, n))));
    });

    it('rootOfFirst reads a prefix without copying and refuses out-of-range sizes', () => {
      const all = leaves(9);
      expect(hex(rootOfFirst(all, 5))).to.equal(hex(mthReference(all.slice(0, 5))));
      expect(() => rootOfFirst(all, 10)).to.throw(RangeError);
      expect(() => rootOfFirst(all, -1)).to.throw(RangeError);
    });

    it('CompactRange gives the root at every size while appending, in O(log n) nodes', () => {
      const all = leaves(300);
      const cr = new CompactRange();
      expect(hex(cr.root())).to.equal(hex(emptyRoot()));
      for (let i = 0; i < all.length; i++) {
        cr.append(all[i]!);
        expect(cr.size).to.equal(i + 1);
        // One node per set bit of the size, largest first.
        const levels = cr.nodes().map((n) => n.level);
        expect(levels.length).to.equal((i + 1).toString(2).replace(/0/g, '').length);
        expect([...levels].sort((a, b) => b - a)).to.deep.equal(levels);
        if (i % 37 === 0 || i < 20) expect(hex(cr.root()), `n=${i + 1}`).to.equal(hex(mthReference(all.slice(0, i + 1))));
      }
      expect(() => cr.append(Buffer.alloc(31))).to.throw(RangeError);
    });
  });

  describe('proof generation round-trips through the verifiers', () => {
    const all = leaves(33);
    it('every inclusion proof in trees of 1..33 leaves verifies, and fails when moved or tampered', () => {
      for (let n = 1; n <= all.length; n++) {
        const tree = all.slice(0, n);
        const root = rootFromLeafHashes(tree);
        for (let i = 0; i < n; i++) {
          const proof = inclusionProof(tree, i);
          expect(verifyInclusion(BigInt(i), BigInt(n), tree[i]!, proof, root), `n=${n} i=${i}`).to.equal(true);
          if (n > 1) {
            expect(verifyInclusion(BigInt((i + 1) % n), BigInt(n), tree[i]!, proof, root)).to.equal(false);
            const bad = proof.map((p) => Buffer.from(p));
            bad[0]![0]! ^= 1;
            expect(verifyInclusion(BigInt(i), BigInt(n), tree[i]!, bad, root)).to.equal(false);
            expect(verifyInclusion(BigInt(i), BigInt(n), tree[i]!, [...proof, proof[0]!], root)).to.equal(false);
            expect(verifyInclusion(BigInt(i), BigInt(n), tree[i]!, proof.slice(1), root)).to.equal(false);
          }
        }
      }
    });

    it('every consistency proof between sizes 1..33 verifies, and fails for the wrong roots or sizes', () => {
      for (let n = 1; n <= all.length; n++) {
        const root2 = rootFromLeafHashes(all.slice(0, n));
        for (let m = 1; m <= n; m++) {
          const root1 = rootFromLeafHashes(all.slice(0, m));
          const proof = consistencyProof(all, m, n);
          expect(verifyConsistency(BigInt(m), BigInt(n), root1, root2, proof), `m=${m} n=${n}`).to.equal(true);
          if (m < n) {
            expect(verifyConsistency(BigInt(m), BigInt(n), root2, root1, proof)).to.equal(false);
            expect(verifyConsistency(BigInt(m), BigInt(n), leafHash(Buffer.from('x')), root2, proof)).to.equal(false);
            if (m + 1 < n) expect(verifyConsistency(BigInt(m + 1), BigInt(n), root1, root2, proof)).to.equal(false);
          } else {
            expect(proof).to.deep.equal([]);
          }
        }
      }
    });

    it('generators refuse impossible arguments', () => {
      expect(() => inclusionProof(all, 33)).to.throw(RangeError);
      expect(() => inclusionProof([], 0)).to.throw(RangeError);
      expect(() => consistencyProof(all, 0, 5)).to.throw(RangeError);
      expect(() => consistencyProof(all, 6, 5)).to.throw(RangeError);
      expect(() => consistencyProof(all, 1, 34)).to.throw(RangeError);
    });
  });

  describe('verifiers never throw on malformed input', () => {
    const tree = leaves(5);
    const root = rootFromLeafHashes(tree);
    const proof = inclusionProof(tree, 2);
    const junk: unknown[] = [null, undefined, 3, 'abc', {}, [1], Buffer.alloc(0), Buffer.alloc(33)];
    it('verifyInclusion', () => {
      expect(verifyInclusion(2n, 5n, tree[2]!, proof, root)).to.equal(true);
      for (const j of junk) {
        expect(verifyInclusion(j as bigint, 5n, tree[2]!, proof, root)).to.equal(false);
        expect(verifyInclusion(2n, j as bigint, tree[2]!, proof, root)).to.equal(false);
        expect(verifyInclusion(2n, 5n, j as Buffer, proof, root)).to.equal(false);
        expect(verifyInclusion(2n, 5n, tree[2]!, j as Buffer[], root)).to.equal(false);
        expect(verifyInclusion(2n, 5n, tree[2]!, [j as Buffer, ...proof.slice(1)], root)).to.equal(false);
        expect(verifyInclusion(2n, 5n, tree[2]!, proof, j as Buffer)).to.equal(false);
      }
      expect(verifyInclusion(-1n, 5n, tree[2]!, proof, root)).to.equal(false);
      expect(verifyInclusion(2n, 1n << 64n, tree[2]!, proof, root)).to.equal(false);
    });
    it('verifyConsistency', () => {
      const p = consistencyProof(tree, 3, 5);
      const r1 = rootFromLeafHashes(tree.slice(0, 3));
      expect(verifyConsistency(3n, 5n, r1, root, p)).to.equal(true);
      for (const j of junk) {
        expect(verifyConsistency(j as bigint, 5n, r1, root, p)).to.equal(false);
        expect(verifyConsistency(3n, j as bigint, r1, root, p)).to.equal(false);
        expect(verifyConsistency(3n, 5n, j as Buffer, root, p)).to.equal(false);
        expect(verifyConsistency(3n, 5n, r1, j as Buffer, p)).to.equal(false);
        expect(verifyConsistency(3n, 5n, r1, root, j as Buffer[])).to.equal(false);
        expect(verifyConsistency(3n, 5n, r1, root, [...p, j as Buffer])).to.equal(false);
      }
      expect(verifyConsistency(3n, 5n, r1, root, [...p, p[0]!])).to.equal(false);
      expect(verifyConsistency(3n, 5n, r1, root, p.slice(1))).to.equal(false);
    });
  });

  describe('interop: transparency-dev/merkle vectors', function () {
    let dir: string;
    before(function () {
      dir = requireVectors(this);
    });

    it('reproduces the rfc6962 known answers (hasher, leaves, nodes, roots, compact trees)', () => {
      const ka = readJson(dir, 'merkle/rfc6962-known-answers.json');
      const inputs: Buffer[] = ka.leafInputsHex.map((h: string) => Buffer.from(h, 'hex'));
      const hashes = inputs.map((d) => leafHash(d));
      expect(hashes.map(hex)).to.deep.equal(ka.leafHashesHex);
      ka.nodeHashesHex.forEach((level: string[], l: number) => {
        level.forEach((want, i) => expect(hex(rootFromLeafHashes(hashes.slice(i * 2 ** l, (i + 1) * 2 ** l))), `level ${l} index ${i}`).to.equal(want));
      });
      expect(ka.rootHashesHex).to.have.length(9);
      for (const r of ka.rootHashesHex) {
        expect(hex(rootOfFirst(hashes, r.treeSize)), `size ${r.treeSize}`).to.equal(r.rootHex);
        expect(rootOfFirst(hashes, r.treeSize).toString('base64')).to.equal(r.rootBase64);
      }
      for (const t of ka.compactTrees) {
        const cr = new CompactRange();
        for (const h of hashes.slice(0, t.treeSize)) cr.append(h);
        expect(cr.nodes().map((n) => ({ level: n.level, hashHex: hex(n.hash) })), `size ${t.treeSize}`).to.deep.equal(t.nodes.map((n: any) => ({ level: n.level, hashHex: n.hashHex })));
      }
      expect(ka.rfc6962HasherKnownAnswers.length).to.be.greaterThan(0);
      for (const c of ka.rfc6962HasherKnownAnswers) {
        const got =
          c.function === 'emptyRoot' ? emptyRoot() : c.function === 'hashLeaf' ? leafHash(Buffer.from(c.leafHex, 'hex')) : nodeHash(Buffer.from(c.leftHex, 'hex'), Buffer.from(c.rightHex, 'hex'));
        expect(hex(got), c.desc).to.equal(c.wantHex);
      }
    });

    it('decides every inclusion vector as wantErr says', () => {
      const files = jsonFiles(join(dir, 'merkle', 'inclusion'));
      expect(files.length).to.equal(98);
      let accepted = 0;
      for (const f of files) {
        const v = parseBigFields(readFileSync(f, 'utf8'));
        const ok = verifyInclusion(BigInt(v.leafIdx), BigInt(v.treeSize), b64(v.leafHash), (v.proof ?? []).map(b64), b64(v.root));
        expect(ok, relative(dir, f)).to.equal(!v.wantErr);
        if (ok) accepted++;
      }
      expect(accepted).to.equal(6);
    });

    it('reads 2^64-1 exactly from leafIdx-sub-@1', () => {
      const v = parseBigFields(readFileSync(join(dir, 'merkle/inclusion/0/leafIdx-sub-@1.json'), 'utf8'));
      expect(BigInt(v.leafIdx)).to.equal((1n << 64n) - 1n);
    });

    it('decides every consistency vector as wantErr says', () => {
      const files = jsonFiles(join(dir, 'merkle', 'consistency'));
      expect(files.length).to.equal(98);
      let accepted = 0;
      for (const f of files) {
        const v = parseBigFields(readFileSync(f, 'utf8'));
        const ok = verifyConsistency(BigInt(v.size1), BigInt(v.size2), b64(v.root1), b64(v.root2), (v.proof ?? []).map(b64));
        expect(ok, relative(dir, f)).to.equal(!v.wantErr);
        if (ok) accepted++;
      }
      expect(accepted).to.equal(6);
    });
  });
});
