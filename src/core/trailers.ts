// Git trailers: parse the final paragraph of a commit message the way `git interpret-trailers --parse`
// reads it, and format CSAE messages. Pure.
//
// NOTE: we are stricter than git: the trailer block is the last paragraph, and every line in it must be
// a `Key: value` trailer (or a whitespace-indented continuation). A message whose last paragraph mixes
// prose and trailers yields no trailers, so a forged "CSAE-Type" buried in prose is never read.

import { CsaeError } from './errors.js';

export interface Trailer {
  key: string;
  value: string;
}

const KEY_RE = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]?(.*)$/;

export function parseTrailers(message: string): Trailer[] {
  const text = message.replace(/\r\n/g, '\n').replace(/\s+$/, '');
  const paras = text.split(/\n[ \t]*\n/);
  if (paras.length < 2) return []; // git needs a subject line before the trailer block
  const last = paras[paras.length - 1]!.split('\n');
  const out: Trailer[] = [];
  for (const line of last) {
    if (/^[ \t]+\S/.test(line) && out.length > 0) {
      out[out.length - 1]!.value += ' ' + line.trim();
      continue;
    }
    const m = KEY_RE.exec(line);
    if (!m) return [];
    out.push({ key: m[1]!, value: m[2]!.trim() });
  }
  return out;
}

/** Values of a trailer key (case-insensitive, as git compares keys). */
export function trailerValues(trailers: readonly Trailer[], key: string): string[] {
  const k = key.toLowerCase();
  return trailers.filter((t) => t.key.toLowerCase() === k).map((t) => t.value);
}

/** The single value of a key; undefined when absent; throws on duplicates (ambiguity is a forgery vector). */
export function trailerValue(trailers: readonly Trailer[], key: string): string | undefined {
  const v = trailerValues(trailers, key);
  if (v.length > 1) throw new CsaeError('schema-invalid', `trailer ${key} appears ${v.length} times`);
  return v[0];
}

export function formatMessage(subject: string, body: string | undefined, trailers: readonly Trailer[]): string {
  const parts = [subject];
  if (body) parts.push(body);
  parts.push(trailers.map((t) => `${t.key}: ${t.value}`).join('\n'));
  return parts.join('\n\n') + '\n';
}
