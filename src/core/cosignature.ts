// C2SP tlog-cosignature v1 for Ed25519 witnesses: one more signed-note line,
//   — <name> base64(keyID(4) || u64 big-endian timestamp || Ed25519 signature(64))
// keyID = SHA-256(name || "\n" || 0x04 || public key)[:4]; the signed message is
//   "cosignature/v1\ntime <unix seconds>\n" || the checkpoint body (the note text).
// Pure: note bytes, keys and a timestamp in; a line or the verified cosigners out. No clock here.
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { CsaeError } from './errors.js';
import { isValidKeyName, rawPublicKey } from './note.js';

const ALG_COSIGNATURE_V1 = 0x04;
const SIG_PREFIX = '\u2014 ';

export interface Witness {
  name: string;
  /** raw 32-byte Ed25519 public key */
  publicKey: Buffer;
  key: KeyObject;
}

export interface Cosignature {
  name: string;
  timestamp: number;
}

export function cosignatureKeyId(name: string, rawPub: Uint8Array): Buffer {
  return createHash('sha256').update(name, 'utf8').update(Buffer.from([0x0a, ALG_COSIGNATURE_V1])).update(rawPub).digest().subarray(0, 4);
}

function message(body: string, timestamp: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${body}`, 'utf8');
}

/** The note's text (body) and its signature lines: the text ends at the last blank line. */
export function splitNote(note: Buffer | string): { body: string; lines: string[] } {
  const s = typeof note === 'string' ? note : note.toString('utf8');
  const i = s.lastIndexOf('\n\n');
  if (i < 0 || !s.endsWith('\n')) throw new CsaeError('schema-invalid', 'malformed note: no signature block', { data: { reason: 'malformed-note' } });
  return { body: s.slice(0, i + 1), lines: s.slice(i + 2, -1).split('\n') };
}

/** Add (or replace) `name`'s cosignature on a signed checkpoint note. */
export function cosignNote(note: Buffer, w: { name: string; privateKey: KeyObject }, timestamp: number): Buffer {
  if (!isValidKeyName(w.name)) throw new CsaeError('key-invalid', `witness name ${JSON.stringify(w.name)} is not a valid key name`);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new CsaeError('usage', `cosignature time ${timestamp} is not a unix time`);
  const { body, lines } = splitNote(note);
  const id = cosignatureKeyId(w.name, rawPublicKey(w.privateKey));
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(timestamp));
  const sig = sign(null, message(body, timestamp), w.privateKey);
  const line = `${SIG_PREFIX}${w.name} ${Buffer.concat([id, ts, sig]).toString('base64')}`;
  // a witness's older cosignature on the same note is replaced, never stacked
  const kept = lines.filter((l) => {
    if (!l.startsWith(SIG_PREFIX + w.name + ' ')) return true;
    const raw = Buffer.from(l.slice(SIG_PREFIX.length + w.name.length + 1), 'base64');
    return !(raw.length === 76 && raw.subarray(0, 4).equals(id));
  });
  return Buffer.from(`${body}\n${[...kept, line].join('\n')}\n`, 'utf8');
}

/** The cosignatures on `note` that verify under the given witnesses (others are ignored). */
export function verifyCosignatures(note: Buffer, witnesses: readonly Witness[]): Cosignature[] {
  const { body, lines } = splitNote(note);
  const out: Cosignature[] = [];
  const seen = new Set<string>();
  for (const l of lines) {
    if (!l.startsWith(SIG_PREFIX)) continue;
    const sp = l.indexOf(' ', SIG_PREFIX.length);
    if (sp < 0) continue;
    const name = l.slice(SIG_PREFIX.length, sp);
    const raw = Buffer.from(l.slice(sp + 1), 'base64');
    if (raw.length !== 76 || seen.has(name)) continue;
    for (const w of witnesses) {
      if (w.name !== name || !cosignatureKeyId(name, w.publicKey).equals(raw.subarray(0, 4))) continue;
      const timestamp = raw.readBigUInt64BE(4);
      if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) continue;
      if (verify(null, message(body, Number(timestamp)), w.key, raw.subarray(12))) {
        out.push({ name, timestamp: Number(timestamp) });
        seen.add(name);
      }
    }
  }
  return out;
}
