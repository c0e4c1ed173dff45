// entryEnvironment (src/validate/checks/context.ts): the one builder of the environment checks 5-9 run in.
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { singlePlan } from '../../../../src/policy/epochs.js';
import type { Policy } from '../../../../src/policy/policy.js';
import { checkEntry, entryEnvironment } from '../../../../src/validate/checks/index.js';
import { FakeGit } from '../../../helpers/fakegit.js';
import { entry, history, POLICY } from './_fixture.js';

describe('validate/checks/context entryEnvironment: the one builder of the environment', () => {
  const key = (): string => 'ed25519:' + (generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32).toString('base64');
  const v1: Policy = { ...POLICY, signers: { verdicts: [{ name: 'old-reviewer', key: key() }] } };
  const v2: Policy = { ...POLICY, cutover: 'C2', signers: { verdicts: [{ name: 'new-reviewer', key: key() }] } };
  const plan = { ...singlePlan(v1), versions: [singlePlan(v1).versions[0]!, { ...singlePlan(v2).versions[0]!, commit: 'P2' }] };
  const parts = { cutover: null, firstClaim: new Map<string, number>(), loadVerdict: async () => null };

  it("judges an entry under its own epoch's policy, and its verdicts by that same policy's keys", () => {
    const git = new FakeGit();
    const e0 = entryEnvironment(git, { ...parts, policy: v2, plan, epoch: 0 });
    expect(e0.policy).to.equal(v1);
    expect(e0.verdictKeys.map((k) => k.name)).to.deep.equal(['old-reviewer']);
    const e1 = entryEnvironment(git, { ...parts, policy: v1, plan, epoch: 1 });
    expect(e1.policy).to.equal(v2);
    expect(e1.verdictKeys.map((k) => k.name)).to.deep.equal(['new-reviewer']);
  });
  it('without epochs it is the policy given; the cutover is the one the caller resolved', () => {
    const env = entryEnvironment(new FakeGit(), { ...parts, policy: v2, cutover: 'C9' });
    expect(env.policy).to.equal(v2);
    expect(env.cutover).to.equal('C9');
    expect(env.verdictKeys.map((k) => k.name)).to.deep.equal(['new-reviewer']);
  });
  it('asks git for ranges and commits unless the caller brings its own', async () => {
    const { git, p } = history();
    const cl = await checkEntry(entry(p), entryEnvironment(git, { ...parts, policy: POLICY }));
    expect(cl.ok, JSON.stringify(cl.failed())).to.equal(true);
  });
});
