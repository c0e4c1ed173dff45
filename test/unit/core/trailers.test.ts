import { expect } from 'chai';
import { formatMessage, parseTrailers, trailerValue, trailerValues } from '../../../src/core/trailers.js';

describe('core/trailers', () => {
  it('reads the trailer block git writes after a body', () => {
    const msg = 'csae: register intent\n\nWhy this work exists, in prose.\nSecond line of the body.\n\nCSAE-Type: intent\nCSAE-Workstream: ws-login\nSigned-off-by: Jane Doe <jane@example.com>\n';
    expect(parseTrailers(msg)).to.deep.equal([
      { key: 'CSAE-Type', value: 'intent' },
      { key: 'CSAE-Workstream', value: 'ws-login' },
      { key: 'Signed-off-by', value: 'Jane Doe <jane@example.com>' },
    ]);
  });

  it('reads trailers directly after the subject, with CRLF line ends and trailing blank lines', () => {
    expect(parseTrailers('subject\r\n\r\nKey: v\r\nOther: w\r\n\r\n\r\n')).to.deep.equal([
      { key: 'Key', value: 'v' },
      { key: 'Other', value: 'w' },
    ]);
  });

  it('treats a whitespace-only line as a paragraph break', () => {
    expect(parseTrailers('subject\n \t\nKey: v\n')).to.deep.equal([{ key: 'Key', value: 'v' }]);
  });

  it('needs a subject paragraph before the trailer block', () => {
    expect(parseTrailers('CSAE-Type: intent\n')).to.deep.equal([]);
    expect(parseTrailers('')).to.deep.equal([]);
  });

  it('yields no trailers when the last paragraph mixes prose and trailers', () => {
    expect(parseTrailers('subject\n\nThis sentence is prose.\nCSAE-Type: bundle\n')).to.deep.equal([]);
    expect(parseTrailers('subject\n\nCSAE-Type: bundle\nand then some prose\n')).to.deep.equal([]);
  });

  it('does not read trailers from an earlier paragraph', () => {
    expect(parseTrailers('subject\n\nCSAE-Type: bundle\n\nA closing paragraph of prose.\n')).to.deep.equal([]);
  });

  it('joins indented continuation lines to the previous value', () => {
    expect(parseTrailers('subject\n\nCSAE-Intent: make login\n  work with SSO\n\tand MFA\nNext: x\n')).to.deep.equal([
      { key: 'CSAE-Intent', value: 'make login work with SSO and MFA' },
      { key: 'Next', value: 'x' },
    ]);
  });

  it('refuses a block that starts with a continuation line', () => {
    expect(parseTrailers('subject\n\n  indented: x\nKey: v\n')).to.deep.equal([]);
  });

  it('allows spaces before the separator and empty values, and rejects keys with bad characters', () => {
    expect(parseTrailers('s\n\nKey : v\nEmpty:\n')).to.deep.equal([
      { key: 'Key', value: 'v' },
      { key: 'Empty', value: '' },
    ]);
    expect(parseTrailers('s\n\nBad Key: v\n')).to.deep.equal([]);
    expect(parseTrailers('s\n\n-Key: v\n')).to.deep.equal([]);
  });

  it('trailerValues matches keys case-insensitively, in order', () => {
    const t = parseTrailers('s\n\nCSAE-Verdict: a\ncsae-verdict: b\nOther: c\n');
    expect(trailerValues(t, 'CSAE-VERDICT')).to.deep.equal(['a', 'b']);
    expect(trailerValues(t, 'missing')).to.deep.equal([]);
  });

  it('trailerValue returns the single value, undefined when absent, and throws on duplicates', () => {
    const t = parseTrailers('s\n\nCSAE-Type: intent\nCSAE-Workstream: ws-a\ncsae-workstream: ws-b\n');
    expect(trailerValue(t, 'csae-type')).to.equal('intent');
    expect(trailerValue(t, 'CSAE-Scope')).to.equal(undefined);
    // NOTE: trailerValue throws a plain Error (no code to assert), so only the throw itself is checked.
    expect(() => trailerValue(t, 'CSAE-Workstream')).to.throw(Error);
    expect(trailerValues(t, 'CSAE-Workstream')).to.deep.equal(['ws-a', 'ws-b']);
  });

  it('formatMessage writes what parseTrailers reads back', () => {
    const trailers = [
      { key: 'CSAE-Type', value: 'intent' },
      { key: 'CSAE-Workstream', value: 'ws-x' },
    ];
    const withBody = formatMessage('csae: intent ws-x', 'Body line one.\nBody line two.', trailers);
    expect(withBody).to.equal('csae: intent ws-x\n\nBody line one.\nBody line two.\n\nCSAE-Type: intent\nCSAE-Workstream: ws-x\n');
    expect(parseTrailers(withBody)).to.deep.equal(trailers);
    const noBody = formatMessage('subject', undefined, trailers);
    expect(noBody).to.equal('subject\n\nCSAE-Type: intent\nCSAE-Workstream: ws-x\n');
    expect(parseTrailers(noBody)).to.deep.equal(trailers);
  });
});
