// The entry checks' test fixture: a small history in the fake git port (base B, intent A0 with B's tree,
// work W1 and W2, attestation H with W2's tree) and a standard entry that lists it exactly, plus the
// environment and context an entry check is given. Each test changes one thing and sees one check fail.
import { claimDigest, claimFromPredicate } from '../../../../src/core/claim.js';
import type { BundlePredicate } from '../../../../src/core/statement.js';
import { fromUnixSeconds } from '../../../../src/core/time.js';
import { GitOracle } from '../../../../src/git/oracle.js';
import { attestationMessage } from '../../../../src/bundle/author.js';
import { intentMessage } from '../../../../src/intent/intent.js';
import type { VerifiedEntry } from '../../../../src/mirror/chain.js';
import type { Policy } from '../../../../src/policy/policy.js';
import type { EntryContext, EntryEnv } from '../../../../src/validate/checks/context.js';
import { FakeGit } from '../../../helpers/fakegit.js';

export const OP = 'Olive <olive@example.com>';
export const POLICY: Policy = { version: 1, repository: 'acme/app', mirror: { url: 'file:///m' }, protect: ['refs/heads/main'], require: { verdict: 'optional' } };

export function history(o: { attest?: (p: BundlePredicate) => string } = {}): { git: FakeGit; p: BundlePredicate } {
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

export function entry(p: BundlePredicate, o: Partial<VerifiedEntry> = {}): VerifiedEntry {
  return { seq: p.seq, digest: 'sha256:' + '0'.repeat(64), path: 'entries/1.json', mirrorCommit: 'M', signer: 'olive', keyid: 'k', tier: 'key', predicate: p, ...o };
}

export function env(git: FakeGit, o: Partial<EntryEnv> = {}): EntryEnv {
  return { policy: POLICY, cutover: null, oracle: new GitOracle(git), firstClaim: new Map(), readCommits: (ids) => git.readCommits(ids), loadVerdict: async () => null, verdictKeys: [], ...o };
}

export async function ctx(git: FakeGit, p: BundlePredicate, o: Partial<EntryEnv> = {}, e: Partial<VerifiedEntry> = {}): Promise<EntryContext> {
  const en = env(git, o);
  const objs = await en.readCommits([p.range.head, p.range.base, p.scope?.commit].filter((x): x is string => !!x));
  return { entry: entry(p, e), env: en, objs, ranged: [] };
}
