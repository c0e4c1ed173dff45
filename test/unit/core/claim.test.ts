import { expect } from 'chai';
import { claimDigest, claimFromPredicate } from '../../../src/core/claim.js';
import { canonicalize } from '../../../src/core/jcs.js';
import { sha256Hex } from '../../../src/core/digest.js';
import type { BundlePredicate, Claim } from '../../../src/core/statement.js';

const C = (n: number): string => n.toString(16).padStart(40, '0');

function baseClaim(): Claim {
  return {
    repository: 'github.com/acme/orca',
    workstream: 'ws-login',
    scope: { commit: C(1), intent: 'Make login work with SSO', operator: 'Jane Doe <jane@example.com>', registeredAt: '2025-01-02T03:04:05Z' },
    range: { base: C(0), commits: [C(1), C(2), C(3)] },
    verdicts: [{ digest: 'sha256:' + 'ab'.repeat(32), reviewer: 'rev-bot', status: 'pass', score: 92, floor: 80 }],
  };
}

describe('core/claim', () => {
  it('claimDigest is sha256: over the JCS bytes of the claim', () => {
    const c = baseClaim();
    const d = claimDigest(c);
    expect(d).to.match(/^sha256:[0-9a-f]{64}$/);
    expect(d).to.equal('sha256:' + sha256Hex(canonicalize(c)));
  });

  it('is stable across calls and key insertion order', () => {
    const c = baseClaim();
    const reordered: Claim = {
      verdicts: [{ floor: 80, score: 92, status: 'pass', reviewer: 'rev-bot', digest: 'sha256:' + 'ab'.repeat(32) }],
      range: { commits: [C(1), C(2), C(3)], base: C(0) },
      scope: { registeredAt: '2025-01-02T03:04:05Z', operator: 'Jane Doe <jane@example.com>', intent: 'Make login work with SSO', commit: C(1) },
      workstream: 'ws-login',
      repository: 'github.com/acme/orca',
    };
    expect(claimDigest(c)).to.equal(claimDigest(baseClaim()));
    expect(claimDigest(reordered)).to.equal(claimDigest(c));
  });

  const mutations: [string, (c: Claim) => void][] = [
    ['repository', (c) => (c.repository = 'github.com/acme/orca2')],
    ['workstream', (c) => (c.workstream = 'ws-login2')],
    ['scope.commit', (c) => (c.scope.commit = C(9))],
    ['scope.intent', (c) => (c.scope.intent += '.')],
    ['scope.operator', (c) => (c.scope.operator = 'John Doe <john@example.com>')],
    ['scope.registeredAt', (c) => (c.scope.registeredAt = '2025-01-02T03:04:06Z')],
    ['range.base', (c) => (c.range.base = C(7))],
    ['range.commits content', (c) => (c.range.commits[2] = C(4))],
    ['range.commits order', (c) => c.range.commits.reverse()],
    ['range.commits length', (c) => c.range.commits.pop()],
    ['verdicts[0].digest', (c) => (c.verdicts[0]!.digest = 'sha256:' + 'cd'.repeat(32))],
    ['verdicts[0].reviewer', (c) => (c.verdicts[0]!.reviewer = 'other')],
    ['verdicts[0].status', (c) => (c.verdicts[0]!.status = 'fail')],
    ['verdicts[0].score', (c) => (c.verdicts[0]!.score = 91)],
    ['verdicts[0].floor', (c) => (c.verdicts[0]!.floor = 81)],
    ['verdicts (added)', (c) => c.verdicts.push({ ...c.verdicts[0]! })],
    ['verdicts (removed)', (c) => (c.verdicts = [])],
  ];
  for (const [field, mutate] of mutations) {
    it(`changes when ${field} changes`, () => {
      const c = baseClaim();
      mutate(c);
      expect(claimDigest(c)).to.not.equal(claimDigest(baseClaim()));
    });
  }

  describe('claimFromPredicate', () => {
    function predicate(): BundlePredicate {
      const c = baseClaim();
      return {
        version: 1,
        kind: 'standard',
        repository: c.repository,
        workstream: c.workstream,
        scope: c.scope,
        range: { base: c.range.base, head: C(4), commits: [...c.range.commits, C(4)] },
        verdicts: c.verdicts,
        selfAttestation: { commit: C(4), claimDigest: claimDigest(c) },
        seq: 7,
        predecessor: { seq: 6, digest: 'sha256:' + '11'.repeat(32) },
        author: 'Jane Doe <jane@example.com>',
        createdAt: '2025-01-02T04:00:00Z',
      };
    }

    it('recovers the claim (range less the head) and so its digest', () => {
      const p = predicate();
      const claim = claimFromPredicate(p);
      expect(claim).to.deep.equal(baseClaim());
      expect(claimDigest(claim!)).to.equal(p.selfAttestation!.claimDigest);
    });

    it('returns null without a scope or without a base', () => {
      expect(claimFromPredicate({ ...predicate(), scope: null })).to.equal(null);
      const p = predicate();
      expect(claimFromPredicate({ ...p, range: { ...p.range, base: null } })).to.equal(null);
    });
  });
});
