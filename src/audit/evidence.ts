// The evidence a self-verifying report embeds: every entry file of the mirror (exact bytes), the
// verdicts they reference, the signed checkpoints, the trusted keys of the policy each entry was
// verified under, and what csae found (chain status per entry, coverage of each protected ref from the
// replay, stranded intents). The page re-verifies the signed parts itself (browser/verify.ts); the rest
// is labelled as computed by csae at report time.
import type { Context } from '../context.js';
import type { CheckResult } from '../core/checks.js';
import type { Repo } from '../git/repo.js';
import { resolveRev } from '../git/range.js';
import { MirrorStore } from '../mirror/store.js';
import { entryPath, entrySigstorePath, verdictSigstorePath } from '../mirror/layout.js';
import { checkpointOrigin } from '../mirror/checkpoint.js';
import { loadPolicyAt, type Policy } from '../policy/policy.js';
import { packageVersion } from '../paths.js';
import { rfc3339 } from '../core/time.js';
import { auditGaps, auditStranded } from './gaps.js';
import { policyVersionOf, identityOf } from './who.js';
import type { CoverageData, EntryData, PolicyVersionData, ReportData } from './browser/verify.js';

/** The refs a report covers by default: each protected ref (no patterns), as the canonical remote has it when this clone tracks it. */
export async function defaultReportRefs(repo: Repo, policy: Policy): Promise<Array<{ rev: string; ref: string }>> {
  const out: Array<{ rev: string; ref: string }> = [];
  for (const ref of policy.protect) {
    if (ref.includes('*')) continue;
    const m = /^refs\/heads\/(.+)$/.exec(ref);
    const tracking = m ? `refs/remotes/origin/${m[1]}` : null;
    if (tracking && (await repo.git.resolveCommit(tracking))) out.push({ rev: tracking, ref });
    else if (await repo.git.resolveCommit(ref)) out.push({ rev: ref, ref });
  }
  return out;
}

function signersOf(p: Policy): PolicyVersionData['signers'] {
  const s = (p.signers ?? {}) as Record<string, unknown>;
  const out: PolicyVersionData['signers'] = {};
  for (const role of ['bundles', 'verdicts', 'bypass', 'checkpoints', 'witnesses'] as const) {
    const list = s[role];
    if (Array.isArray(list)) out[role] = list.map((e: Record<string, unknown>) => ({ name: String(e.name), ...(e.email ? { email: String(e.email) } : {}), ...(e.key ? { key: String(e.key) } : {}), ...(e.ssh ? { ssh: String(e.ssh) } : {}), ...(e.sigstore ? { sigstore: e.sigstore as { issuer: string; identity: string } } : {}) }));
  }
  return out;
}

export async function collectEvidence(ctx: Context, repo: Repo, policy: Policy, o: { refs?: Array<{ rev: string; ref: string }>; sync?: boolean } = {}): Promise<ReportData> {
  // coverage first: the replay's working set is gone before the entry files are read (peak memory)
  const coverage: CoverageData[] = [];
  for (const r of o.refs ?? (await defaultReportRefs(repo, policy))) {
    const g = await auditGaps(ctx, repo, policy, r.rev, r.ref);
    coverage.push({
      ref: r.ref,
      tip: await resolveRev(repo.git, r.rev),
      commits: g.commits,
      uncovered: g.gaps.map((x) => ({ commit: x.commit, subject: x.subject, message: x.message, next: x.next, code: x.code })),
      postHoc: g.postHoc.map((x) => ({ commit: x.commit, seq: x.seq })),
      bypassed: g.bypassed,
      chainOk: g.chainOk,
      failing: g.failing.map((f) => ({ seq: f.seq, checks: f.checks })),
    });
  }
  const stranded = await auditStranded(ctx, repo, policy);
  const store = new MirrorStore(repo, policy);
  // the verified index answers when the mirror head is unchanged: the page re-verifies every byte anyway
  const chain = await store.chain({ sync: o.sync ?? true });
  const head = chain.head;
  const lastSeq = Math.max(chain.tip?.seq ?? 0, chain.lastSeq, ...chain.entries.map((e) => e.seq), ...(chain.voided ?? []).map((v) => v.seq), ...chain.problems.map((p) => p.seq ?? 0));

  const verified = new Map(chain.entries.map((e) => [e.seq, e]));
  const voided = new Map((chain.voided ?? []).map((v) => [v.seq, v]));
  const problems = new Map(chain.problems.filter((p) => p.seq).map((p) => [p.seq!, p]));
  const entries: EntryData[] = [];
  const verdictDigests = new Set<string>();
  // the policy versions entries were verified under (policy epochs), each with its trusted keys; without
  // epochs, the one policy in force. `csae.policy` is an index into this list.
  const policies: PolicyVersionData[] = [];
  const byVersion = new Map<string, number>();
  const policyIndex = async (epoch: number | undefined, commit: string | null | undefined): Promise<number> => {
    const key = commit ? `${epoch ?? 0} ${commit}` : 'current';
    let i = byVersion.get(key);
    if (i === undefined) {
      const p = commit ? ((await loadPolicyAt(repo.git, commit, repo.stateDir).catch(() => null)) ?? policy) : policy;
      i = policies.push({ epoch: commit ? (epoch ?? 0) : 0, commit: commit ?? null, signers: signersOf(p) }) - 1;
      byVersion.set(key, i);
    }
    return i;
  };
  // checkpoints are judged under the policy in force
  const currentPolicy = await policyIndex(undefined, null);
  // every entry file (and keyless sidecar) at the mirror head, a cat-file batch per 1,000 entries (peak memory)
  let files = new Map<string, Buffer>();
  for (let s = 1; s <= lastSeq; s++) {
    if (head && (s - 1) % 1000 === 0) {
      const specs: string[] = [];
      for (let k = s; k <= Math.min(lastSeq, s + 999); k++) specs.push(`${head}:${entryPath(k)}`, `${head}:${entrySigstorePath(k)}`);
      files = await store.git.readBlobs(specs);
    }
    const bytes = files.get(`${head}:${entryPath(s)}`);
    const sidecar = files.get(`${head}:${entrySigstorePath(s)}`);
    const v = verified.get(s);
    const vo = voided.get(s) as { repairedBy?: number; epoch?: number; epochCommit?: string | null; checks: CheckResult[] } | undefined;
    const pr = problems.get(s);
    let csae: EntryData['csae'];
    if (v) {
      const pv = policyVersionOf(v);
      const identity = identityOf(v);
      csae = { status: 'verified', policy: await policyIndex(pv?.epoch, pv?.commit), signer: v.signer, tier: v.tier, ...(identity ? { identity } : {}) };
      for (const r of v.predicate.verdicts) verdictDigests.add(r.digest);
    } else if (vo) csae = { status: 'void', policy: await policyIndex(vo.epoch, vo.epochCommit), ...(vo.repairedBy ? { repairedBy: vo.repairedBy } : {}), detail: vo.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail ?? ''}`).join('; ') };
    else if (pr) csae = { status: 'problem', policy: await policyIndex(undefined, null), detail: pr.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail ?? ''}`).join('; ') };
    else csae = { status: 'unverified', policy: await policyIndex(undefined, null), detail: 'after a break in the chain: not verified' };
    entries.push({ seq: s, text: bytes ? bytes.toString('utf8') : null, ...(sidecar ? { sigstore: sidecar.toString('utf8') } : {}), csae });
  }
  files.clear(); // the texts are all that is kept: a 10,000-entry mirror is ~30 MB
  const vids = [...verdictDigests].filter((d) => chain.verdicts[d]);
  const vblobs = await store.readBlobsById(vids.map((d) => chain.verdicts[d]!));
  const verdicts: Record<string, string> = {};
  for (const d of vids) {
    const b = vblobs.get(chain.verdicts[d]!);
    if (b) verdicts[d] = b.toString('utf8');
  }
  // keyless verdicts keep their Sigstore bundle beside them
  const verdictSigstore: Record<string, string> = {};
  if (head && vids.length) {
    const sc = await store.git.readBlobs(vids.map((d) => `${head}:${verdictSigstorePath(d)}`));
    for (const d of vids) {
      const b = sc.get(`${head}:${verdictSigstorePath(d)}`);
      if (b) verdictSigstore[d] = b.toString('utf8');
    }
  }
  const cblobs = await store.readBlobsById(chain.checkpoints.map((c) => c.blob));
  const checkpoints = chain.checkpoints.flatMap((c) => {
    const b = cblobs.get(c.blob);
    return b && c.path !== 'checkpoints/latest' ? [{ path: c.path, text: b.toString('utf8') }] : [];
  });

  return {
    format: 'csae-report',
    version: 1,
    generatedAt: rfc3339(ctx.now()),
    csaeVersion: packageVersion(),
    repository: policy.repository,
    mirror: { url: store.url, head },
    checkpointOrigin: checkpointOrigin(policy),
    policies,
    currentPolicy,
    entries,
    verdicts,
    ...(Object.keys(verdictSigstore).length ? { verdictSigstore } : {}),
    checkpoints,
    coverage,
    stranded,
    chainProblems: chain.problems.map((p) => ({ ...(p.seq ? { seq: p.seq } : {}), mirrorCommit: p.mirrorCommit, checks: p.checks })),
  };
}
