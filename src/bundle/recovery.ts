// The recovery kinds (DESIGN §2.3, field manual): entries with no intent or attestation commit that
// carry a reason instead, signed and appended at once.
//   retroactive — a coverage gap closed honestly, post hoc, at lower confidence
//   abandonment — a stranded intent closed (the intent commit is covered, the work abandoned)
//   bypass      — named commits on a named ref let through by a bypass signer; itself in the chain
import { CsaeError } from '../core/errors.js';
import { assertReason, assertWorkstream } from '../core/ids.js';
import { canonicalize } from '../core/jcs.js';
import { sha256Hex } from '../core/digest.js';
import type { BundleKind, BundlePredicate } from '../core/statement.js';
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import type { Signer } from '../sign/signer.js';
import { acceptVerdict } from '../verdict/accept.js';
import type { Policy } from '../policy/policy.js';
import { MirrorStore } from '../mirror/store.js';
import { unclaimedRange } from '../validate/validate.js';
import { resolveRev, splitRange } from '../git/range.js';
import { parseIntentCommit, readIntents } from '../intent/intent.js';
import { assistanceOf } from '../intent/assistance.js';
import { readVerdictFile, verdictMaterial, type VerdictFile } from '../verdict/verdict.js';
import { verdictRef } from './author.js';
import { publishEntry, type Published } from './publish.js';
import type { Draft } from '../state/drafts.js';
import { resolve } from 'node:path';

type Partial = Omit<BundlePredicate, 'seq' | 'predecessor' | 'author' | 'createdAt'>;

function draftOf(kind: BundleKind, predicate: Partial): Draft {
  return { version: 1, kind, claim: {}, claimDigest: 'sha256:' + sha256Hex(canonicalize(predicate)), head: predicate.range.head, verdictFiles: [], predicate };
}

/**
 * A..B as given, except that ROOT~1..ROOT (what `audit who` suggests for any uncovered commit) names a
 * range from the repository's root when ROOT has no parent: base null, nothing to exclude.
 */
async function resolveRecoveryRange(git: Repo['git'], range: string): Promise<{ base: string | null; head: string }> {
  const { from, to } = splitRange(range);
  const head = await resolveRev(git, to);
  const parentOf = /^(.+?)(?:~1?|\^1?)$/.exec(from)?.[1];
  if (parentOf && !(await git.resolveCommit(from))) {
    const id = await git.resolveCommit(parentOf);
    const c = id ? await git.readCommit(id) : null;
    if (c && c.parents.length === 0) return { base: null, head };
  }
  return { base: await resolveRev(git, from), head };
}

/** The commits of A..B (after the cutover) that no mirrored entry lists yet. */
async function uncoveredRange(repo: Repo, policy: Policy, range: string): Promise<{ base: string | null; head: string; commits: string[] }> {
  const { base, head } = await resolveRecoveryRange(repo.git, range);
  const commits = await unclaimedRange(repo, policy, await new MirrorStore(repo, policy).view(), head, base);
  if (commits.length === 0) throw new CsaeError('usage', `every commit of ${range} is already covered by the mirror (or behind the cutover)`, { next: `csae audit who ${head.slice(0, 12)}` });
  return { base, head, commits };
}

function checkVerdicts(policy: Policy, files: VerdictFile[]): void {
  for (const v of files) {
    // the one acceptance rule (verdict/accept.ts): trusted reviewer, pass, its floor and the policy's
    const d = acceptVerdict(v, policy);
    if (!d.identity) throw new CsaeError('signature-invalid', `verdict ${v.path ?? v.digest}: ${d.problems.join('; ')}`, { next: 'csae policy trust --verdicts --name NAME --key REVIEWER.pub' });
    if (!d.ok) throw new CsaeError('verdict-mismatch', `verdict ${v.path ?? v.digest}: ${d.problems.join('; ')}`);
  }
}

export async function retroactive(ctx: Context, repo: Repo, policy: Policy, signer: Signer, o: { range: string; reason: string; verdicts?: string[]; workstream?: string }): Promise<Published> {
  const reason = assertReason(o.reason);
  const { base, head, commits } = await uncoveredRange(repo, policy, o.range);
  const verdicts = (o.verdicts ?? []).map((f) => readVerdictFile(resolve(ctx.cwd, f)));
  checkVerdicts(policy, verdicts);
  const predicate: Partial = {
    version: 1,
    kind: 'retroactive',
    repository: policy.repository,
    workstream: assertWorkstream(o.workstream ?? `retro-${head.slice(0, 12)}`),
    scope: null,
    range: { base, head, commits },
    verdicts: verdicts.map(verdictRef),
    selfAttestation: null,
    notes: { reason },
    ...(await assistanceOf(repo.git, commits)),
  };
  return publishEntry(ctx, repo, policy, signer, draftOf('retroactive', predicate), verdicts);
}

export async function abandon(ctx: Context, repo: Repo, policy: Policy, signer: Signer, o: { workstream: string; reason: string }): Promise<Published> {
  const ws = assertWorkstream(o.workstream);
  const reason = assertReason(o.reason);
  let a0 = readIntents(repo).find((r) => r.workstream === ws)?.commit ?? null;
  if (!a0) {
    const hits = await repo.git.grepCommits(`CSAE-Workstream: ${ws}`, { all: true, max: 50 });
    const objs = await repo.git.readCommits(hits);
    a0 = hits.find((h) => parseIntentCommit(objs.get(h)!)?.workstream === ws) ?? null;
  }
  const c = a0 ? await repo.git.readCommit(a0) : null;
  const intent = c ? parseIntentCommit(c) : null;
  if (!c || !intent || c.parents.length !== 1) throw new CsaeError('unknown-workstream', `no intent registration for workstream ${ws} in this clone`, { next: 'csae intent status' });
  const predicate: Partial = {
    version: 1,
    kind: 'abandonment',
    repository: policy.repository,
    workstream: ws,
    scope: { commit: c.id, intent: intent.intent, operator: intent.operator, registeredAt: intent.registeredAt },
    range: { base: c.parents[0]!, head: c.id, commits: [c.id] },
    verdicts: [],
    selfAttestation: null,
    notes: { reason },
  };
  return publishEntry(ctx, repo, policy, signer, draftOf('abandonment', predicate), []);
}

export async function bypass(ctx: Context, repo: Repo, policy: Policy, signer: Signer, o: { ref: string; range: string; reason: string; understood: boolean }): Promise<Published> {
  if (!o.understood) throw new CsaeError('usage', 'a bypass is recorded in the audit chain for everyone to see: add --i-understand-this-is-logged', { next: 'prefer csae bundle author (or csae bundle retroactive) when you can' });
  if (policy.bypass?.allowed === false) throw new CsaeError('config', 'the policy forbids bypasses (bypass.allowed: false)');
  if (!/^refs\/[A-Za-z0-9._/-]+$/.test(o.ref) || o.ref.includes('..')) throw new CsaeError('usage', `--ref ${JSON.stringify(o.ref)} must be a full ref name like refs/heads/main`);
  const reason = assertReason(o.reason);
  const { base, head, commits } = await uncoveredRange(repo, policy, o.range);
  const predicate: Partial = {
    version: 1,
    kind: 'bypass',
    repository: policy.repository,
    workstream: `bypass-${head.slice(0, 12)}`,
    scope: null,
    range: { base, head, commits, ref: o.ref },
    verdicts: [],
    selfAttestation: null,
    notes: { reason },
    ...(await assistanceOf(repo.git, commits)),
  };
  return publishEntry(ctx, repo, policy, signer, draftOf('bypass', predicate), []);
}

/**
 * Name a break in the chain (an entry that does not verify) and continue from it: the named entry covers
 * nothing from then on, later entries verify again, and the break stays visible in history.
 */
export async function chainRepair(ctx: Context, repo: Repo, policy: Policy, signer: Signer, o: { breakSeq: number; reason: string }): Promise<Published> {
  const reason = assertReason(o.reason);
  if (!Number.isInteger(o.breakSeq) || o.breakSeq < 1) throw new CsaeError('usage', `--break must be an entry seq (1 or more), got ${o.breakSeq}`);
  const chain = await new MirrorStore(repo, policy).chain();
  // a void entry (not trusted under its epoch, or compromised) is acknowledged by a repair naming it
  const open = (chain.voided ?? []).filter((v) => v.repairedBy === undefined);
  const namesVoid = open.some((v) => v.seq === o.breakSeq);
  if (chain.intact && !namesVoid) throw new CsaeError('usage', open.length ? `entry ${o.breakSeq} is not a break; the void entries waiting for a repair are ${open.map((v) => v.seq).join(', ')}` : 'the chain verifies: there is no break to repair', { next: open.length ? `csae chain repair --break ${open[0]!.seq} --reason TEXT` : 'csae mirror verify' });
  const first = chain.problems[0];
  if (!namesVoid && first && first.seq !== o.breakSeq) {
    throw new CsaeError('usage', first.seq ? `the first break is entry ${first.seq}, not ${o.breakSeq}` : `the chain breaks at mirror commit ${first.mirrorCommit.slice(0, 12)} (history was rewritten or a file modified), which no entry can repair`, {
      next: first.seq ? `csae chain repair --break ${first.seq} --reason TEXT` : 'restore the mirror from a clone that holds the verified history',
    });
  }
  const head = await repo.git.resolveCommit('HEAD');
  if (!head) throw new CsaeError('usage', 'HEAD has no commits');
  const predicate: Partial = {
    version: 1,
    kind: 'repair',
    repository: policy.repository,
    workstream: `repair-${o.breakSeq}`,
    scope: null,
    range: { base: null, head, commits: [] },
    verdicts: [],
    selfAttestation: null,
    notes: { reason, breakSeq: o.breakSeq },
  };
  return publishEntry(ctx, repo, policy, signer, draftOf('repair', predicate), []);
}
