// The entry stage's ordered run (src/validate/checks/index.ts checkEntry): all nine checks named in the
// order of the one list (src/core/checks.ts), every problem of an entry collected, a missing range stopping.
import { expect } from 'chai';
import { CHECK_NAMES, CHAIN_CHECKS, ENTRY_CHECKS } from '../../../../src/core/checks.js';
import { cachedChecks, chainPassed, checkEntry } from '../../../../src/validate/checks/index.js';
import { entry, env, history, POLICY } from './_fixture.js';

describe('validate/checks/index: the ordered run', () => {
  it('the one ordered list names the nine checks, chain stage first', () => {
    expect([...CHECK_NAMES]).to.deep.equal(['schema', 'signature', 'chain', 'repository', 'range', 'scope', 'attestation', 'verdicts', 'kind']);
    expect([...CHAIN_CHECKS, ...ENTRY_CHECKS]).to.deep.equal([...CHECK_NAMES]);
  });

  it('a good entry passes all nine, named in the list order', async () => {
    const { git, p } = history();
    const cl = await checkEntry(entry(p), env(git));
    expect(cl.results.map((r) => r.name)).to.deep.equal([...CHECK_NAMES]);
    expect(cl.ok, JSON.stringify(cl.failed())).to.equal(true);
  });

  it('collects every problem of an entry before failing', async () => {
    const { git, p } = history();
    p.workstream = 'ws-2';
    const cl = await checkEntry(entry(p), env(git, { policy: { ...POLICY, require: { verdict: 'required' } } }));
    expect(cl.results.map((r) => r.name)).to.deep.equal([...CHECK_NAMES]);
    expect(cl.failed().map((f) => f.name)).to.deep.equal(['scope', 'attestation', 'verdicts']);
  });

  it('stops after range when the range is not in this repository', async () => {
    const { git, p } = history();
    p.range.head = 'GONE';
    const cl = await checkEntry(entry(p), env(git));
    expect(cl.results.map((r) => r.name)).to.deep.equal(['schema', 'signature', 'chain', 'repository', 'range']);
    expect(cl.failed().map((f) => f.name)).to.deep.equal(['range']);
    expect(cl.ok).to.equal(false);
  });

  it('chainPassed restates checks 1-4 with who signed; cachedChecks names all nine as passed', () => {
    const { p } = history();
    const chain = chainPassed(entry(p, { signedAs: 'Olive <olive@example.com>', epochCommit: 'e'.repeat(40) }));
    expect(chain.results.map((r) => [r.name, r.ok])).to.deep.equal(CHAIN_CHECKS.map((n) => [n, true]));
    expect(chain.results[1]!.detail).to.contain('Olive <olive@example.com> (key)');
    const cl = cachedChecks(entry(p));
    expect(cl.results.map((r) => r.name)).to.deep.equal([...CHECK_NAMES]);
    expect(cl.ok).to.equal(true);
  });
});
