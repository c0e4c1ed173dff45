import { expect } from 'chai';
import { canonicalize, storedBytes } from '../../../src/core/jcs.js';

describe('core/jcs (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units, not code points (RFC 8785 §3.2.3 example)', () => {
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    const order = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'] as const;
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB33 although its code point is larger.
    // (Compared as text: JSON.parse would move the integer-like key "1" first.)
    expect(canonicalize(input)).to.equal('{' + order.map((k) => `${JSON.stringify(k)}:${JSON.stringify(input[k])}`).join(',') + '}');
    expect(canonicalize(input).indexOf('\ud83d\ude00')).to.be.lessThan(canonicalize(input).indexOf('\ufb33'));
  });

  it('sorts nested object keys and keeps array order', () => {
    expect(canonicalize({ b: [3, { z: 1, a: 2 }, 1], a: { d: null, c: true } })).to.equal('{"a":{"c":true,"d":null},"b":[3,{"a":2,"z":1},1]}');
  });

  it('serialises numbers as ECMAScript does (RFC 8785 §3.2.2.3)', () => {
    const cases: [number, string][] = [
      [1e21, '1e+21'],
      [1e20, '100000000000000000000'],
      [-0, '0'],
      [8.5, '8.5'],
      [4.5, '4.5'],
      [0.002, '0.002'],
      [1e-7, '1e-7'],
      [0.000001, '0.000001'],
      [333333333.33333329, '333333333.3333333'],
      [1e30, '1e+30'],
      [-1.5e-27, '-1.5e-27'],
      [9007199254740991, '9007199254740991'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
    ];
    for (const [n, want] of cases) expect(canonicalize(n), String(n)).to.equal(want);
  });

  it('escapes strings minimally, with lowercase \\u escapes for other controls', () => {
    expect(canonicalize('\u20ac$\u000f\nA\'B"\\\\"/')).to.equal('"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"');
    expect(canonicalize('\b\t\f\r\u001f\u007f')).to.equal('"\\b\\t\\f\\r\\u001f\u007f"');
    expect(canonicalize({ 'k"ey': 'v' })).to.equal('{"k\\"ey":"v"}');
  });

  it('reproduces the RFC 8785 §3.2.2 sample', () => {
    const input = JSON.parse('{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}');
    expect(canonicalize(input)).to.equal('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('refuses non-finite numbers', () => {
    expect(() => canonicalize(NaN)).to.throw(TypeError);
    expect(() => canonicalize({ a: Infinity })).to.throw(TypeError);
    expect(() => canonicalize([-Infinity])).to.throw(TypeError);
  });

  it('refuses undefined at the top level and inside arrays, and omits undefined members', () => {
    expect(() => canonicalize(undefined)).to.throw(TypeError);
    expect(() => canonicalize([1, undefined])).to.throw(TypeError);
    expect(canonicalize({ a: 1, b: undefined })).to.equal('{"a":1}');
  });

  it('refuses class instances and other non-JSON values', () => {
    class Point {
      constructor(public x = 1) {}
    }
    expect(() => canonicalize(new Point())).to.throw(TypeError);
    expect(() => canonicalize(new Date(0))).to.throw(TypeError);
    expect(() => canonicalize(new Map())).to.throw(TypeError);
    expect(() => canonicalize({ f: () => 1 })).to.throw(TypeError);
    expect(() => canonicalize(1n)).to.throw(TypeError);
    expect(() => canonicalize(Symbol('s'))).to.throw(TypeError);
  });

  it('accepts null-prototype objects', () => {
    const o = Object.create(null) as Record<string, unknown>;
    o.b = 1;
    o.a = 'x';
    expect(canonicalize(o)).to.equal('{"a":"x","b":1}');
  });

  it('is independent of key insertion order', () => {
    expect(canonicalize({ x: 1, y: { q: 2, p: 3 } })).to.equal(canonicalize({ y: { p: 3, q: 2 }, x: 1 }));
  });

  it('storedBytes is the JCS text plus one newline, in UTF-8', () => {
    const b = storedBytes({ é: 'ü', a: [1] });
    expect(b.toString('utf8')).to.equal('{"a":[1],"é":"ü"}\n');
    expect(b.length).to.equal(Buffer.byteLength('{"a":[1],"é":"ü"}') + 1);
  });
});
