// Unit: the mirror layout 2 path rules (DESIGN §2.4): every path csae writes classifies back to what it
// is, and every near miss (wrong shard, wrong fan-out, wrong width) is outside the layout.
import { expect } from 'chai';
import { classifyPath, entryDir, entryPath, entrySigstorePath, isMirrorPath, isModifiablePath, markerBytes, markerProblem, renderingPath, verdictPath, verdictSigstorePath, checkpointPath, MARKER_PATH } from '../../../src/mirror/layout.js';

const D = 'sha256:' + 'ab12'.repeat(16);

describe('mirror layout 2', () => {
  it('spells entry paths with two levels of seq shards', () => {
    expect(entryPath(1)).to.equal('entries/000000/000/000000000001.dsse.json');
    expect(entryPath(999)).to.equal('entries/000000/000/000000000999.dsse.json');
    expect(entryPath(1000)).to.equal('entries/000000/001/000000001000.dsse.json');
    expect(entryPath(1_234_567)).to.equal('entries/000001/234/000001234567.dsse.json');
    expect(entryPath(999_999_999_999)).to.equal('entries/999999/999/999999999999.dsse.json');
    expect(renderingPath(30_000)).to.equal('entries/000000/030/000000030000.md');
    expect(entrySigstorePath(7)).to.equal('entries/000000/000/000000000007.sigstore.json');
    expect(entryDir(1_234_567)).to.equal('entries/000001/234');
  });

  it('spells verdict paths with two levels of digest fan-out', () => {
    expect(verdictPath(D)).to.equal(`verdicts/ab/12/sha256-${'ab12'.repeat(16)}.dsse.json`);
    expect(verdictSigstorePath(D)).to.equal(`verdicts/ab/12/sha256-${'ab12'.repeat(16)}.sigstore.json`);
    expect(checkpointPath(12)).to.equal('checkpoints/000000000012');
  });

  it('refuses to spell a path for an id that is not one', () => {
    for (const seq of [0, -1, 1.5, 1e12, Number.NaN]) expect(() => entryPath(seq), String(seq)).to.throw(RangeError);
    for (const d of ['sha256:AB' + 'a'.repeat(62), 'sha256:' + 'a'.repeat(63), '../etc/passwd']) expect(() => verdictPath(d), d).to.throw(RangeError);
  });

  it('classifies every path it spells back to what it is', () => {
    for (const seq of [1, 2, 999, 1000, 1001, 29_999, 30_000, 1_000_000, 1_234_567]) {
      expect(classifyPath(entryPath(seq))).to.deep.equal({ kind: 'entry', seq });
      expect(classifyPath(renderingPath(seq))).to.deep.equal({ kind: 'rendering', seq });
      expect(classifyPath(entrySigstorePath(seq))).to.deep.equal({ kind: 'entry-sigstore', seq });
    }
    expect(classifyPath(verdictPath(D))).to.deep.equal({ kind: 'verdict', digest: D });
    expect(classifyPath(verdictSigstorePath(D))).to.deep.equal({ kind: 'verdict-sigstore', digest: D });
    expect(classifyPath(MARKER_PATH)).to.deep.equal({ kind: 'marker' });
    expect(classifyPath('checkpoints/latest')).to.deep.equal({ kind: 'checkpoint-latest' });
    expect(classifyPath(checkpointPath(5))).to.deep.equal({ kind: 'checkpoint', size: 5 });
    expect(isModifiablePath('checkpoints/latest')).to.equal(true);
    expect(isModifiablePath(MARKER_PATH)).to.equal(false);
    expect(isModifiablePath(entryPath(1))).to.equal(false);
  });

  it('puts every near miss outside the layout', () => {
    const hex = 'ab12'.repeat(16);
    for (const p of [
      'entries/00000000/000000000001.dsse.json', // layout 1
      'entries/000000/001/000000000001.dsse.json', // wrong middle shard
      'entries/000001/000/000000000001.dsse.json', // wrong top shard
      'entries/000000/000/000000000000.dsse.json', // seq 0
      'entries/000000/000/00000000001.dsse.json', // 11 digits
      'entries/000000/000/000000000001.json',
      'entries/000000/000/000000000001.dsse.json.md',
      'entries/000000/000/sub/000000000001.dsse.json',
      `verdicts/sha256-${hex}.dsse.json`, // layout 1
      `verdicts/ab/sha256-${hex}.dsse.json`,
      `verdicts/12/ab/sha256-${hex}.dsse.json`, // fan-out not from the digest
      `verdicts/AB/12/sha256-${hex.toUpperCase()}.dsse.json`,
      `verdicts/ab/12/sha256-${hex}.md`,
      'csae-mirror.json.bak',
      'sub/csae-mirror.json',
      'checkpoints/12',
      'README.md',
    ])
      expect(isMirrorPath(p), p).to.equal(false);
  });

  it('writes a canonical marker naming layout 2, and reads only that layout', () => {
    expect(markerBytes().toString('utf8')).to.equal('{"format":"csae-audit-mirror","layout":2}\n');
    expect(markerProblem(markerBytes())).to.equal(null);
    expect(markerProblem(Buffer.from('{"layout":2,"note":"hand-made"}'))).to.equal(null);
    expect(markerProblem(undefined)).to.match(/no csae-mirror\.json/);
    expect(markerProblem(Buffer.from('{"layout":1}'))).to.match(/uses layout 1, which this csae does not read \(it reads layout 2\)/);
    expect(markerProblem(Buffer.from('{"layout":"3"}'))).to.match(/uses layout "3"/);
    expect(markerProblem(Buffer.from('{"layout":null}'))).to.match(/names no layout/);
    expect(markerProblem(Buffer.from('[2]'))).to.match(/names no layout/);
    expect(markerProblem(Buffer.from(''))).to.match(/not JSON/);
  });
});
