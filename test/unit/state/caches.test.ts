// The caches under .git/csae (src/state/): each round-trips, and each read returns null (an empty cache)
// for a missing file, another version, corrupt JSON or a wrong shape — a cache is never trusted blindly.
// A write into a state dir that does not exist yet writes nothing and never throws. Real files in temp dirs.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATE_FILES, statePath } from '../../../src/state/files.js';
import { INDEX_FILES } from '../../../src/state/verified-index.js';
import { readCutover, writeCutover } from '../../../src/state/cutover.js';
import { readPolicyHistory, writePolicyHistory } from '../../../src/state/policy-history.js';
import { readPolicyCache, writePolicyCache } from '../../../src/state/policy-cache.js';
import { readIntentRecords, writeIntentRecord } from '../../../src/state/intents.js';
import { readHeldCheckpoint, readWitnessCheckpoint, writeHeldCheckpoint, writeWitnessCheckpoint } from '../../../src/state/witness.js';
import { storeVerdictFiles, verdictFilePaths } from '../../../src/state/verdicts.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(64);
const D = 'd'.repeat(64);

describe('state: the caches under .git/csae', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'csae-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const put = (name: keyof typeof STATE_FILES, text: string): void => writeFileSync(statePath(dir, name), text);
  const missing = (): string => join(dir, 'no', 'csae');

  it('the catalogue names every file the verified index writes, each once, with a kind and a purpose', () => {
    const paths = Object.values(STATE_FILES).map((f) => f.path);
    expect(new Set(paths).size).to.equal(paths.length);
    for (const f of INDEX_FILES) expect(paths, f).to.include(f);
    for (const f of Object.values(STATE_FILES)) {
      expect(['clone', 'cache', 'session']).to.include(f.kind);
      expect(f.purpose.length, f.path).to.be.greaterThan(10);
    }
  });

  describe('cutover.json', () => {
    it('round-trips a commit id, with a version', () => {
      writeCutover(dir, A);
      expect(readCutover(dir)).to.equal(A);
      expect(JSON.parse(readFileSync(statePath(dir, 'cutover'), 'utf8'))).to.deep.equal({ version: 1, cutover: A });
    });
    it('another version, the old unversioned shape, corrupt JSON, a non-hex or short id, an array: null', () => {
      for (const bad of [{ version: 2, cutover: A }, { cutover: A }, { version: 1, cutover: 'A'.repeat(40) }, { version: 1, cutover: 'HEAD~3' }, { version: 1, cutover: A.slice(1) }, { version: 1 }, [A]]) {
        put('cutover', JSON.stringify(bad));
        expect(readCutover(dir), JSON.stringify(bad)).to.equal(null);
      }
      put('cutover', '{"version":1,"cutover":"' + A);
      expect(readCutover(dir)).to.equal(null);
      expect(readCutover(missing())).to.equal(null);
    });
    it('writes nothing for a non-id, and nothing into a missing state dir (no throw)', () => {
      writeCutover(dir, '--all');
      expect(existsSync(statePath(dir, 'cutover'))).to.equal(false);
      expect(() => writeCutover(missing(), A)).to.not.throw();
      expect(existsSync(missing())).to.equal(false);
    });
  });

  describe('policy-history.json', () => {
    const h = { tip: A, changes: [{ id: A, parents: [] }, { id: B, parents: [A, B] }] };
    it('round-trips the tip and the changes', () => {
      writePolicyHistory(dir, h);
      expect(readPolicyHistory(dir)).to.deep.equal(h);
    });
    it('another version, the old {v:1} shape, corrupt JSON, a tip or change that is not an id: null', () => {
      for (const bad of [
        { version: 2, ...h },
        { v: 1, ...h },
        { version: 1, tip: 'main', changes: h.changes },
        { version: 1, tip: A, changes: [{ id: 'HEAD', parents: [] }] },
        { version: 1, tip: A, changes: [{ id: A, parents: ['x'] }] },
        { version: 1, tip: A, changes: [{ id: A }] },
        { version: 1, tip: A, changes: 'all' },
      ]) {
        put('policyHistory', JSON.stringify(bad));
        expect(readPolicyHistory(dir), JSON.stringify(bad)).to.equal(null);
      }
      put('policyHistory', 'garbage');
      expect(readPolicyHistory(dir)).to.equal(null);
    });
    it('a write into a missing state dir: no throw, nothing written', () => {
      expect(() => writePolicyHistory(missing(), h)).to.not.throw();
      expect(existsSync(missing())).to.equal(false);
    });
  });

  describe('policy-cache.json', () => {
    it('round-trips parsed policies under the digest of their bytes', () => {
      writePolicyCache(dir, new Map([[D, { version: 1, protect: ['refs/heads/main'] }]]));
      expect([...readPolicyCache(dir)]).to.deep.equal([[D, { version: 1, protect: ['refs/heads/main'] }]]);
    });
    it('another version, the old unversioned map, corrupt JSON, a key that is not a digest, a value that is not an object: empty', () => {
      for (const bad of [{ version: 2, policies: { [D]: {} } }, { [D]: { version: 1 } }, { version: 1, policies: { main: {} } }, { version: 1, policies: { [D]: 'x' } }, { version: 1, policies: [] }]) {
        put('policyCache', JSON.stringify(bad));
        expect(readPolicyCache(dir).size, JSON.stringify(bad)).to.equal(0);
      }
      put('policyCache', '{"version":1,');
      expect(readPolicyCache(dir).size).to.equal(0);
    });
    it('a write into a missing state dir: no throw, nothing written', () => {
      expect(() => writePolicyCache(missing(), new Map([[D, {}]]))).to.not.throw();
      expect(existsSync(missing())).to.equal(false);
    });
  });

  describe('checkpoint-held (a cache) and witness/<name>.checkpoint (session state)', () => {
    it('round-trip; a missing file reads null', () => {
      expect(readHeldCheckpoint(dir)).to.equal(null);
      writeHeldCheckpoint(dir, Buffer.from('note\n'));
      expect(readHeldCheckpoint(dir)?.toString()).to.equal('note\n');
      writeWitnessCheckpoint(dir, 'wendy', Buffer.from('cosigned\n'));
      expect(readWitnessCheckpoint(dir, 'wendy')?.toString()).to.equal('cosigned\n');
      expect(readWitnessCheckpoint(dir, 'other')).to.equal(null);
    });
    it('a witness name that would leave witness/ is refused before it names a file', () => {
      for (const bad of ['../x', 'a/b', '..', '.hidden', '']) {
        expect(() => writeWitnessCheckpoint(dir, bad, Buffer.from('x')), bad).to.throw().with.property('code', 'config');
      }
      expect(readdirSync(dir)).to.deep.equal([]);
    });
  });

  describe('intents/ and verdicts/ (session state)', () => {
    it('an intent record round-trips under its workstream; a corrupt or misnamed file is skipped', () => {
      writeIntentRecord(dir, 'ws-a', { workstream: 'ws-a', commit: A, intent: 'x' });
      writeFileSync(statePath(dir, 'intents', 'ws-b.json'), '{ nope');
      writeFileSync(statePath(dir, 'intents', 'ws-c.json'), JSON.stringify({ workstream: 'ws-a', commit: A }));
      writeFileSync(statePath(dir, 'intents', 'ws-d.json'), JSON.stringify({ workstream: 'ws-d', commit: 'HEAD' }));
      expect(readIntentRecords(dir)).to.deep.equal([{ workstream: 'ws-a', commit: A, intent: 'x' }]);
      expect(() => writeIntentRecord(dir, '../evil', {})).to.throw().with.property('code', 'bad-id');
    });
    it('a verdict is stored under its digest with its sidecar; only envelopes are listed', () => {
      const p = storeVerdictFiles(dir, D, Buffer.from('{}\n'), Buffer.from('sidecar'));
      expect(p).to.equal(statePath(dir, 'verdicts', `sha256-${D}.dsse.json`));
      expect(readFileSync(statePath(dir, 'verdicts', `sha256-${D}.sigstore.json`), 'utf8')).to.equal('sidecar');
      expect(verdictFilePaths(dir)).to.deep.equal([p]);
      expect(() => storeVerdictFiles(dir, '../x', Buffer.from('x'))).to.throw().with.property('code', 'bad-id');
    });
  });
});
