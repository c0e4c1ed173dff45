// The chain stage's ordered run (src/mirror/chain.ts verifyEntry over src/mirror/checks/index.ts CHAIN_STEPS):
// the four in the order of the one list, every failure collected, a schema failure stopping the run.
import { expect } from 'chai';
import { CHAIN_CHECKS } from '../../../../src/core/checks.js';
import { verifyEntry } from '../../../../src/mirror/chain.js';
import { entryPath } from '../../../../src/mirror/layout.js';
import { EMPTY, entryBytes, NO_POLICY, predicate } from './_fixture.js';

describe('mirror/checks/index: the ordered run', () => {
  it('verifyEntry runs the four in list order, collects every failure, and stops after a schema failure', () => {
    const ok = verifyEntry(1, entryPath(1), entryBytes(predicate()), EMPTY, NO_POLICY);
    expect(ok.checks.results.map((r) => r.name)).to.deep.equal([...CHAIN_CHECKS]);
    expect(ok.entry?.predicate.seq).to.equal(1);
    const bad = verifyEntry(1, entryPath(1), entryBytes(predicate({ seq: 5 })), EMPTY, { repository: 'acme/other', bundleKeys: [], bypassKeys: [] });
    expect(bad.checks.results.map((r) => r.name)).to.deep.equal([...CHAIN_CHECKS]);
    expect(bad.checks.failed().map((f) => f.name)).to.deep.equal(['signature', 'chain', 'repository']);
    expect(bad.entry).to.equal(undefined);
    const gone = verifyEntry(1, entryPath(1), undefined, EMPTY, NO_POLICY);
    expect(gone.checks.results.map((r) => r.name)).to.deep.equal(['schema']);
  });
});
