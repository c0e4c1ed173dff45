// Check 8 (src/validate/checks/verdicts.ts) on real Ed25519-signed verdicts: every verdict the entry names
// is in the mirror with its digest, signed by a trusted reviewer, pass, at or above both floors, summarised
// truthfully, covering the reviewed range; the two-party rule; a verdict when the policy requires one.
import { expect } from 'chai';
import type { Policy } from '../../../../src/policy/policy.js';
import type { BundlePredicate, VerdictRef } from '../../../../src/core/statement.js';
import { verdicts } from '../../../../src/validate/checks/verdicts.js';
import type { VerdictFile } from '../../../../src/verdict/verdict.js';
import { person, signedVerdict, type Person } from '../../_signed.js';
import { ctx, history, POLICY } from './_fixture.js';
import type { FakeGit } from '../../../helpers/fakegit.js';

const rita = person('rita');
const olive = person('olive'); // signs the bundles
const mallory = person('mallory'); // trusted by nobody

const policy = (o: Partial<Policy> = {}): Policy => ({ ...POLICY, signers: { verdicts: [rita.entry, olive.entry], bundles: [olive.entry] }, ...o });

const ref = (v: VerdictFile): VerdictRef => {
  const vp = v.statement.predicate;
  return { digest: v.digest, status: vp.status, score: vp.score, floor: vp.floor, reviewer: `${vp.reviewer.name} <${vp.reviewer.email}>` };
};

/** the standard fixture with `vs` named by the entry and held by the mirror */
async function run(vs: VerdictFile[], o: { policy?: Policy; mirror?: VerdictFile[]; edit?: (p: BundlePredicate, git: FakeGit) => void; signer?: Person } = {}) {
  const { git, p } = history();
  p.verdicts = vs.map(ref);
  o.edit?.(p, git);
  const held = new Map((o.mirror ?? vs).map((v) => [v.digest, v]));
  const s = o.signer ?? olive;
  const c = await ctx(git, p, { policy: o.policy ?? policy(), loadVerdict: async (d) => held.get(d) ?? null }, { signer: s.name, keyid: s.trusted.keyid });
  return verdicts(c);
}

const WORK = ['A0', 'W1', 'W2'];

describe('validate/checks/verdicts (check 8)', () => {
  it('passes a trusted reviewer\'s passing verdict over the work', async () => {
    const r = await run([await signedVerdict(rita, WORK)]);
    expect(r).to.deep.equal({ ok: true, detail: 'reviewed by rita <rita@example.com>' });
  });

  it('no verdict passes when the policy does not require one, and fails when it does', async () => {
    expect(await run([])).to.deep.equal({ ok: true, detail: 'none required' });
    expect((await run([], { policy: policy({ require: { verdict: 'required' } }) })).ok).to.equal(false);
  });

  it('fails on a verdict signed by a key the policy does not trust', async () => {
    expect((await run([await signedVerdict(mallory, WORK)])).ok).to.equal(false);
  });

  it('fails on a verdict whose declared reviewer is trusted but whose signature is not (the name is never decisive)', async () => {
    const v = await signedVerdict(mallory, WORK, { reviewer: { name: 'rita', email: 'rita@example.com' } });
    expect((await run([v])).ok).to.equal(false);
  });

  it('fails on a fail verdict, and on a score below its floor or the policy\'s', async () => {
    expect((await run([await signedVerdict(rita, WORK, { status: 'fail', score: 3 })])).ok).to.equal(false);
    expect((await run([await signedVerdict(rita, WORK, { score: 6, floor: 7 })])).ok).to.equal(false);
    const v = await signedVerdict(rita, WORK, { score: 8, floor: 7 });
    expect((await run([v], { policy: policy({ require: { floor: 9 } }) })).ok).to.equal(false);
    expect((await run([v], { policy: policy({ require: { floor: 8 } }) })).ok, 'control: at the floor').to.equal(true);
  });

  it('fails when the entry\'s summary of a verdict lies about it', async () => {
    const v = await signedVerdict(rita, WORK, { score: 7 });
    const r = await run([v], { edit: (p) => (p.verdicts[0]!.score = 10) });
    expect(r.ok).to.equal(false);
  });

  it('fails when the verdicts review a different range than the entry lists', async () => {
    expect((await run([await signedVerdict(rita, ['A0', 'W1'])])).ok).to.equal(false);
  });

  describe('fails closed on missing data', () => {
    it('a verdict the mirror does not hold', async () => {
      expect((await run([await signedVerdict(rita, WORK)], { mirror: [] })).ok).to.equal(false);
    });
    it('a verdict whose bytes are not the named digest (the mirror answers with other bytes)', async () => {
      const good = await signedVerdict(rita, WORK);
      const other = await signedVerdict(rita, WORK, { summary: 'a different review' });
      // the loader answers the named digest with another verdict
      const { git, p } = history();
      p.verdicts = [ref(good)];
      const c = await ctx(git, p, { policy: policy(), loadVerdict: async () => other }, { signer: 'olive', keyid: olive.trusted.keyid });
      expect((await verdicts(c)).ok).to.equal(false);
    });
    it('a policy that trusts no verdict signer', async () => {
      expect((await run([await signedVerdict(rita, WORK)], { policy: { ...POLICY } })).ok).to.equal(false);
    });
  });

  describe('two-party rule', () => {
    const twoParty = policy({ require: { twoParty: true } });
    it('a verdict signed by the bundle signer fails under twoParty, passes without', async () => {
      const v = await signedVerdict(olive, WORK);
      expect((await run([v], { policy: twoParty })).ok).to.equal(false);
      expect((await run([v])).ok).to.equal(true);
    });
    it('a retroactive entry needs a second party\'s passing verdict, unless retroactive: solo', async () => {
      const retro = (p: BundlePredicate): void => void Object.assign(p, { kind: 'retroactive', scope: null, selfAttestation: null, notes: { reason: 'late' } });
      expect((await run([], { policy: twoParty, edit: retro })).ok).to.equal(false);
      expect((await run([await signedVerdict(olive, WORK)], { policy: twoParty, edit: retro })).ok, 'the signer reviewing itself').to.equal(false);
      expect((await run([await signedVerdict(rita, WORK)], { policy: twoParty, edit: retro })).ok).to.equal(true);
      expect((await run([], { policy: { ...twoParty, retroactive: 'solo' }, edit: retro })).ok).to.equal(true);
    });
    it('an abandonment needs none', async () => {
      const r = await run([], { policy: twoParty, edit: (p) => void Object.assign(p, { kind: 'abandonment' }) });
      expect(r).to.deep.equal({ ok: true, detail: 'none (abandonment)' });
    });
  });
});
