// RFC 8785 JSON Canonicalization Scheme. Pure. Keys sort by UTF-16 code units (JavaScript's default
// string order); numbers and strings serialise exactly as ECMAScript JSON.stringify does, which is
// what JCS specifies. Non-finite numbers, undefined members in arrays, and non-plain values are refused.

export function canonicalize(value: unknown): string {
  return ser(value);
}

function ser(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError('JCS: non-finite number');
      return JSON.stringify(v);
    case 'string':
      return str(v);
    case 'object': {
      if (Array.isArray(v)) {
        const parts: string[] = [];
        // NOTE: index loop, not map: map skips holes and would write "[1,,2]"
        for (let i = 0; i < v.length; i++) parts.push(v[i] === undefined ? fail('undefined or hole in array') : ser(v[i]));
        return '[' + parts.join(',') + ']';
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw new TypeError('JCS: not a plain object');
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
      return '{' + keys.map((k) => str(k) + ':' + ser(obj[k])).join(',') + '}';
    }
    default:
      throw new TypeError(`JCS: cannot encode ${typeof v}`);
  }
}

// RFC 8785 requires well-formed Unicode: a lone surrogate has no UTF-8 encoding that round-trips.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function str(s: string): string {
  if (LONE_SURROGATE.test(s)) fail('lone surrogate in string');
  return JSON.stringify(s);
}

function fail(why: string): never {
  throw new TypeError('JCS: ' + why);
}

/** The stored form of every signed file: JCS bytes plus one newline. */
export function storedBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value) + '\n', 'utf8');
}
