// `audit who COMMIT`: the auditor's whole question in one structured answer — commit → entry (seq,
// kind, confidence) → scope (workstream, intent, operator, registered before the work) → verdicts
// (verified reviewer identity, score/floor, defects) → certifier (signer, tier) → declared assistance →
// policy version. The library face exports it; the CLI and the HTML report render it.
// Reads the local mirror clone and its verified index (warm: no check re-run); --sync fetches first.
import type { CheckResult } from '../core/checks.js';
import { assistanceFor } from '../core/assistance.js';
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import { MirrorStore } from '../mirror/store.js';
import { firstClaimant } from '../mirror/view.js';
import type { VerifiedEntry } from '../mirror/chain.js';
import { acceptVerdict } from '../verdict/accept.js';
import { cachedChecks, checkEntry, entryEnvironment } from '../validate/checks/index.js';
import { PASSED_KEY, passedKeyOf, rememberedCutover, resolveCutover, verdictLoader } from '../validate/validate.js';
import { activationsFromView, recheckEntries } from '../validate/trust.js';
import { epochPolicy, singlePlan } from '../policy/epochs.js';
import { resolveRev } from '../git/range.js';
import type { Tier } from '../sign/signer.js';
import type { Policy } from '../policy/policy.js';

export type Confidence = 'attested' | 'post-hoc' | 'bypass' | 'abandoned' | 'repair';

export const CONFIDENCE: Readonly<Record<string, Confidence>> = { standard: 'attested', retroactive: 'post-hoc', bypass: 'bypass', abandonment: 'abandoned', repair: 'repair' };

/** A declaration of AI assistance: what the commits say, never a finding. */
export interface DeclaredAssistance {
  agent: string;
  model?: string;
  session?: string;
}

/** The policy version an entry was verified under (present once the chain carries policy epochs). */
export interface PolicyVersion {
  epoch: number;
  /** the commit of that version of .csae/policy.yaml (null: the single policy in force) */
  commit: string | null;
}

export interface WhoVerdict {
  digest: string;
  /** the verified reviewer: the trusted signer whose signature verified (null: no trusted signature) */
  signer: string | null;
  /** the reviewer the verdict declares (shown beside the verified identity, never decides) */
  reviewer: string;
  status: string;
  score: number;
  floor: number;
  method: string;
  reviewedAt: string;
  defects: Array<{ id: string; severity: string; summary: string }>;
  summary: string;
}

export interface WhoAnswer {
  commit: string;
  covered: boolean;
  entry?: {
    seq: number;
    kind: string;
    confidence: Confidence;
    digest: string;
    /** the certifier: the trusted signer of the entry */
    signer: string;
    /** the signer's verified identity under the entry's policy version, when the chain says */
    identity?: string;
    keyid: string;
    tier: Tier;
    author: string;
    createdAt: string;
    checks: CheckResult[];
    ok: boolean;
    policy?: PolicyVersion;
  };
  workstream?: string;
  scope?: { commit: string; intent: string; operator: string; registeredAt: string } | null;
  /** the intent was registered before the work: a standard entry whose scope check passed (yes), a
   *  retroactive or bypass entry (no); null for entries that cover no work (abandonment, repair) */
  registeredBeforeWork?: boolean | null;
  range?: { base: string | null; head: string; commits: number };
  attestation?: { commit: string; claimDigest: string } | null;
  verdicts?: WhoVerdict[];
  notes?: { reason: string; breakSeq?: number } | undefined;
  /** what the entry's commits declare assisted this commit (declared, never checked) */
  declaredAssistance: DeclaredAssistance[];
}

/** What the trust layer adds to a verified entry (policy epochs); read defensively until it is there. */
export function policyVersionOf(e: VerifiedEntry): PolicyVersion | undefined {
  const x = e as VerifiedEntry & { epoch?: number; epochCommit?: string | null };
  return typeof x.epoch === 'number' ? { epoch: x.epoch, commit: x.epochCommit ?? null } : undefined;
}

export function identityOf(e: VerifiedEntry): string | undefined {
  // the policy's name + email (signedAs), else a keyless certificate identity
  const x = e as VerifiedEntry & { identity?: string; signedAs?: string };
  const id = x.signedAs && x.signedAs !== e.signer ? x.signedAs : x.identity;
  return typeof id === 'string' && id !== e.signer ? id : undefined;
}

export async function auditWho(ctx: Context, repo: Repo, policy: Policy, rev: string, o: { sync?: boolean } = {}): Promise<WhoAnswer> {
  const commit = await resolveRev(repo.git, rev);
  const store = new MirrorStore(repo, policy);
  const view = await store.view({ sync: o.sync ?? false });
  let first = firstClaimant(view, commit);
  if (!first) return { commit, covered: false, declaredAssistance: [] };
  // the index says where to look; the entry is re-read from the mirror and judged under its own epoch
  const plan = (await store.epochPlan()) ?? singlePlan(policy);
  const rechecked = await recheckEntries(store, view, plan, activationsFromView(plan, view), [first.seq], policy);
  const entry = rechecked.entries.get(first.seq);
  if (!entry || !entry.predicate.range.commits.includes(commit)) return { commit, covered: false, declaredAssistance: [] };
  first = entry;
  const epoch = epochPolicy(plan, entry.epoch, policy);
  // only the first entry listing a commit can cover it: check 5 removes it from every later range
  const load = await verdictLoader(store, view);
  // an entry this clone already saw pass checks 5-9 under the same epoch (a push or replay did)
  // answers from the verified index, as a warm push would; otherwise the checks run now
  const passedBefore = store.loadPassed(PASSED_KEY).has(passedKeyOf(plan, entry, epoch.cutover ?? null));
  const cutover = epoch.cutover ?? (passedBefore ? await rememberedCutover(repo, { ...policy, cutover: undefined }) : await resolveCutover(repo, { ...policy, cutover: undefined }, commit));
  const env = entryEnvironment(repo.git, { policy, plan, epoch: entry.epoch, cutover, firstClaim: { get: (c) => view.firstClaim(c) }, loadVerdict: load });
  const checks = passedBefore ? cachedChecks(first) : await checkEntry(first, env);
  // what passed here is remembered as a push remembers it: the next question about its commits is warm
  if (!passedBefore && checks.ok) store.addPassed(PASSED_KEY, [passedKeyOf(plan, entry, epoch.cutover ?? null)]);
  const p = first.predicate;
  const verdicts: WhoVerdict[] = [];
  for (const ref of p.verdicts) {
    const v = await load(ref.digest);
    if (!v) continue;
    // who reviewed is the verified signer under the entry's epoch (verdict/accept.ts), never the declared name
    const d = acceptVerdict(v, epoch);
    const vp = v.statement.predicate;
    verdicts.push({ digest: ref.digest, signer: d.signer, reviewer: ref.reviewer, status: vp.status, score: vp.score, floor: vp.floor, method: vp.method, reviewedAt: vp.reviewedAt, defects: vp.defects, summary: vp.summary });
  }
  const scopeOk = checks.results.find((c) => c.name === 'scope')?.ok ?? false;
  const pv = policyVersionOf(first);
  const identity = identityOf(first);
  void ctx;
  return {
    commit,
    covered: checks.ok,
    entry: {
      seq: first.seq,
      kind: p.kind,
      confidence: CONFIDENCE[p.kind] ?? 'attested',
      digest: first.digest,
      signer: first.signer,
      ...(identity ? { identity } : {}),
      keyid: first.keyid,
      tier: first.tier,
      author: p.author,
      createdAt: p.createdAt,
      checks: checks.results,
      ok: checks.ok,
      ...(pv ? { policy: pv } : {}),
    },
    workstream: p.workstream,
    scope: p.scope,
    registeredBeforeWork: p.kind === 'standard' ? scopeOk : p.kind === 'retroactive' || p.kind === 'bypass' ? false : null,
    range: { base: p.range.base, head: p.range.head, commits: p.range.commits.length },
    attestation: p.selfAttestation,
    verdicts,
    ...(p.notes ? { notes: p.notes } : {}),
    declaredAssistance: assistanceFor(p.assistance, commit),
  };
}
