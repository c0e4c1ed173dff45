// Check 9 (src/validate/checks/kind.ts): standard entries pass; the recovery kinds carry no intent or
// attestation commit, must carry a reason, and a bypass names its ref.
import { expect } from 'chai';
import { kind } from '../../../../src/validate/checks/kind.js';
import { ctx, history } from './_fixture.js';

describe('validate/checks/kind (check 9)', () => {
  it('a standard entry passes', async () => {
    const { git, p } = history();
    expect(await kind(await ctx(git, p))).to.deep.equal({ ok: true, detail: 'standard' });
  });

  it('a bypass with a scope, an attestation, no reason and no ref fails on all four', async () => {
    const { git, p } = history();
    p.kind = 'bypass';
    const r = await kind(await ctx(git, p));
    expect(r.ok).to.equal(false);
    expect(r.detail!.split('; ')).to.have.length(4);
  });

  it('a bypass with a reason and its ref passes', async () => {
    const { git, p } = history();
    Object.assign(p, { kind: 'bypass', scope: null, selfAttestation: null, notes: { reason: 'hotfix' } });
    p.range.ref = 'refs/heads/main';
    expect(await kind(await ctx(git, p))).to.deep.equal({ ok: true, detail: 'bypass: hotfix' });
  });

  for (const k of ['retroactive', 'abandonment', 'repair'] as const) {
    it(`${k}: no reason fails closed; with one it passes`, async () => {
      const { git, p } = history();
      Object.assign(p, { kind: k, scope: null, selfAttestation: null });
      expect((await kind(await ctx(git, p))).ok).to.equal(false);
      p.notes = { reason: 'why' };
      expect(await kind(await ctx(git, p))).to.deep.equal({ ok: true, detail: `${k}: why` });
    });
  }

  it('an abandonment may keep its scope; a retroactive entry may not', async () => {
    const { git, p } = history();
    Object.assign(p, { kind: 'abandonment', selfAttestation: null, notes: { reason: 'dropped' } });
    expect((await kind(await ctx(git, p))).ok).to.equal(true);
    p.kind = 'retroactive';
    expect((await kind(await ctx(git, p))).ok).to.equal(false);
  });

  it('a retroactive entry that keeps an attestation commit fails', async () => {
    const { git, p } = history();
    Object.assign(p, { kind: 'retroactive', scope: null, notes: { reason: 'late' } });
    expect((await kind(await ctx(git, p))).ok).to.equal(false);
  });
});
