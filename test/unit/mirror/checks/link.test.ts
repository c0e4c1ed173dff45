// Check 3 (src/mirror/checks/link.ts), "chain": file seq follows the last, predicate seq and path agree, and
// the predecessor names the previous entry's seq and digest.
import { expect } from 'chai';
import type { ChainState } from '../../../../src/mirror/chain.js';
import { chain } from '../../../../src/mirror/checks/link.js';
import { schema } from '../../../../src/mirror/checks/schema.js';
import { entryPath } from '../../../../src/mirror/layout.js';
import { ctx, EMPTY, entryBytes, predicate } from './_fixture.js';

describe('mirror/checks/link (check 3, chain)', () => {
  it('chain: seq, path and predecessor must follow the last entry', () => {
    const c = ctx(entryBytes(predicate()));
    schema(c);
    expect(chain(c)).to.deep.equal({ ok: true });
    const d = ctx(entryBytes(predicate({ seq: 2, predecessor: { seq: 1, digest: 'sha256:' + 'a'.repeat(64) } })), { seq: 2, path: entryPath(2) });
    schema(d);
    const r = chain(d);
    expect(r.ok).to.equal(false);
    expect(r.detail).to.match(/file seq 2 follows 0/).and.match(/predecessor .* should be null/);
  });
  describe('after entry 1', () => {
    const D1 = 'sha256:' + '1'.repeat(64);
    const st = { ...EMPTY, lastSeq: 1, lastDigest: D1 } as ChainState;
    const run = (p = predicate({ seq: 2, predecessor: { seq: 1, digest: D1 } }), seq = 2, path = entryPath(2)) => {
      const c = ctx(entryBytes(p), { seq, path, st });
      schema(c);
      return chain(c);
    };
    it('the control: seq 2 naming entry 1 by its digest links', () => {
      expect(run()).to.deep.equal({ ok: true });
    });
    it('a predecessor with the wrong digest, a null predecessor, a skipped seq, a predicate seq that is not its path', () => {
      expect(run(predicate({ seq: 2, predecessor: { seq: 1, digest: 'sha256:' + '2'.repeat(64) } })).ok).to.equal(false);
      expect(run(predicate({ seq: 2, predecessor: null })).ok).to.equal(false);
      expect(run(predicate({ seq: 3, predecessor: { seq: 1, digest: D1 } }), 3, entryPath(3)).ok).to.equal(false);
      expect(run(predicate({ seq: 3, predecessor: { seq: 1, digest: D1 } })).ok).to.equal(false);
      expect(run(undefined, 2, entryPath(3)).ok).to.equal(false);
    });
  });
});
