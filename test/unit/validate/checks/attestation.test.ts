// Check 7 (src/validate/checks/attestation.ts): range.head is the attestation commit — one parent, an
// unchanged tree, CSAE-Type: attestation, and CSAE-Claim equal to the claim recomputed from git; its
// workstream, scope and verdict trailers agree with the entry.
import { expect } from 'chai';
import { attestation } from '../../../../src/validate/checks/attestation.js';
import { ctx, history } from './_fixture.js';

const claimLine = (d: string): string => `csae: attest ws-1\n\nbody\n\nCSAE-Type: attestation\nCSAE-Workstream: ws-1\nCSAE-Claim: ${d}\nCSAE-Scope: A0\n`;

describe('validate/checks/attestation (check 7)', () => {
  it('passes when head carries the recomputed claim digest with an unchanged tree', async () => {
    const { git, p } = history();
    expect(await attestation(await ctx(git, p))).to.deep.equal({ ok: true, detail: 'H' });
  });

  it('fails when CSAE-Claim differs from the recomputed claim', async () => {
    const { git, p } = history({ attest: () => claimLine('sha256:' + 'f'.repeat(64)) });
    const r = await attestation(await ctx(git, p));
    expect(r.ok).to.equal(false);
    expect(r.detail).to.contain('sha256:' + 'f'.repeat(64));
  });

  it('the same message with the right digest passes (the control for the case above)', async () => {
    const { git, p } = history({ attest: (q) => claimLine(q.selfAttestation!.claimDigest) });
    expect((await attestation(await ctx(git, p))).ok).to.equal(true);
  });

  it('fails when the entry\'s claim digest is not the one recomputed from git (a claim edited after the fact)', async () => {
    const { git, p } = history();
    p.scope!.intent = 'Something else.';
    expect((await attestation(await ctx(git, p))).ok).to.equal(false);
  });

  it('fails when the attestation commit changes files', async () => {
    const { git, p } = history();
    git.commits.get('H')!.tree = 't9';
    expect(await attestation(await ctx(git, p))).to.deep.equal({ ok: false, detail: 'the attestation commit changes files' });
  });

  it('fails when the attestation commit is a merge', async () => {
    const { git, p } = history();
    git.commits.get('H')!.parents.push('W1');
    expect((await attestation(await ctx(git, p))).ok).to.equal(false);
  });

  it('fails when head is a plain commit with no trailers', async () => {
    const { git, p } = history({ attest: () => 'just a commit\n' });
    expect((await attestation(await ctx(git, p))).ok).to.equal(false);
  });

  it('fails when selfAttestation names another commit than range.head', async () => {
    const { git, p } = history();
    p.selfAttestation = { ...p.selfAttestation!, commit: 'W2' };
    expect((await attestation(await ctx(git, p))).ok).to.equal(false);
  });

  it('fails when the entry names a verdict the attestation commit does not', async () => {
    const { git, p } = history();
    p.verdicts = [{ digest: 'sha256:' + 'a'.repeat(64), status: 'pass', score: 9, floor: 7, reviewer: 'rita' }];
    expect((await attestation(await ctx(git, p))).ok).to.equal(false);
  });

  describe('fails closed on missing data', () => {
    it('no selfAttestation at all', async () => {
      const { git, p } = history();
      p.selfAttestation = null;
      expect((await attestation(await ctx(git, p))).ok).to.equal(false);
    });
    it('the attestation commit is not in this repository', async () => {
      const { git, p } = history();
      const c = await ctx(git, p);
      c.objs.delete('H');
      expect((await attestation(c)).ok).to.equal(false);
    });
    it('the attestation commit\'s parent is not in this repository (its tree cannot be compared)', async () => {
      const { git, p } = history();
      const c = await ctx(git, p);
      git.commits.delete('W2');
      expect((await attestation(c)).ok).to.equal(false);
    });
  });

  it('is n/a for the recovery kinds', async () => {
    const { git, p } = history();
    p.kind = 'abandonment';
    expect(await attestation(await ctx(git, p))).to.deep.equal({ ok: true, detail: 'n/a for abandonment' });
  });
});
