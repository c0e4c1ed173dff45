// C2SP tlog-cosignature lines: made and checked by src/core/cosignature.ts (pure).
import { expect } from 'chai';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { cosignNote, cosignatureKeyId, verifyCosignatures } from '../../../src/core/cosignature.js';
import { formatCheckpoint, openCheckpoint, rawPublicKey, signNote, keyId } from '../../../src/core/note.js';

function witness(name: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { name, privateKey, publicKey: rawPublicKey(publicKey), key: publicKey };
}

describe('unit: witness cosignatures (C2SP tlog-cosignature)', () => {
  const log = generateKeyPairSync('ed25519');
  const body = formatCheckpoint({ origin: 'csae-mirror:example.com/acme/app', size: 3, rootHash: Buffer.alloc(32, 7) });
  const note = signNote(body, [{ name: 'log', privateKey: log.privateKey }]);
  const w = witness('wit-a');

  it('keyID is SHA-256(name || "\\n" || 0x04 || pub)[:4]', () => {
    const want = createHash('sha256').update(Buffer.concat([Buffer.from('wit-a\n'), Buffer.from([4]), w.publicKey])).digest().subarray(0, 4);
    expect(cosignatureKeyId('wit-a', w.publicKey).equals(want)).to.equal(true);
    expect(cosignatureKeyId('wit-a', w.publicKey).equals(keyId('wit-a', w.publicKey))).to.equal(false);
  });

  it('a cosigned note verifies for the witness, keeps the log signature, and carries the timestamp', () => {
    const cosigned = cosignNote(note, w, 1_700_000_000);
    expect(verifyCosignatures(cosigned, [w])).to.deep.equal([{ name: 'wit-a', timestamp: 1_700_000_000 }]);
    const lines = cosigned.toString('utf8').split('\n');
    const raw = Buffer.from(lines[lines.length - 2]!.split(' ')[2]!, 'base64');
    expect(raw.length).to.equal(76);
    expect(raw.readBigUInt64BE(4)).to.equal(1_700_000_000n);
    // the log's own signature still opens (the cosignature line is an unknown key to it)
    const logVerifier = { name: 'log', keyIdHex: keyId('log', rawPublicKey(log.publicKey)).toString('hex'), publicKey: rawPublicKey(log.publicKey), key: log.publicKey };
    expect(openCheckpoint(cosigned, [logVerifier]).checkpoint.size).to.equal(3n);
  });

  it('re-cosigning replaces the old line; another witness adds its own', () => {
    const w2 = witness('wit-b');
    const twice = cosignNote(cosignNote(cosignNote(note, w, 1), w, 2), w2, 3);
    expect(verifyCosignatures(twice, [w, w2])).to.deep.equal([{ name: 'wit-a', timestamp: 2 }, { name: 'wit-b', timestamp: 3 }]);
    expect(twice.toString().split('\u2014 wit-a ').length - 1).to.equal(1);
  });

  it('fails closed: another key, a changed body, a changed timestamp, an untrusted name', () => {
    const cosigned = cosignNote(note, w, 5);
    expect(verifyCosignatures(cosigned, [witness('wit-a')])).to.deep.equal([]);
    const changed = Buffer.from(cosigned.toString('utf8').replace('\n3\n', '\n4\n'));
    expect(verifyCosignatures(changed, [w])).to.deep.equal([]);
    const s = cosigned.toString('utf8');
    const i = s.lastIndexOf('\u2014 wit-a ') + '\u2014 wit-a '.length;
    const raw = Buffer.from(s.slice(i, -1), 'base64');
    raw.writeBigUInt64BE(6n, 4);
    expect(verifyCosignatures(Buffer.from(s.slice(0, i) + raw.toString('base64') + '\n'), [w])).to.deep.equal([]);
    expect(verifyCosignatures(cosigned, [])).to.deep.equal([]);
  });
});
