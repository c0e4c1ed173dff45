// Validation of identifiers before they reach git or the filesystem. Pure.
import { CsaeError } from './errors.js';

export const WORKSTREAM_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const COMMIT_RE = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function isCommitId(s: unknown): s is string {
  return typeof s === 'string' && COMMIT_RE.test(s);
}

export function assertCommitId(s: unknown, what = 'commit id'): string {
  if (!isCommitId(s)) throw new CsaeError('bad-id', `${what} ${JSON.stringify(s)} is not a full lowercase hex commit id (40 or 64 characters)`);
  return s;
}

export function assertWorkstream(id: unknown): string {
  if (typeof id !== 'string' || !WORKSTREAM_RE.test(id) || id.includes('..')) {
    throw new CsaeError(
      'bad-id',
      `workstream id ${JSON.stringify(id)} is not valid: use 1-64 characters of a-z 0-9 . _ -, starting with a letter or digit (no '/', '..' or spaces)`,
      { next: 'csae intent register --workstream ws-my-change --intent "..."' },
    );
  }
  return id;
}

// C0/C1 controls, DEL, and the Unicode bidi embedding/override/isolate controls (Trojan Source).
// Also lone surrogates: git would store U+FFFD while the signed JSON keeps \udXXX, so the two would differ.
const FORBIDDEN_RE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** One line, 1..500 characters, no control or bidi-override characters. */
export function assertIntentText(text: unknown): string {
  if (typeof text !== 'string' || text.trim() === '') throw new CsaeError('bad-intent', 'intent text is empty: say in one sentence what this work is for');
  const m = FORBIDDEN_RE.exec(text);
  if (m) {
    const cp = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new CsaeError('bad-intent', `intent text contains a control or bidi-override character (U+${cp}) at position ${m.index}: write it as one plain line`);
  }
  if ([...text].length > 500) throw new CsaeError('bad-intent', `intent text is ${[...text].length} characters; the limit is 500: say it in one sentence`);
  return text;
}

/** A free-text reason or summary: same rules as intent text, longer limit. */
export function assertReason(text: unknown, what = 'reason', max = 2000): string {
  if (typeof text !== 'string' || text.trim() === '') throw new CsaeError('usage', `${what} is empty`);
  const m = FORBIDDEN_RE.exec(text);
  if (m) throw new CsaeError('usage', `${what} contains a control or bidi-override character at position ${m.index}`);
  if ([...text].length > max) throw new CsaeError('usage', `${what} is longer than ${max} characters`);
  return text;
}

/** "Name <email>" with no control characters or angle brackets in the name. */
export function assertIdentity(s: unknown, what = 'operator'): string {
  if (typeof s !== 'string' || !/^[^<>\u0000-\u001f\u007f]+ <[^<>\s\u0000-\u001f]+>$/.test(s) || FORBIDDEN_RE.test(s)) {
    throw new CsaeError('usage', `${what} ${JSON.stringify(s)} must look like "Jane Doe <jane@example.com>"`);
  }
  return s;
}
