// C2SP signed-note v1 (Ed25519 keys) and the C2SP tlog-checkpoint body. Pure; node:crypto only, no
// randomness (Ed25519 signing is deterministic). Opening follows golang.org/x/mod/sumdb/note: the rules
// and their order are what the shared signed-note vectors check. Every failure is a CsaeError whose
// `data.reason` names the rule that failed.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { CsaeError } from './errors.js';

export type NoteFailure =
  | 'malformed-note'
  | 'invalid-signature'
  | 'unverified-note'
  | 'ambiguous-key'
  | 'invalid-signer'
  | 'bad-key'
  | 'key-id-mismatch'
  | 'unknown-algorithm'
  | 'malformed-checkpoint';

/** One signature line: `— <name> base64(keyId || signature)`. */
export interface NoteSignature {
  name: string;
  keyIdHex: string;
  base64: string;
}

export interface NoteVerifierKey {
  name: string;
  keyIdHex: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Buffer;
  key: KeyObject;
}

export interface NoteSigner {
  name: string;
  privateKey: KeyObject;
}

export interface OpenedNote {
  text: string;
  verified: NoteSignature[];
  unverified: NoteSignature[];
}

export interface Checkpoint {
  origin: string;
  size: bigint;
  rootHash: Buffer;
  extensions: string[];
}

const ALG_ED25519 = 0x01;
const SIG_PREFIX = '\u2014 '; // EM DASH, space
const MAX_SIGNATURES = 100;
const UINT64_MAX = (1n << 64n) - 1n;
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const STD_B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const KEY_ID_RE = /^[0-9a-f]{8}$/;
const LONE_SURROGATE_RE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// Only "\n" is allowed below U+0020 (Go: r < 0x20 && r != '\n').
const NOTE_CONTROL_RE = /[\u0000-\u0009\u000b-\u001f]/;

function fail(code: 'schema-invalid' | 'signature-invalid' | 'key-invalid' | 'config', reason: NoteFailure, message: string, data: Record<string, unknown> = {}): never {
  throw new CsaeError(code, message, { data: { reason, ...data } });
}

function malformed(): never {
  fail('schema-invalid', 'malformed-note', 'malformed note');
}

/** Strict standard base64 (RFC 4648 §4, padded); null when malformed. */
function decodeStdBase64(s: string): Buffer | null {
  return STD_B64_RE.test(s) ? Buffer.from(s, 'base64') : null;
}

/** Go's isValidName: non-empty, well-formed, no Unicode white space, no '+'. */
export function isValidKeyName(name: unknown): name is string {
  return typeof name === 'string' && name !== '' && !LONE_SURROGATE_RE.test(name) && !/\p{White_Space}/u.test(name) && !name.includes('+');
}

/** SHA-256(name || 0x0A || 0x01 || pub)[:4]. */
export function keyId(name: string, rawPub: Uint8Array): Buffer {
  return createHash('sha256').update(name, 'utf8').update(Buffer.from([0x0a, ALG_ED25519])).update(rawPub).digest().subarray(0, 4);
}

export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) fail('key-invalid', 'bad-key', `an Ed25519 seed is 32 bytes, got ${seed.length}`);
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function publicKeyFromRaw(rawPub: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, rawPub]), format: 'der', type: 'spki' });
}

/** The raw 32-byte public key of an Ed25519 private or public KeyObject. */
export function rawPublicKey(key: KeyObject): Buffer {
  if (key.asymmetricKeyType !== 'ed25519') fail('key-invalid', 'bad-key', `note keys are Ed25519, not ${key.asymmetricKeyType ?? key.type}`);
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const der = pub.export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

/** `<name>+<hex key id>+base64(0x01 || pub)`. */
export function formatVerifierKey(name: string, rawPub: Uint8Array): string {
  if (!isValidKeyName(name)) fail('key-invalid', 'bad-key', `key name ${JSON.stringify(name)} is not valid (no spaces or '+')`);
  if (rawPub.length !== 32) fail('key-invalid', 'bad-key', `an Ed25519 public key is 32 bytes, got ${rawPub.length}`);
  const body = Buffer.concat([Buffer.from([ALG_ED25519]), rawPub]);
  return `${name}+${keyId(name, rawPub).toString('hex')}+${body.toString('base64')}`;
}

/** Split at the first `sep`, as Go's chop does: no separator means everything is the head. */
function chop(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + sep.length)];
}

/** Parse `name+hexid+base64(0x01||pub)` strictly: lowercase 8-hex id, padded base64, id must match. */
export function parseVerifierKey(vkey: string): NoteVerifierKey {
  const bad = (reason: NoteFailure, why: string): never => fail('key-invalid', reason, `invalid verifier key: ${why}`);
  if (typeof vkey !== 'string') bad('bad-key', 'not a string');
  const [name, rest] = chop(vkey, '+');
  const [idHex, b64] = chop(rest, '+');
  const body = decodeStdBase64(b64);
  if (!isValidKeyName(name) || !KEY_ID_RE.test(idHex) || body === null || body.length === 0) bad('bad-key', 'expected <name>+<8 hex digits>+<base64 key>');
  if (keyHash(name, body!) !== idHex) bad('key-id-mismatch', `key ID ${idHex} does not match the key`);
  if (body![0] !== ALG_ED25519) bad('unknown-algorithm', `unknown key algorithm 0x${body![0]!.toString(16).padStart(2, '0')}`);
  if (body!.length !== 33) bad('bad-key', `an Ed25519 public key is 32 bytes, got ${body!.length - 1}`);
  const publicKey = Buffer.from(body!.subarray(1));
  let key: KeyObject;
  try {
    key = publicKeyFromRaw(publicKey);
  } catch (e) {
    return bad('bad-key', `not an Ed25519 public key (${(e as Error).message})`);
  }
  return { name, keyIdHex: idHex, publicKey, key };
}

/** Go's keyHash: the key ID over the whole key body, algorithm byte included. */
function keyHash(name: string, body: Uint8Array): string {
  return createHash('sha256').update(name, 'utf8').update(Buffer.from([0x0a])).update(body).digest().subarray(0, 4).toString('hex');
}

/** `PRIVATE+KEY+<name>+<hex key id>+base64(0x01 || seed)`, the golang.org/x/mod signer key format. */
export function formatSignerKey(name: string, seed: Uint8Array): string {
  const pub = rawPublicKey(privateKeyFromSeed(seed));
  const vkey = formatVerifierKey(name, pub);
  const idHex = vkey.split('+')[1]!;
  return `PRIVATE+KEY+${name}+${idHex}+${Buffer.concat([Buffer.from([ALG_ED25519]), seed]).toString('base64')}`;
}

/** Parse a signer key; the key ID must match the public key derived from the seed. */
export function parseSignerKey(skey: string): NoteSigner & { keyIdHex: string; publicKey: Buffer } {
  const bad = (reason: NoteFailure, why: string): never => fail('key-invalid', reason, `invalid signer key: ${why}`);
  if (typeof skey !== 'string') bad('bad-key', 'not a string');
  const [p1, r1] = chop(skey, '+');
  const [p2, r2] = chop(r1, '+');
  const [name, r3] = chop(r2, '+');
  const [idHex, b64] = chop(r3, '+');
  const body = decodeStdBase64(b64);
  if (p1 !== 'PRIVATE' || p2 !== 'KEY' || !isValidKeyName(name) || !KEY_ID_RE.test(idHex) || body === null || body.length === 0) {
    bad('bad-key', 'expected PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>');
  }
  if (body![0] !== ALG_ED25519) bad('unknown-algorithm', `unknown key algorithm 0x${body![0]!.toString(16).padStart(2, '0')}`);
  if (body!.length !== 33) bad('bad-key', `an Ed25519 seed is 32 bytes, got ${body!.length - 1}`);
  const privateKey = privateKeyFromSeed(body!.subarray(1));
  const publicKey = rawPublicKey(privateKey);
  if (keyId(name, publicKey).toString('hex') !== idHex) bad('key-id-mismatch', `key ID ${idHex} does not match the key`);
  return { name, keyIdHex: idHex, publicKey, privateKey };
}

function signatureLine(s: NoteSignature): string {
  return `${SIG_PREFIX}${s.name} ${s.base64}\n`;
}

/**
 * Sign `text` (which must end in "\n") with each signer. Existing signatures come first, in order, except
 * those from a key that is signing now: that key's new signature replaces them.
 */
export function signNote(text: string, signers: readonly NoteSigner[], existing: readonly NoteSignature[] = []): Buffer {
  if (typeof text !== 'string' || !text.endsWith('\n')) malformed();
  // Stricter than Go: never produce a note that openNote would refuse.
  if (NOTE_CONTROL_RE.test(text) || LONE_SURROGATE_RE.test(text)) malformed();
  const fresh: string[] = [];
  const replaced = new Set<string>();
  for (const s of signers) {
    if (!isValidKeyName(s.name)) fail('key-invalid', 'invalid-signer', `invalid signer: key name ${JSON.stringify(s.name)} is not valid`);
    const id = keyId(s.name, rawPublicKey(s.privateKey));
    replaced.add(`${s.name}+${id.toString('hex')}`);
    const sig = sign(null, Buffer.from(text, 'utf8'), s.privateKey);
    fresh.push(signatureLine({ name: s.name, keyIdHex: id.toString('hex'), base64: Buffer.concat([id, sig]).toString('base64') }));
  }
  const kept: string[] = [];
  for (const e of existing) {
    if (!isValidKeyName(e.name) || typeof e.keyIdHex !== 'string' || !KEY_ID_RE.test(e.keyIdHex)) malformed();
    if (replaced.has(`${e.name}+${e.keyIdHex}`)) continue;
    // The key ID is carried inside the base64 too; a disagreement means the record is corrupt.
    const raw = typeof e.base64 === 'string' ? decodeStdBase64(e.base64) : null;
    if (raw === null || raw.length < 5 || raw.subarray(0, 4).toString('hex') !== e.keyIdHex) malformed();
    kept.push(signatureLine(e));
  }
  const lines = [...kept, ...fresh];
  if (lines.length === 0 || lines.length > MAX_SIGNATURES) malformed();
  return Buffer.from(text + '\n' + lines.join(''), 'utf8');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Open a signed note: parse it, verify every signature from a known key, ignore (but report) signatures
 * from unknown keys, and require at least one verified signature.
 */
export function openNote(noteBytes: Uint8Array, verifiers: readonly NoteVerifierKey[]): OpenedNote {
  let msg: string;
  try {
    msg = UTF8.decode(noteBytes);
  } catch {
    malformed();
  }
  if (NOTE_CONTROL_RE.test(msg)) malformed();
  // The text may itself contain blank lines: the signature block follows the last one.
  const split = msg.lastIndexOf('\n\n');
  if (split < 0) malformed();
  const text = msg.slice(0, split + 1);
  const block = msg.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) malformed();

  const textBytes = Buffer.from(text, 'utf8');
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seenKnown = new Set<string>();
  const seenUnknown = new Set<string>();
  let count = 0;
  for (const raw of block.slice(0, -1).split('\n')) {
    if (!raw.startsWith(SIG_PREFIX)) malformed();
    const line = raw.slice(SIG_PREFIX.length);
    const [name, b64] = chop(line, ' ');
    const sig = decodeStdBase64(b64);
    if (sig === null || !isValidKeyName(name) || b64 === '' || sig.length < 5) malformed();
    // Counted before anything is skipped, so a flood of duplicates is refused too.
    if (++count > MAX_SIGNATURES) malformed();
    const keyIdHex = sig!.subarray(0, 4).toString('hex');
    const entry: NoteSignature = { name, keyIdHex, base64: b64 };

    const matches = verifiers.filter((v) => v.name === name && v.keyIdHex === keyIdHex);
    if (matches.length === 0) {
      if (seenUnknown.has(line)) continue;
      seenUnknown.add(line);
      unverified.push(entry);
      continue;
    }
    if (matches.length > 1) fail('config', 'ambiguous-key', `ambiguous key ${name}+${keyIdHex}`, { key: `${name}+${keyIdHex}` });
    const id = `${name}+${keyIdHex}`;
    // Go keeps the first signature per known key and does not look at later ones.
    if (seenKnown.has(id)) continue;
    seenKnown.add(id);
    const ed = sig!.subarray(4);
    if (ed.length !== 64 || !verify(null, textBytes, matches[0]!.key, ed)) {
      fail('signature-invalid', 'invalid-signature', `invalid signature for key ${id}`, { key: id });
    }
    verified.push(entry);
  }
  if (verified.length === 0) {
    fail('signature-invalid', 'unverified-note', 'note has no verifiable signatures', { text, unverified });
  }
  return { text, verified, unverified };
}

function badCheckpoint(why: string): never {
  fail('schema-invalid', 'malformed-checkpoint', `malformed checkpoint: ${why}`);
}

function checkLine(s: unknown, what: string): string {
  if (typeof s !== 'string' || s === '') badCheckpoint(`${what} is empty`);
  if (/[\u0000-\u001f]/.test(s as string) || LONE_SURROGATE_RE.test(s as string)) badCheckpoint(`${what} contains a control character or newline`);
  return s as string;
}

/** The tlog-checkpoint note text: origin, decimal size, base64 root hash, then extension lines. */
export function formatCheckpoint(c: { origin: string; size: bigint | number; rootHash: Uint8Array; extensions?: readonly string[] }): string {
  checkLine(c.origin, 'origin');
  let size: bigint;
  if (typeof c.size === 'number') {
    if (!Number.isSafeInteger(c.size) || c.size < 0) badCheckpoint(`size ${c.size} is not a non-negative integer`);
    size = BigInt(c.size);
  } else {
    size = c.size;
  }
  if (typeof size !== 'bigint' || size < 0n || size > UINT64_MAX) badCheckpoint(`size ${String(size)} is out of range`);
  if (!(c.rootHash instanceof Uint8Array) || c.rootHash.length !== 32) badCheckpoint('root hash must be 32 bytes');
  const ext = (c.extensions ?? []).map((e) => checkLine(e, 'extension line') + '\n').join('');
  return `${c.origin}\n${size.toString(10)}\n${Buffer.from(c.rootHash).toString('base64')}\n${ext}`;
}

/** Parse checkpoint text (the text of an opened note; it ends in "\n"). */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) badCheckpoint('text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) badCheckpoint('expected origin, size and root hash lines');
  const [origin, sizeLine, hashLine, ...extensions] = lines as [string, string, string, ...string[]];
  checkLine(origin, 'origin');
  if (!/^(?:0|[1-9][0-9]{0,19})$/.test(sizeLine)) badCheckpoint(`size ${JSON.stringify(sizeLine)} is not a canonical decimal number`);
  const size = BigInt(sizeLine);
  if (size > UINT64_MAX) badCheckpoint(`size ${sizeLine} does not fit in 64 bits`);
  const rootHash = decodeStdBase64(hashLine);
  if (rootHash === null || rootHash.length !== 32) badCheckpoint('root hash is not base64 of 32 bytes');
  for (const e of extensions) checkLine(e, 'extension line');
  return { origin, size, rootHash: rootHash!, extensions };
}

/** Open a signed checkpoint note and parse its body. */
export function openCheckpoint(noteBytes: Uint8Array, verifiers: readonly NoteVerifierKey[]): OpenedNote & { checkpoint: Checkpoint } {
  const opened = openNote(noteBytes, verifiers);
  return { ...opened, checkpoint: parseCheckpoint(opened.text) };
}
