import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import {
  formatCheckpoint,
  formatSignerKey,
  formatVerifierKey,
  isValidKeyName,
  keyId,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  privateKeyFromSeed,
  rawPublicKey,
  signNote,
  type NoteSigner,
  type NoteVerifierKey,
} from '../../../src/core/note.js';
import { leafHash } from '../../../src/core/merkle.js';
import { isCsaeError } from '../../../src/core/errors.js';
import { readJson, requireVectors, thrown } from '../_support.js';

/** The failure reason of fn (data.reason of the CsaeError it throws). */
function reason(fn: () => unknown): string {
  const e = thrown(fn);
  expect(isCsaeError(e), String(e)).to.equal(true);
  return e.data.reason;
}

const SEED = Buffer.alloc(32, 7);
const signer = (name = 'csae.example/mirror'): NoteSigner => ({ name, privateKey: privateKeyFromSeed(SEED) });
const verifierFor = (name = 'csae.example/mirror'): NoteVerifierKey => parseVerifierKey(formatVerifierKey(name, rawPublicKey(privateKeyFromSeed(SEED))));

describe('core/note', () => {
  describe('keys', () => {
    it('keyId is SHA-256(name || 0x0A || 0x01 || pub)[:4]', () => {
      const pub = rawPublicKey(privateKeyFromSeed(SEED));
      const id = keyId('n', pub);
      expect(id).to.have.length(4);
      const again = keyId('n', pub);
      expect(again.equals(id)).to.equal(true);
      expect(keyId('m', pub).equals(id)).to.equal(false);
    });

    it('format and parse a verifier key round-trip', () => {
      const pub = rawPublicKey(privateKeyFromSeed(SEED));
      const vkey = formatVerifierKey('csae.example/mirror', pub);
      expect(vkey).to.match(/^csae\.example\/mirror\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
      const v = parseVerifierKey(vkey);
      expect(v.name).to.equal('csae.example/mirror');
      expect(v.publicKey.equals(pub)).to.equal(true);
      expect(v.keyIdHex).to.equal(keyId('csae.example/mirror', pub).toString('hex'));
    });

    it('rawPublicKey accepts a private or public KeyObject and refuses other key types', () => {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      expect(rawPublicKey(privateKey).equals(rawPublicKey(publicKey))).to.equal(true);
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      expect(reason(() => rawPublicKey(ec.privateKey))).to.equal('bad-key');
    });

    it('rejects bad names, ids and encodings', () => {
      const pub = rawPublicKey(privateKeyFromSeed(SEED));
      const good = formatVerifierKey('n', pub);
      const [, id, body] = good.split('+');
      const bad = [
        '',
        'n',
        `n+${id}`,
        `n+${id}+`,
        `+${id}+${body}`,
        `n+${id!.toUpperCase()}+${body}`,
        `n+${id}0+${body}`,
        `n+${id}+${body!.replace(/=*$/, '').slice(0, -1)}`,
        `n+${id}+${body}\n`,
        `a b+${id}+${body}`,
      ];
      for (const k of bad) expect(() => parseVerifierKey(k), JSON.stringify(k)).to.throw();
      expect(reason(() => formatVerifierKey('a+b', pub))).to.equal('bad-key');
      expect(reason(() => formatVerifierKey('n', pub.subarray(1)))).to.equal('bad-key');
      expect(reason(() => privateKeyFromSeed(Buffer.alloc(31)))).to.equal('bad-key');
    });

    it('isValidKeyName follows Go: non-empty, no Unicode space, no "+"', () => {
      for (const n of ['a', 'example.com/log', 'ünïcode', '\u{1F600}']) expect(isValidKeyName(n), n).to.equal(true);
      for (const n of ['', 'a b', 'a\tb', 'a\u00a0b', 'a\u0085b', 'a\u2003b', 'a\u3000b', 'a+b', '\ud800', 42]) expect(isValidKeyName(n), JSON.stringify(n)).to.equal(false);
    });
  });

  describe('signNote / openNote', () => {
    const text = 'csae.example/mirror\n3\n' + leafHash(Buffer.from('x')).toString('base64') + '\n';

    it('round-trips and reports the signature', () => {
      const note = signNote(text, [signer()]);
      const opened = openNote(note, [verifierFor()]);
      expect(opened.text).to.equal(text);
      expect(opened.verified).to.have.length(1);
      expect(opened.verified[0]!.name).to.equal('csae.example/mirror');
      expect(opened.verified[0]!.keyIdHex).to.equal(verifierFor().keyIdHex);
      expect(opened.unverified).to.deep.equal([]);
      expect(note.toString('utf8').startsWith(text + '\n\u2014 csae.example/mirror ')).to.equal(true);
    });

    it('refuses a note when any byte of the text or signature changes', () => {
      const note = signNote(text, [signer()]);
      const tampered = Buffer.from(note);
      tampered[0] = tampered[0]! ^ 0x01;
      expect(reason(() => openNote(tampered, [verifierFor()]))).to.equal('invalid-signature');
    });

    it('keeps the text byte for byte, including a BOM and non-ASCII', () => {
      const t = '\ufeffOgnuno sta solo\n\ned è subito sera.\n';
      const opened = openNote(signNote(t, [signer()]), [verifierFor()]);
      expect(opened.text).to.equal(t);
    });

    it('refuses text it could not open again', () => {
      expect(reason(() => signNote('no newline', [signer()]))).to.equal('malformed-note');
      expect(reason(() => signNote('tab\there\n', [signer()]))).to.equal('malformed-note');
      expect(reason(() => signNote('fine\n', []))).to.equal('malformed-note');
      expect(reason(() => signNote('fine\n', [signer('bad name')]))).to.equal('invalid-signer');
    });

    it('requires an Ed25519 signer key', () => {
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      expect(() => signNote('t\n', [{ name: 'n', privateKey: ec.privateKey }])).to.throw();
    });

    it('a note with no known key is refused, carrying the parsed signatures', () => {
      const e = thrown(() => openNote(signNote(text, [signer()]), []));
      expect(e.code).to.equal('signature-invalid');
      expect(e.data.reason).to.equal('unverified-note');
      expect(e.data.text).to.equal(text);
      expect(e.data.unverified).to.have.length(1);
    });
  });

  describe('checkpoints', () => {
    const root = leafHash(Buffer.from('hello world'));

    it('format and parse round-trip, with extension lines', () => {
      const t = formatCheckpoint({ origin: 'csae.example/mirror', size: 42, rootHash: root, extensions: ['ext one', 'ext two'] });
      expect(t).to.equal(`csae.example/mirror\n42\n${root.toString('base64')}\next one\next two\n`);
      const c = parseCheckpoint(t);
      expect(c.origin).to.equal('csae.example/mirror');
      expect(c.size).to.equal(42n);
      expect(c.rootHash.equals(root)).to.equal(true);
      expect(c.extensions).to.deep.equal(['ext one', 'ext two']);
    });

    it('handles the whole uint64 range exactly', () => {
      const max = (1n << 64n) - 1n;
      const t = formatCheckpoint({ origin: 'o', size: max, rootHash: root });
      expect(t.split('\n')[1]).to.equal('18446744073709551615');
      expect(parseCheckpoint(t).size).to.equal(max);
      expect(reason(() => formatCheckpoint({ origin: 'o', size: max + 1n, rootHash: root }))).to.equal('malformed-checkpoint');
      expect(reason(() => parseCheckpoint(`o\n18446744073709551616\n${root.toString('base64')}\n`))).to.equal('malformed-checkpoint');
    });

    it('refuses malformed checkpoint text', () => {
      const h = root.toString('base64');
      const bad = [
        `o\n1\n${h}`,
        `o\n1\n`,
        `\n1\n${h}\n`,
        `o\n01\n${h}\n`,
        `o\n+1\n${h}\n`,
        `o\n-1\n${h}\n`,
        `o\n1.0\n${h}\n`,
        `o\n0x10\n${h}\n`,
        `o\n 1\n${h}\n`,
        `o\n1\n${h.replace(/=$/, '')}\n`,
        `o\n1\n${root.subarray(1).toString('base64')}\n`,
        `o\n1\n${h}\n\n`,
        `o\n1\n${h}\next\n\n`,
        `o\tx\n1\n${h}\n`,
      ];
      for (const t of bad) expect(reason(() => parseCheckpoint(t)), JSON.stringify(t)).to.equal('malformed-checkpoint');
    });

    it('refuses to format what it could not parse', () => {
      expect(reason(() => formatCheckpoint({ origin: '', size: 1, rootHash: root }))).to.equal('malformed-checkpoint');
      expect(reason(() => formatCheckpoint({ origin: 'a\nb', size: 1, rootHash: root }))).to.equal('malformed-checkpoint');
      expect(reason(() => formatCheckpoint({ origin: 'o', size: -1, rootHash: root }))).to.equal('malformed-checkpoint');
      expect(reason(() => formatCheckpoint({ origin: 'o', size: 1.5, rootHash: root }))).to.equal('malformed-checkpoint');
      expect(reason(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: root.subarray(0, 31) }))).to.equal('malformed-checkpoint');
      expect(reason(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: root, extensions: [''] }))).to.equal('malformed-checkpoint');
    });

    it('openCheckpoint verifies the note and parses its body', () => {
      const note = signNote(formatCheckpoint({ origin: 'csae.example/mirror', size: 7n, rootHash: root }), [signer()]);
      const o = openCheckpoint(note, [verifierFor()]);
      expect(o.checkpoint.size).to.equal(7n);
      expect(o.checkpoint.rootHash.equals(root)).to.equal(true);
      expect(o.verified).to.have.length(1);
    });
  });

  describe('interop: golang.org/x/mod sumdb/note vectors', function () {
    let v: any;
    let verifiers: Record<string, NoteVerifierKey>;
    let signers: Record<string, NoteSigner>;
    before(function () {
      const dir = requireVectors(this);
      v = readJson(dir, 'signed-note/go-sumdb-note.json');
      verifiers = {};
      signers = {};
      for (const [name, k] of Object.entries<any>(v.keys)) {
        verifiers[name] = parseVerifierKey(k.vkey);
        signers[name] = parseSignerKey(k.skey);
      }
    });

    it('parses both published keys and reproduces their IDs and encodings', () => {
      for (const [name, k] of Object.entries<any>(v.keys)) {
        const pv = verifiers[name]!;
        expect(pv.name).to.equal(name);
        expect(pv.keyIdHex).to.equal(k.keyIdHex);
        expect(pv.publicKey.toString('hex')).to.equal(k.publicKeyHex);
        expect(keyId(name, Buffer.from(k.publicKeyHex, 'hex')).toString('hex')).to.equal(k.keyIdHex);
        expect(formatVerifierKey(name, Buffer.from(k.publicKeyHex, 'hex'))).to.equal(k.vkey);
        expect(rawPublicKey(privateKeyFromSeed(Buffer.from(k.seedHex, 'hex'))).toString('hex')).to.equal(k.publicKeyHex);
        expect(formatSignerKey(name, Buffer.from(k.seedHex, 'hex'))).to.equal(k.skey);
        const s = parseSignerKey(k.skey);
        expect(s.publicKey.toString('hex')).to.equal(k.publicKeyHex);
        expect(s.keyIdHex).to.equal(k.keyIdHex);
      }
    });

    it('accepts the valid verifier keys and rejects the invalid ones', () => {
      for (const k of v.verifierKeyCases.valid) expect(parseVerifierKey(k).publicKey).to.have.length(32);
      expect(v.verifierKeyCases.invalid.length).to.equal(2);
      for (const c of v.verifierKeyCases.invalid) expect(() => parseVerifierKey(c.vkey), c.why).to.throw();
      expect(reason(() => parseVerifierKey(v.verifierKeyCases.invalid[1].vkey))).to.equal('unknown-algorithm');
    });

    it('rejects every proper substring and every one-byte increment of the Peter vkey and skey', () => {
      const mangled = (s: string): string[] => {
        const out: string[] = [];
        for (let i = 0; i < s.length; i++) for (let j = i + 1; j <= s.length; j++) if (i !== 0 || j !== s.length) out.push(s.slice(i, j));
        for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) + 1) + s.slice(i + 1));
        return out;
      };
      const { vkey, skey } = v.keys.PeterNeumann;
      let n = 0;
      for (const m of mangled(vkey)) {
        expect(() => parseVerifierKey(m), m).to.throw();
        n++;
      }
      for (const m of mangled(skey)) {
        expect(() => parseSignerKey(m), m).to.throw();
        n++;
      }
      expect(n).to.be.greaterThan(4000);
    });

    it('signs every sign case as Go does', () => {
      expect(v.signCases.length).to.equal(7);
      for (const c of v.signCases) {
        const ss: NoteSigner[] = c.signers.map((name: string) => signers[name] ?? { name: 'bad name', privateKey: signers.PeterNeumann!.privateKey });
        const existing = c.existingSigs.map((e: any) => ({ name: e.name, keyIdHex: e.keyIdHex, base64: e.base64 }));
        if (c.expect === 'success') {
          expect(signNote(c.text, ss, existing).toString('utf8'), c.id).to.equal(c.wantOutput);
        } else {
          const want = c.wantError === 'invalid signer' ? 'invalid-signer' : 'malformed-note';
          expect(reason(() => signNote(c.text, ss, existing)), c.id).to.equal(want);
        }
      }
    });

    it('opens every open case as Go does', () => {
      expect(v.openCases.length).to.equal(18);
      const reasonFor = (goError: string): string => {
        if (goError === 'malformed note') return 'malformed-note';
        if (goError.startsWith('note has no verifiable signatures')) return 'unverified-note';
        if (goError.startsWith('invalid signature for key')) return 'invalid-signature';
        if (goError.startsWith('ambiguous key')) return 'ambiguous-key';
        throw new Error(`unmapped Go error ${goError}`);
      };
      let accepted = 0;
      for (const c of v.openCases) {
        const known = c.verifiers.map((n: string) => verifiers[n]!);
        const bytes = Buffer.from(c.noteHex, 'hex');
        if (c.noteText !== null) expect(bytes.toString('utf8'), c.id).to.equal(c.noteText);
        if (c.expect === 'accept') {
          const o = openNote(bytes, known);
          expect(o.text, c.id).to.equal(c.wantText);
          expect(o.verified, c.id).to.deep.equal(c.wantVerifiedSigs);
          expect(o.unverified, c.id).to.deep.equal(c.wantUnverifiedSigs);
          accepted++;
        } else {
          expect(reason(() => openNote(bytes, known)), c.id).to.equal(reasonFor(c.wantError));
        }
      }
      expect(accepted).to.equal(4);
    });

    it('reports an ambiguous verifier list as a configuration error', () => {
      const c = v.openCases.find((x: any) => x.id === 'open-ambiguous-verifier-list');
      const e = thrown(() => openNote(Buffer.from(c.noteHex, 'hex'), c.verifiers.map((n: string) => verifiers[n]!)));
      expect(e.code).to.equal('config');
      expect(e.data.key).to.equal('EnochRoot+af0cfe78');
    });

    it('adds a signature to an opened note (ExampleSign_add_signatures)', () => {
      const c = v.openCases.find((x: any) => x.id === 'open-one-known-one-unknown');
      const o = openNote(Buffer.from(c.noteHex, 'hex'), [verifiers.PeterNeumann!]);
      const resigned = signNote(o.text, [signers.PeterNeumann!], [...o.verified, ...o.unverified]);
      // Peter's signature is replaced by a fresh (identical, deterministic) one placed after Enoch's.
      const lines = resigned.toString('utf8').split('\n');
      expect(lines.filter((l) => l.startsWith('\u2014 ')).map((l) => l.split(' ')[1])).to.deep.equal(['EnochRoot', 'PeterNeumann']);
      expect(openNote(resigned, [verifiers.PeterNeumann!, verifiers.EnochRoot!]).verified).to.have.length(2);
    });
  });

  describe('interop: C2SP signed-note examples', function () {
    let cases: any[];
    before(function () {
      const dir = requireVectors(this);
      cases = readJson(dir, 'signed-note/c2sp-signed-note-example.json').cases;
    });

    it('verifies the spec example with its published key', () => {
      const c = cases.find((x) => x.id === 'c2sp-example-verifies');
      const key = parseVerifierKey(c.vkey);
      expect(key.name).to.equal(c.vkeyFields.name);
      expect(key.keyIdHex).to.equal(c.vkeyFields.keyIdHex);
      expect(key.publicKey.toString('hex')).to.equal(c.vkeyFields.publicKeyHex);
      const o = openNote(Buffer.from(c.note, 'utf8'), [key]);
      expect(o.text).to.equal(c.wantText);
      expect(o.verified).to.deep.equal(c.wantSignatures.map((s: any) => ({ name: s.name, keyIdHex: s.keyIdHex, base64: s.base64 })));
      expect(Buffer.from(o.verified[0]!.base64, 'base64').length - 4).to.equal(c.wantSignatures[0].signatureLengthBytes);
    });

    it('rejects the example under an unrelated key', () => {
      const c = cases.find((x) => x.id === 'c2sp-example-wrong-key-name');
      expect(reason(() => openNote(Buffer.from(c.note, 'utf8'), [parseVerifierKey(c.vkey)]))).to.equal('unverified-note');
    });

    it('splits a multi-paragraph text at the last blank line and rejects it for want of a key', () => {
      const c = cases.find((x) => x.id === 'c2sp-intro-multiline-body');
      const e = thrown(() => openNote(Buffer.from(c.note, 'utf8'), []));
      expect(e.data.reason).to.equal('unverified-note');
      expect(e.data.text).to.equal(c.wantText);
      expect(e.data.unverified).to.deep.equal(c.wantSignatures.map((s: any) => ({ name: s.name, keyIdHex: s.keyIdHex, base64: s.base64 })));
    });
  });

  describe('interop: golang.org/x/mod sumdb/tlog tree notes', function () {
    const ORIGIN = 'go.sum database tree';
    let t: any;
    before(function () {
      const dir = requireVectors(this);
      t = readJson(dir, 'signed-note/go-sumdb-tree-note.json');
    });

    /** Go's ParseTree expressed with parseCheckpoint: a checkpoint whose origin is fixed. */
    function parseTree(text: string): { size: bigint; root: Buffer } {
      const c = parseCheckpoint(text);
      if (c.origin !== ORIGIN) throw new Error('not a tree note');
      return { size: c.size, root: c.rootHash };
    }

    it('formats the tree exactly as FormatTree', () => {
      for (const c of t.formatTree) {
        expect(leafHash(Buffer.from('hello world')).toString('hex')).to.equal(c.tree.rootHex);
        expect(formatCheckpoint({ origin: ORIGIN, size: BigInt(c.tree.size), rootHash: Buffer.from(c.tree.rootBase64, 'base64') })).to.equal(c.wantText);
      }
    });

    it('parses every tree case that is note text (ends in a newline) as ParseTree does', () => {
      let checked = 0;
      for (const c of t.parseTree) {
        const text = Buffer.from(c.inputHex, 'hex').toString('utf8');
        if (!text.endsWith('\n')) continue; // not note text; covered below
        if (c.expect === 'accept') {
          const got = parseTree(text);
          expect(got.size.toString(), c.id).to.equal(c.want.size);
          expect(got.root.toString('hex'), c.id).to.equal(c.want.rootHex);
        } else {
          expect(() => parseTree(text), c.id).to.throw();
        }
        checked++;
      }
      expect(checked).to.equal(t.parseTree.length - 1);
    });

    it('deliberately refuses body text without a final newline, which Go tolerates after line 3', () => {
      const c = t.parseTree.find((x: any) => x.id === 'parse-trailing-junk-no-newline');
      expect(reason(() => parseCheckpoint(Buffer.from(c.inputHex, 'hex').toString('utf8')))).to.equal('malformed-checkpoint');
    });
  });
});
