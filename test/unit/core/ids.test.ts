import { expect } from 'chai';
import { assertCommitId, assertIdentity, assertIntentText, assertReason, assertWorkstream, isCommitId } from '../../../src/core/ids.js';
import { isCsaeError } from '../../../src/core/errors.js';
import { thrown } from '../_support.js';

function code(fn: () => unknown): string {
  const e = thrown(fn);
  expect(isCsaeError(e), String(e)).to.equal(true);
  return e.code;
}

describe('core/ids', () => {
  describe('assertWorkstream', () => {
    it('accepts 1-64 characters of a-z 0-9 . _ - starting with a letter or digit', () => {
      for (const id of ['a', '0', 'ws-login', 'fix_42.v2', 'a'.repeat(64)]) expect(assertWorkstream(id)).to.equal(id);
    });
    const bad: [string, unknown][] = [
      ['a slash', 'team/login'],
      ['..', 'a..b'],
      ['a space', 'ws login'],
      ['uppercase', 'WS-login'],
      ['65 characters', 'a'.repeat(65)],
      ['the empty string', ''],
      ['a leading dash', '-ws'],
      ['a leading dot', '.ws'],
      ['a newline', 'ws\n'],
      ['a non-ASCII letter', 'wé'],
      ['a number', 42],
      ['undefined', undefined],
    ];
    for (const [what, id] of bad) {
      it(`rejects ${what} with bad-id`, () => {
        expect(code(() => assertWorkstream(id))).to.equal('bad-id');
      });
    }
    it('tells the user what to run next', () => {
      expect(thrown(() => assertWorkstream('A')).next).to.match(/csae intent register/);
    });
  });

  describe('assertIntentText', () => {
    it('accepts one plain line up to 500 characters, counting code points', () => {
      expect(assertIntentText('Make login work with SSO')).to.equal('Make login work with SSO');
      expect(assertIntentText('x'.repeat(500))).to.have.length(500);
      const emoji = '\u{1F600}'.repeat(500); // 1000 UTF-16 units, 500 characters
      expect(assertIntentText(emoji)).to.equal(emoji);
    });
    const bad: [string, unknown][] = [
      ['a newline', 'line one\nline two'],
      ['a tab', 'a\tb'],
      ['a NUL', 'a\u0000b'],
      ['a BEL', 'a\u0007b'],
      ['DEL', 'a\u007fb'],
      ['a C1 control', 'a\u0085b'],
      ['U+202E RIGHT-TO-LEFT OVERRIDE', 'fix \u202Eevil'],
      ['U+2066 LEFT-TO-RIGHT ISOLATE', 'fix \u2066evil\u2069'],
      ['U+200F RIGHT-TO-LEFT MARK', 'a\u200fb'],
      ['U+2028 LINE SEPARATOR', 'a\u2028b'],
      ['501 characters', 'x'.repeat(501)],
      ['501 astral characters', '\u{1F600}'.repeat(501)],
      ['the empty string', ''],
      ['only spaces', '   '],
      ['a non-string', 7],
    ];
    for (const [what, text] of bad) {
      it(`rejects ${what} with bad-intent`, () => {
        expect(code(() => assertIntentText(text))).to.equal('bad-intent');
      });
    }
  });

  describe('commit ids', () => {
    it('accepts full lowercase 40- and 64-hex ids', () => {
      const sha1 = 'd20ace7968ba43c0219f62d71334c1095bab1602';
      const sha256 = 'a1234567b1234567c1234567d1234567e1234567f1234567a1234567b1234567';
      expect(isCommitId(sha1)).to.equal(true);
      expect(isCommitId(sha256)).to.equal(true);
      expect(assertCommitId(sha1)).to.equal(sha1);
      expect(assertCommitId(sha256)).to.equal(sha256);
    });
    it('rejects abbreviated, uppercase, wrong-length and non-hex ids', () => {
      const sha1 = 'd20ace7968ba43c0219f62d71334c1095bab1602';
      for (const s of [sha1.slice(0, 7), sha1.slice(0, 39), sha1 + '0', sha1.toUpperCase(), 'g'.repeat(40), 'a'.repeat(63), 'a'.repeat(65), '', null, 40]) {
        expect(isCommitId(s), String(s)).to.equal(false);
      }
      expect(code(() => assertCommitId('HEAD'))).to.equal('bad-id');
    });
  });

  describe('assertReason and assertIdentity', () => {
    it('assertReason applies the intent rules with its own limit', () => {
      expect(assertReason('lost the laptop')).to.equal('lost the laptop');
      expect(code(() => assertReason('x'.repeat(11), 'reason', 10))).to.equal('usage');
      expect(code(() => assertReason('a\u202Eb'))).to.equal('usage');
      expect(code(() => assertReason(''))).to.equal('usage');
    });
    it('assertIdentity wants "Name <email>"', () => {
      expect(assertIdentity('Jane Doe <jane@example.com>')).to.equal('Jane Doe <jane@example.com>');
      for (const s of ['jane@example.com', 'Jane <jane@example.com', 'Ja<ne <j@e>', 'Jane <j e@x>', 'Jane\n <j@e>', 'Ja\u202Ene <j@e>']) {
        expect(code(() => assertIdentity(s)), s).to.equal('usage');
      }
    });
  });
});
