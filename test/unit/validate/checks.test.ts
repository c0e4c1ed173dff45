// The entry stage of the verification pipeline (DESIGN §5 checks 5-9), one check at a time: pure data in
// (an entry, a policy, commits in the fake git port), a result out. And the pipeline: every check named
// in the one ordered list, all of an entry's problems reported together, a missing range stopping it.
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { CHECK_NAMES, CHAIN_CHECKS, ENTRY_CHECKS } from '../../../src/core/checks.js';
import { claimDigest, claimFromPredicate } from '../../../src/core/claim.js';
import type { BundlePredicate } from '../../../src/core/statement.js';
import { GitOracle } from '../../../src/git/oracle.js';
import { attestationMessage } from '../../../src/bundle/author.js';
import { intentMessage } from '../../../src/intent/intent.js';
import { fromUnixSeconds } from '../../../src/core/time.js';
import type { VerifiedEntry } from '../../../src/mirror/chain.js';
import type { Policy } from '../../../src/policy/policy.js';
import { attestation } from '../../../src/validate/checks/attestation.js';
import { cachedChecks, checkEntry, entryEnvironment } from '../../../src/validate/checks/index.js';
import { singlePlan } from '../../../src/policy/epochs.js';
import { kind } from '../../../src/validate/checks/kind.js';
import { range } from '../../../src/validate/checks/range.js';
import { scope } from '../../../src/validate/checks/scope.js';
import { verdicts } from '../../../src/validate/checks/verdicts.js';
import type { EntryContext, EntryEnv } from '../../../src/validate/checks/context.js';
import { FakeGit } from '../../helpers/fakegit.js';

const OP = 'Olive <olive@example.com>';
const POLICY: Policy = { version: 1, repository: 'acme/app', mirror: { url: 'file:///m' }, protect: ['refs/heads/main'], require: { verdict: 'optional' } };

/** base B, intent A0 (same tree as B), work W1, W2, attestation H (same tree as W2) */
function history(o: { attest?: (p: BundlePredicate) => string } = {}): { git: FakeGit; p: BundlePredicate } {
  const git = new FakeGit();
  git.commit('B', { tree: 't0' }).commit('A0', { parents: ['B'], tree: 't0', message: intentMessage('ws-1', 'Add the thing.', OP) });
  git.commit('W1', { parents: ['A0'], tree: 't1' }).commit('W2', { parents: ['W1'], tree: 't2' });
  const registeredAt = fromUnixSeconds(0); // the fake's committer time
  const p: BundlePredicate = {
    version: 1, kind: 'standard', repository: 'acme/app', workstream: 'ws-1',
    scope: { commit: 'A0', intent: 'Add the thing.', operator: OP, registeredAt },
    range: { base: 'B', head: 'H', commits: ['A0', 'W1', 'W2', 'H'] },
    verdicts: [], selfAttestation: null, seq: 1, predecessor: null, author: OP, createdAt: '2026-01-01T00:00:00Z',
  };
  const claim = claimFromPredicate(p)!;
  const digest = claimDigest(claim);
  p.selfAttestation = { commit: 'H', claimDigest: digest };
  git.commit('H', { parents: ['W2'], tree: 't2', message: o.attest ? o.attest(p) : attestationMessage(claim, digest) });
  return { git, p };
}

function entry(p: BundlePredicate, seq = p.seq): VerifiedEntry {
  return { seq, digest: 'sha256:' + '0'.repeat(64), path: 'entries/1.json', mirrorCommit: 'M', signer: 'olive', keyid: 'k', tier: 'key', predicate: p };
}

function env(git: FakeGit, o: Partial<EntryEnv> = {}): EntryEnv {
  return { policy: POLICY, cutover: null, oracle: new GitOracle(git), firstClaim: new Map(), readCommits: (ids) => git.readCommits(ids), loadVerdict: async () => null, verdictKeys: [], ...o };
}

async function ctx(git: FakeGit, p: BundlePredicate, o: Partial<EntryEnv> = {}): Promise<EntryContext> {
  const e = env(git, o);
  const objs = await e.readCommits([p.range.head, p.range.base, p.scope?.commit].filter((x): x is string => !!x));
  return { entry: entry(p), env: e, objs, ranged: [] };
}

describe('verification pipeline: the entry checks (DESIGN §5, 5-9)', () => {
  it('the one ordered list names the nine checks, chain stage first', () => {
    expect([...CHECK_NAMES]).to.deep.equal(['schema', 'signature', 'chain', 'repository', 'range', 'scope', 'attestation', 'verdicts', 'kind']);
    expect([...CHAIN_CHECKS, ...ENTRY_CHECKS]).to.deep.equal([...CHECK_NAMES]);
  });

  describe('range', () => {
    it('passes when range.commits is exactly rev-list head ^base, and leaves the range for scope', async () => {
      const { git, p } = history();
      const c = await ctx(git, p);
      expect(await range(c)).to.deep.equal({ ok: true, detail: '4 commit(s)' });
      expect(c.ranged.map((r) => r.id)).to.deep.equal(['A0', 'W1', 'W2', 'H']);
    });
    it('fails on a hidden commit and on a listed commit outside the range, naming both', async () => {
      const { git, p } = history();
      p.range.commits = ['A0', 'W2', 'H', 'X'];
      const r = await range(await ctx(git, p));
      expect(r.ok).to.equal(false);
      expect(r.detail).to.match(/1 commit\(s\) in the range are not listed \(W1\)/).and.match(/1 listed commit\(s\) are not in the range \(X\)/);
    });
    it('leaves out commits an earlier entry claims, and counts those a later one claims', async () => {
      const { git, p } = history();
      p.seq = 2;
      p.range.commits = ['W1', 'W2', 'H'];
      const c = await ctx(git, p, { firstClaim: new Map([['A0', 1], ['W1', 3]]) });
      c.entry = entry(p);
      expect(await range(c)).to.deep.equal({ ok: true, detail: '3 commit(s)' });
    });
    it('stops the run when the range is not in this repository (fail closed)', async () => {
      const { git, p } = history();
      p.range.head = 'GONE';
      const r = await range(await ctx(git, p));
      expect(r).to.include({ ok: false, stop: true });
      expect(r.detail).to.match(/is not in this repository/);
    });
    it('a repair entry covers no commits', async () => {
      const { git, p } = history();
      p.kind = 'repair';
      expect(await range(await ctx(git, p))).to.deep.equal({ ok: true, detail: 'repair entries cover no commits' });
    });
  });

  describe('scope', () => {
    it('passes for an intent commit on base that every commit descends from', async () => {
      const { git, p } = history();
      const c = await ctx(git, p);
      await range(c);
      expect(await scope(c)).to.deep.equal({ ok: true, detail: 'ws-1 registered at A0' });
    });
    it('fails when the scope commit is not an intent registration, or is for another workstream', async () => {
      const { git, p } = history();
      p.scope!.commit = 'W1';
      p.range.commits = ['A0', 'W1', 'W2', 'H'];
      const c = await ctx(git, p);
      await range(c);
      const r = await scope(c);
      expect(r.ok).to.equal(false);
      expect(r.detail).to.match(/W1 is not an intent registration commit/).and.match(/parent is not the range base/);
      const h2 = history();
      h2.p.workstream = 'ws-2';
      const c2 = await ctx(h2.git, h2.p);
      await range(c2);
      expect((await scope(c2)).detail).to.match(/intent is for ws-1, the entry for ws-2/);
    });
    it('fails on work before intent registration (a commit not descending from A0)', async () => {
      const { git, p } = history();
      git.commit('S', { parents: ['B'], tree: 'ts' }).commit('Mg', { parents: ['H', 'S'], tree: 't2' });
      p.range.head = 'Mg';
      p.range.commits = ['A0', 'W1', 'W2', 'H', 'S', 'Mg'];
      const c = await ctx(git, p);
      await range(c);
      const r = await scope(c);
      expect(r.ok).to.equal(false);
      expect(r.detail).to.match(/1 commit\(s\) do not descend from the intent commit \(S\)/);
    });
    it('fails closed on a missing scope commit', async () => {
      const { git, p } = history();
      p.scope = null;
      expect(await scope(await ctx(git, p))).to.deep.equal({ ok: false, detail: 'the scope commit is missing' });
    });
    it('is n/a for the recovery kinds', async () => {
      const { git, p } = history();
      p.kind = 'retroactive';
      expect(await scope(await ctx(git, p))).to.deep.equal({ ok: true, detail: 'n/a for retroactive' });
    });
  });

  describe('attestation', () => {
    it('passes when head carries the recomputed claim digest with an unchanged tree', async () => {
      const { git, p } = history();
      expect(await attestation(await ctx(git, p))).to.deep.equal({ ok: true, detail: 'H' });
    });
    it('fails when CSAE-Claim differs from the recomputed claim', async () => {
      const { git, p } = history({ attest: () => 'csae: attest ws-1\n\nbody\n\nCSAE-Type: attestation\nCSAE-Workstream: ws-1\nCSAE-Claim: sha256:' + 'f'.repeat(64) + '\nCSAE-Scope: A0\n' });
      const r = await attestation(await ctx(git, p));
      expect(r.ok).to.equal(false);
      expect(r.detail).to.match(/CSAE-Claim sha256:f+ differs from the recomputed claim/);
    });
    it('fails when the attestation commit changes files', async () => {
      const { git, p } = history();
      (git as any).commits.get('H').tree = 't9';
      const r = await attestation(await ctx(git, p));
      expect(r).to.deep.equal({ ok: false, detail: 'the attestation commit changes files' });
    });
  });

  describe('verdicts', () => {
    it('fails when the policy requires a verdict and there is none', async () => {
      const { git, p } = history();
      const r = await verdicts(await ctx(git, p, { policy: { ...POLICY, require: { verdict: 'required' } } }));
      expect(r).to.deep.equal({ ok: false, detail: 'the policy requires a verdict and the entry has none' });
    });
    it('fails closed on a verdict the mirror does not hold', async () => {
      const { git, p } = history();
      p.verdicts = [{ digest: 'sha256:' + 'a'.repeat(64), status: 'pass', score: 9, floor: 7, reviewer: 'rita' }];
      const r = await verdicts(await ctx(git, p));
      expect(r.ok).to.equal(false);
      expect(r.detail).to.match(/verdict sha256:aaaaaaaaaaaa is not in the mirror/);
    });
    it('a retroactive entry under twoParty needs a second party; an abandonment needs none', async () => {
      const { git, p } = history();
      p.kind = 'retroactive';
      const r = await verdicts(await ctx(git, p, { policy: { ...POLICY, require: { twoParty: true } } }));
      expect(r.ok).to.equal(false);
      expect(r.detail).to.match(/^two-party rule/);
      p.kind = 'abandonment';
      expect(await verdicts(await ctx(git, p))).to.deep.equal({ ok: true, detail: 'none (abandonment)' });
    });
  });

  describe('kind', () => {
    it('a standard entry passes; recovery kinds need a reason, no attestation, and a bypass its ref', async () => {
      const { git, p } = history();
      expect(await kind(await ctx(git, p))).to.deep.equal({ ok: true, detail: 'standard' });
      p.kind = 'bypass';
      const r = await kind(await ctx(git, p));
      expect(r.ok).to.equal(false);
      expect(r.detail).to.match(/bypass entries carry no scope/).and.match(/have no attestation commit/).and.match(/must carry notes.reason/).and.match(/must name range.ref/);
      p.scope = null;
      p.selfAttestation = null;
      p.notes = { reason: 'hotfix' };
      p.range.ref = 'refs/heads/main';
      expect(await kind(await ctx(git, p))).to.deep.equal({ ok: true, detail: 'bypass: hotfix' });
    });
  });

  describe('checkEntry: the ordered run', () => {
    it('a good entry passes all nine, named in the list order', async () => {
      const { git, p } = history();
      const cl = await checkEntry(entry(p), env(git));
      expect(cl.results.map((r) => r.name)).to.deep.equal([...CHECK_NAMES]);
      expect(cl.ok, JSON.stringify(cl.failed())).to.equal(true);
    });
    it('collects every problem of an entry before failing', async () => {
      const { git, p } = history();
      p.workstream = 'ws-2';
      const cl = await checkEntry(entry(p), env(git, { policy: { ...POLICY, require: { verdict: 'required' } } }));
      expect(cl.results.map((r) => r.name)).to.deep.equal([...CHECK_NAMES]);
      expect(cl.failed().map((f) => f.name)).to.deep.equal(['scope', 'attestation', 'verdicts']);
    });
    it('stops after range when the range is not in this repository', async () => {
      const { git, p } = history();
      p.range.head = 'GONE';
      const cl = await checkEntry(entry(p), env(git));
      expect(cl.results.map((r) => r.name)).to.deep.equal(['schema', 'signature', 'chain', 'repository', 'range']);
      expect(cl.failed().map((f) => f.name)).to.deep.equal(['range']);
    });
    it('cachedChecks names all nine as passed, saying why', () => {
      const { p } = history();
      const cl = cachedChecks(entry(p));
      expect(cl.results.map((r) => r.name)).to.deep.equal([...CHECK_NAMES]);
      expect(cl.results.slice(4).every((r) => r.ok && /verified index/.test(r.detail!))).to.equal(true);
    });
  });
  describe('entryEnvironment: the one builder of the environment', () => {
    const key = (): string => 'ed25519:' + (generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32).toString('base64');
    const v1: Policy = { ...POLICY, signers: { verdicts: [{ name: 'old-reviewer', key: key() }] } };
    const v2: Policy = { ...POLICY, cutover: 'C2', signers: { verdicts: [{ name: 'new-reviewer', key: key() }] } };
    const plan = { ...singlePlan(v1), versions: [singlePlan(v1).versions[0]!, { ...singlePlan(v2).versions[0]!, commit: 'P2' }] };
    const parts = { cutover: null, firstClaim: new Map<string, number>(), loadVerdict: async () => null };

    it("judges an entry under its own epoch's policy, and its verdicts by that same policy's keys", () => {
      const git = new FakeGit();
      const e0 = entryEnvironment(git, { ...parts, policy: v2, plan, epoch: 0 });
      expect(e0.policy).to.equal(v1);
      expect(e0.verdictKeys.map((k) => k.name)).to.deep.equal(['old-reviewer']);
      const e1 = entryEnvironment(git, { ...parts, policy: v1, plan, epoch: 1 });
      expect(e1.policy).to.equal(v2);
      expect(e1.verdictKeys.map((k) => k.name)).to.deep.equal(['new-reviewer']);
    });
    it('without epochs it is the policy given; the cutover is the one the caller resolved', () => {
      const env = entryEnvironment(new FakeGit(), { ...parts, policy: v2, cutover: 'C9' });
      expect(env.policy).to.equal(v2);
      expect(env.cutover).to.equal('C9');
      expect(env.verdictKeys.map((k) => k.name)).to.deep.equal(['new-reviewer']);
    });
    it('asks git for ranges and commits unless the caller brings its own', async () => {
      const { git, p } = history();
      const cl = await checkEntry(entry(p), entryEnvironment(git, { ...parts, policy: POLICY }));
      expect(cl.ok, JSON.stringify(cl.failed())).to.equal(true);
    });
  });
});
