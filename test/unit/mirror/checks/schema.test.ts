// Check 1 (src/mirror/checks/schema.ts): the entry file is canonical JCS plus one newline, a DSSE envelope of
// a bundle statement the schema accepts, subjects equal to range.commits; unreadable bytes stop the run.
import { expect } from 'chai';
import { schema } from '../../../../src/mirror/checks/schema.js';
import { entryPath } from '../../../../src/mirror/layout.js';
import { C, ctx, entryBytes, predicate } from './_fixture.js';

describe('mirror/checks/schema (check 1)', () => {
  it('schema: parses a canonical entry and leaves the statement for the next checks', () => {
    const c = ctx(entryBytes(predicate()));
    expect(schema(c)).to.deep.equal({ ok: true });
    expect(c.statement?.predicate.workstream).to.equal('ws-1');
  });
  it('schema: a non-canonical file, or one that cannot be read, fails and stops the run', () => {
    expect(schema(ctx(entryBytes(predicate(), { canonical: false })))).to.deep.equal({ ok: false, stop: true, detail: `${entryPath(1)}: the file is not canonical JCS plus one newline` });
    expect(schema(ctx(undefined))).to.deep.equal({ ok: false, stop: true, detail: `entry ${entryPath(1)} could not be read from the mirror` });
  });
  it('schema: subjects that differ from range.commits fail', () => {
    const r = schema(ctx(entryBytes(predicate(), { subjects: [C(3), C(2)] })));
    expect(r).to.deep.equal({ ok: false, stop: true, detail: `${entryPath(1)}: subjects differ from range.commits` });
  });
  it('schema: range.head not among the commits fails; bytes that are not JSON fail and stop', () => {
    expect(schema(ctx(entryBytes(predicate({ range: { base: C(1), head: C(9), commits: [C(2), C(3)] } }))))).to.include({ ok: false, stop: true });
    expect(schema(ctx(Buffer.from('not json\n')))).to.include({ ok: false, stop: true });
  });
  it('schema: a predicate the schema refuses (unknown kind) fails and stops', () => {
    expect(schema(ctx(entryBytes(predicate({ kind: 'sneaky' as never }))))).to.include({ ok: false, stop: true });
  });
});
