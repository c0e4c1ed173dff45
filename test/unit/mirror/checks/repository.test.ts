// Check 4 (src/mirror/checks/repository.ts): the entry is for the repository the policy names.
import { expect } from 'chai';
import { repository } from '../../../../src/mirror/checks/repository.js';
import { schema } from '../../../../src/mirror/checks/schema.js';
import { ctx, entryBytes, NO_POLICY, predicate } from './_fixture.js';

describe('mirror/checks/repository (check 4)', () => {
  it('repository: the entry must be for the repository the policy names', () => {
    const c = ctx(entryBytes(predicate()), { o: { ...NO_POLICY, repository: 'acme/other' } });
    schema(c);
    expect(repository(c)).to.deep.equal({ ok: false, detail: 'entry is for acme/app, the policy names acme/other' });
    c.o = NO_POLICY;
    expect(repository(c)).to.deep.equal({ ok: true });
  });
});
