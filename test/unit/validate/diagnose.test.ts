// Diagnoses (src/validate/diagnose.ts): each uncovered commit gets one code from the field manual and the
// next command to run. Asserted by code, the entry and check named, and the command in `next`.
import { expect } from 'chai';
import type { BundlePredicate } from '../../../src/core/statement.js';
import type { CommitObject } from '../../../src/git/git.js';
import { intentMessage } from '../../../src/intent/intent.js';
import type { VerifiedEntry } from '../../../src/mirror/chain.js';
import type { EntryVerdict } from '../../../src/validate/coverage.js';
import { diagnose, type DiagnoseInput } from '../../../src/validate/diagnose.js';
import { FakeGit } from '../../helpers/fakegit.js';

const OP = 'Olive <olive@example.com>';
const CLAIM = 'sha256:' + 'c'.repeat(64);
const ATTEST = (ws: string, claim = CLAIM): string => `csae: attest ${ws}\n\nattested\n\nCSAE-Type: attestation\nCSAE-Workstream: ${ws}\nCSAE-Claim: ${claim}\n`;

function entry(seq: number, commits: string[], o: Partial<BundlePredicate> = {}): VerifiedEntry {
  const p: BundlePredicate = {
    version: 1, kind: 'standard', repository: 'acme/app', workstream: 'ws-feat', scope: { commit: commits[0]!, intent: 'x', operator: OP, registeredAt: '2026-01-01T00:00:00Z' },
    range: { base: 'B', head: commits[commits.length - 1]!, commits }, verdicts: [], selfAttestation: { commit: commits[commits.length - 1]!, claimDigest: CLAIM },
    seq, predecessor: null, author: OP, createdAt: '2026-01-01T00:00:00Z', ...o,
  };
  return { seq, digest: 'sha256:' + String(seq).padStart(64, '0'), path: `e/${seq}`, mirrorCommit: 'M', signer: 'olive', keyid: 'k', tier: 'key', predicate: p };
}

async function objects(git: FakeGit): Promise<Map<string, CommitObject>> {
  return git.readCommits([...git.commits.keys()]);
}

async function run(git: FakeGit, o: Partial<DiagnoseInput> & { uncovered: string[] }) {
  return diagnose({ objects: await objects(git), entries: [], checked: [], draftCommits: new Set(), pushing: true, ...o });
}

const codes = (ds: ReturnType<typeof diagnose>): Array<[string, string]> => ds.map((d) => [d.commit, d.code]);

describe('validate/diagnose', () => {
  it('nothing uncovered: no diagnoses', async () => {
    expect(await run(new FakeGit(), { uncovered: [] })).to.deep.equal([]);
  });

  it('forgot-intent: pushed work with no intent commit before it', async () => {
    const git = new FakeGit().commit('B').commit('W1', { parents: ['B'], message: 'plain work\n' });
    const [d] = await run(git, { uncovered: ['W1'] });
    expect(d).to.include({ commit: 'W1', code: 'forgot-intent', subject: 'plain work' });
    expect(d!.next).to.contain('csae intent register').and.contain('csae bundle retroactive');
  });

  it('no-bundle-authored: an intent was registered in the push, but nothing attested', async () => {
    const git = new FakeGit().commit('B').commit('A0', { parents: ['B'], message: intentMessage('ws-feat', 'Do it.', OP) }).commit('W1', { parents: ['A0'] });
    const ds = await run(git, { uncovered: ['A0', 'W1'] });
    expect(codes(ds)).to.deep.equal([['A0', 'no-bundle-authored'], ['W1', 'no-bundle-authored']]);
    expect(ds[0]!.next).to.contain('csae bundle author');
  });

  it('not-yet-mirrored: intent and attestation pushed, the bundle not in the mirror', async () => {
    const git = new FakeGit().commit('B').commit('A0', { parents: ['B'], message: intentMessage('ws-feat', 'Do it.', OP) }).commit('H', { parents: ['A0'], message: ATTEST('ws-feat') });
    const ds = await run(git, { uncovered: ['A0', 'H'] });
    expect(codes(ds)).to.deep.equal([['A0', 'not-yet-mirrored'], ['H', 'not-yet-mirrored']]);
    expect(ds[0]!.next).to.contain('csae bundle publish');
  });

  it('not-yet-mirrored: a commit a local draft bundle lists, even in a replay', async () => {
    const git = new FakeGit().commit('B').commit('W1', { parents: ['B'] });
    const [d] = await run(git, { uncovered: ['W1'], draftCommits: new Set(['W1']), pushing: false });
    expect(d!.code).to.equal('not-yet-mirrored');
  });

  it('entry-fails-checks: the mirrored entry listing it fails a check — names the entry and the first failing check', async () => {
    const git = new FakeGit().commit('B').commit('A0', { parents: ['B'] }).commit('H', { parents: ['A0'] });
    const e = entry(4, ['A0', 'H']);
    const checked: EntryVerdict[] = [{ seq: 4, kind: 'standard', workstream: 'ws-feat', ok: false, checks: [{ name: 'range', ok: true }, { name: 'scope', ok: false, detail: 'x' }, { name: 'attestation', ok: false, detail: 'y' }] }];
    const ds = await run(git, { uncovered: ['A0', 'H'], entries: [e], checked, draftCommits: new Set(['A0']) });
    expect(ds.map((d) => [d.code, d.seq, d.check])).to.deep.equal([['entry-fails-checks', 4, 'scope'], ['entry-fails-checks', 4, 'scope']]);
    expect(ds[1]!.next).to.contain('csae audit who H');
  });

  it('an entry that lists the commit and passed is no reason: the commit gets its own diagnosis', async () => {
    const git = new FakeGit().commit('B').commit('W1', { parents: ['B'], message: 'plain\n' });
    const checked: EntryVerdict[] = [{ seq: 1, kind: 'standard', workstream: 'ws-feat', ok: true, checks: [] }];
    const [d] = await run(git, { uncovered: ['W1'], entries: [entry(1, ['W1'])], checked });
    expect(d!.code).to.equal('forgot-intent');
  });

  describe('rebased-after-attestation', () => {
    it('from the messages: the pushed commits carry a mirrored claim digest under other ids', async () => {
      const git = new FakeGit().commit('B').commit('S', { parents: ['B'], message: `Squashed\n\n${ATTEST('ws-feat')}` });
      const [d] = await run(git, { uncovered: ['S'], entries: [entry(1, ['A0', 'H'])] });
      expect(d!.code).to.equal('rebased-after-attestation');
      expect(d!.next).to.contain('csae bundle author');
    });
    it('from the messages: they name a mirrored workstream whose intent commit is not among them', async () => {
      const git = new FakeGit().commit('B').commit('S', { parents: ['B'], message: 'Squashed ws-feat (3 steps)\n' });
      const [d] = await run(git, { uncovered: ['S'], entries: [entry(1, ['A0', 'H'])] });
      expect(d!.code).to.equal('rebased-after-attestation');
    });
    it('from replay facts: the facts decide over the messages, both ways', async () => {
      const git = new FakeGit().commit('B').commit('S', { parents: ['B'], message: 'Squashed ws-feat\n' }).commit('T', { parents: ['S'], message: 'unrelated\n' });
      const rewrites = { rewritten: new Map([['T', { seq: 1, workstream: 'ws-feat', how: 'rebase' }]]), unknown: new Set<string>() };
      const ds = await run(git, { uncovered: ['S', 'T'], entries: [entry(1, ['A0', 'H'])], rewrites });
      expect(codes(ds)).to.deep.equal([['S', 'forgot-intent'], ['T', 'rebased-after-attestation']]);
    });
    it('a commit the replay facts could not decide falls back to the messages', async () => {
      const git = new FakeGit().commit('B').commit('S', { parents: ['B'], message: 'Squashed ws-feat\n' });
      const rewrites = { rewritten: new Map(), unknown: new Set(['S']) };
      const [d] = await run(git, { uncovered: ['S'], entries: [entry(1, ['A0', 'H'])], rewrites });
      expect(d!.code).to.equal('rebased-after-attestation');
    });
  });

  it('uncovered: landed history (not a push) with nothing pointing at it', async () => {
    const git = new FakeGit().commit('B').commit('W1', { parents: ['B'], message: 'landed\n' });
    const [d] = await run(git, { uncovered: ['W1'], pushing: false });
    expect(d!.code).to.equal('uncovered');
    expect(d!.next).to.contain('csae bundle retroactive --range W1~1..W1');
  });

  it('a commit whose object cannot be read is still diagnosed (never dropped), one diagnosis per commit in order', async () => {
    const git = new FakeGit().commit('B').commit('W1', { parents: ['B'], message: 'plain\n' });
    const ds = await run(git, { uncovered: ['GONE', 'W1'] });
    expect(codes(ds)).to.deep.equal([['GONE', 'forgot-intent'], ['W1', 'forgot-intent']]);
    expect(ds[0]!.subject).to.equal('(commit not readable)');
  });

  it('a malformed trailer block does not throw: the commit is diagnosed as plain work', async () => {
    const git = new FakeGit().commit('B').commit('W1', { parents: ['B'], message: 'x\n\nCSAE-Type: intent\nCSAE-Type: attestation\n' });
    const ds = await run(git, { uncovered: ['W1'] });
    expect(ds).to.have.length(1);
  });
});
