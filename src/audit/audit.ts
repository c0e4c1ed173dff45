// Audit: walk the whole chain, entry by entry with each verdict; the who-approved answer lives in
// who.ts, the HTML report in report.ts. Reads the local mirror clone; --sync fetches first.
import { CsaeError } from '../core/errors.js';
import type { CheckResult } from '../core/checks.js';
import type { Assistance } from '../core/assistance.js';
import type { Scope } from '../core/statement.js';
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import { trustedKeys, type Policy } from '../policy/policy.js';
import { MirrorStore } from '../mirror/store.js';
import { verifyEnvelope } from '../sign/envelope.js';
import { verifyEnvelopeMemo } from '../verify/pool.js';
import { verdictLoader } from '../validate/validate.js';
import { verdictMaterial } from '../verdict/verdict.js';
import { verifyCheckpoints } from '../mirror/ops.js';
import type { CheckpointFinding } from '../mirror/checkpoint.js';
import type { Tier } from '../sign/signer.js';
import { CONFIDENCE, identityOf, policyVersionOf, type Confidence, type PolicyVersion, type WhoAnswer } from './who.js';

export { auditWho, type WhoAnswer } from './who.js';

export interface WalkVerdict {
  digest: string;
  ok: boolean;
  /** the verified reviewer (the trusted signer), when the signature verified */
  signer?: string;
  /** the reviewer the verdict declares */
  reviewer?: string;
  status?: string;
  score?: number;
  floor?: number;
  defects?: Array<{ id: string; severity: string; summary: string }>;
  why?: string;
}

export interface WalkEntry {
  seq: number;
  kind: string;
  workstream: string;
  digest: string;
  signer: string;
  identity?: string;
  keyid: string;
  tier: Tier;
  commits: number;
  head: string;
  createdAt: string;
  author: string;
  scope: Scope | null;
  notes?: { reason: string; breakSeq?: number };
  verdicts: WalkVerdict[];
  confidence: Confidence;
  policy?: PolicyVersion;
  /** what the entry's commits declare assisted them (declared, never checked) */
  declaredAssistance: Assistance[];
}

export interface WalkResult {
  ok: boolean;
  mirror: string;
  head: string | null;
  entries: WalkEntry[];
  voided: Array<{ seq: number; digest: string; repairedBy?: number; why?: string; epochCommit?: string | null; checks: CheckResult[] }>;
  checkpoints: CheckpointFinding[];
  problems: Array<{ seq?: number; mirrorCommit: string; checks: CheckResult[] }>;
}

export async function auditWalk(ctx: Context, repo: Repo, policy: Policy, o: { sync?: boolean; since?: string } = {}): Promise<WalkResult> {
  const store = new MirrorStore(repo, policy);
  const chain = await store.chain({ sync: o.sync ?? true, full: true });
  // every verdict blob in one cat-file batch, not a process per entry
  const keys = trustedKeys(policy, 'verdicts');
  const load = await verdictLoader(store, chain, chain.entries, keys);
  const entries: WalkEntry[] = [];
  // a void entry (signer not trusted under its epoch, or compromised) fails the audit until a repair names it
  let ok = chain.intact && !(chain.voided ?? []).some((v) => v.repairedBy === undefined);
  for (const e of chain.entries) {
    const verdicts: WalkVerdict[] = [];
    for (const ref of e.predicate.verdicts) {
      const v = await load(ref.digest);
      if (!v) {
        verdicts.push({ digest: ref.digest, ok: false, reviewer: ref.reviewer, why: 'not in the mirror' });
        ok = false;
        continue;
      }
      const sig = verifyEnvelopeMemo(verdictMaterial(v), keys);
      if (!sig.ok) ok = false;
      const p = v.statement.predicate;
      verdicts.push({ digest: ref.digest, ok: sig.ok, ...(sig.ok ? { signer: sig.signer } : { why: sig.why }), reviewer: ref.reviewer, status: p.status, score: p.score, floor: p.floor, defects: p.defects });
    }
    const p = e.predicate;
    const pv = policyVersionOf(e);
    const identity = identityOf(e);
    entries.push({
      seq: e.seq,
      kind: p.kind,
      workstream: p.workstream,
      digest: e.digest,
      signer: e.signer,
      ...(identity ? { identity } : {}),
      keyid: e.keyid,
      tier: e.tier,
      commits: p.range.commits.length,
      head: p.range.head,
      createdAt: p.createdAt,
      author: p.author,
      scope: p.scope,
      ...(p.notes ? { notes: p.notes } : {}),
      verdicts,
      confidence: CONFIDENCE[p.kind] ?? 'attested',
      ...(pv ? { policy: pv } : {}),
      declaredAssistance: p.assistance ?? [],
    });
  }
  // a mirror that contradicts a signed checkpoint is a SECURITY error (thrown) when the chain was read to
  // its end: a rewrite the clone noticed counts, an ordinary break does not
  const complete = chain.problems.length === 0 || (!!chain.rewritten && chain.problems.length === 1);
  const checkpoints = await verifyCheckpoints(store, chain.leaves ?? [], chain.checkpoints, o.since, complete);
  if (checkpoints.some((c) => !c.ok)) ok = false;
  void ctx;
  return { ok, mirror: store.url, head: chain.head, entries, voided: chain.voided ?? [], checkpoints, problems: chain.problems.map((p) => ({ ...(p.seq ? { seq: p.seq } : {}), mirrorCommit: p.mirrorCommit, checks: p.checks })) };
}

export function assertAnswer(a: WhoAnswer): void {
  if (!a.entry) throw new CsaeError('coverage-failed', `no mirrored bundle covers ${a.commit}`, { next: `csae audit gaps, or csae bundle retroactive --range ${a.commit.slice(0, 12)}~1..${a.commit.slice(0, 12)} --reason TEXT` });
}
