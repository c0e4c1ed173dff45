// Trust over time (DESIGN §2.5): the trust root of a repository, the policy epochs its history defines,
// and acceptance that never rests on a cache. Depends on the git port, the mirror store and the chain's
// pure checks; never on the CLI.
import type { Repo } from '../git/repo.js';
import type { CheckResult } from '../core/checks.js';
import { POLICY_PATH, isProtected, parsePolicyCached, signerIdentity, trustedKeys, type Policy } from '../policy/policy.js';
import { epochPolicy, type EpochPlan } from '../policy/epochs.js';
import { recheckEntry, type VerifiedEntry } from '../mirror/chain.js';
import { ENTRIES_DIR, entryPath, sigstorePath } from '../mirror/layout.js';
import type { MirrorStore } from '../mirror/store.js';
import type { ChainView } from '../mirror/view.js';
import { usable } from '../mirror/checks/signature.js';
import { preverify, type SignatureMemo, type VerifyJob } from '../verify/pool.js';
import type { TrustedSigner } from '../sign/signer.js';

/** A ref of the repository as a validator sees it (pre-push: the remote's, as refs/heads/...). */
export interface RefTip {
  name: string;
  id: string;
}

/**
 * One trust root per repository: the policy of an existing protected ref (one its own tip's policy
 * protects), `refs/heads/main` first, then `refs/heads/master`, then by name. Null when no protected ref
 * of the repository has a policy yet — only then is a pushed policy trusted on first use.
 */
export async function repositoryRoot(repo: Repo, refs: readonly RefTip[], except: string, cacheDir?: string): Promise<{ ref: string; rev: string; policy: Policy } | null> {
  const rank = (n: string): string => (n === 'refs/heads/main' ? '0' : n === 'refs/heads/master' ? '1' : '2' + n);
  const cands = refs.filter((r) => r.name !== except).sort((a, b) => rank(a.name).localeCompare(rank(b.name)));
  const blobs = await repo.git.readBlobs(cands.map((r) => `${r.id}:${POLICY_PATH}`));
  for (const r of cands) {
    const buf = blobs.get(`${r.id}:${POLICY_PATH}`);
    if (!buf) continue;
    const policy = parsePolicyCached(buf, `${POLICY_PATH} at ${r.name}`, cacheDir);
    if (isProtected(policy, r.name)) return { ref: r.name, rev: r.id, policy };
  }
  return null;
}

export interface TrustRootFailure {
  commit: string;
  reason: string;
}

/** The seq after which each policy version is in force (0 for genesis), as verified facts. */
export type Activations = number[];

export function epochAt(acts: Activations, seq: number): number {
  let k = 0;
  for (let j = 1; j < acts.length; j++) if (acts[j]! < seq) k = j;
  return k;
}

/**
 * Re-read the entries a decision rests on from the mirror's git objects (one batch) and check them
 * again under their epoch: digest, schema, seq, signature, repository. What the index said is only where
 * to look. Entries that fail are dropped with the reason.
 */
export async function recheckEntries(store: MirrorStore, view: ChainView, plan: EpochPlan, acts: Activations, seqs: Iterable<number>, fallback: Policy): Promise<{ entries: Map<number, VerifiedEntry>; refused: Map<number, string> }> {
  const entries = new Map<number, VerifiedEntry>();
  const refused = new Map<number, string>();
  const claimed = [...new Set(seqs)].map((s) => view.entry(s)).filter((e): e is VerifiedEntry => !!e);
  if (claimed.length === 0 || !view.head) return { entries, refused };
  // each epoch's signers once: building a KeyObject per key per entry cost more than the signatures
  const epochs = new Map<number, { policy: Policy; bundleKeys: TrustedSigner[]; bypassKeys: TrustedSigner[] }>();
  const under = (epoch: number): { policy: Policy; bundleKeys: TrustedSigner[]; bypassKeys: TrustedSigner[] } => {
    let k = epochs.get(epoch);
    if (!k) {
      const policy = epochPolicy(plan, epoch, fallback);
      epochs.set(epoch, (k = { policy, bundleKeys: trustedKeys(policy, 'bundles'), bypassKeys: trustedKeys(policy, 'bypass') }));
    }
    return k;
  };
  // NOTE: a chain this process verified from the mirror's bytes (not read from .git/csae) holds the entries
  // as their bytes say; an entry whose epoch is the one the policy history confirms needs no second read
  const todo = claimed.filter((e) => {
    const epoch = epochAt(acts, e.seq);
    if (!view.verifiedHere || e.epoch !== epoch || !plan.versions[epoch]?.policy) return true;
    entries.set(e.seq, e);
    return false;
  });
  if (todo.length === 0) return { entries, refused };
  const bytes = await entryFiles(store, view.head, todo);
  // many entries (a replay from the index): their signatures across the machine's cores first
  let signatures: SignatureMemo | undefined;
  if (todo.length >= PARALLEL_FROM) {
    const jobs: VerifyJob[] = [];
    for (const e of todo) {
      const b = bytes.get(entryPath(e.seq));
      const k = under(epochAt(acts, e.seq));
      if (b) jobs.push({ bytes: b, keys: usable(e.predicate.kind === 'bypass' ? k.bypassKeys : k.bundleKeys, e.seq, plan.compromised), sidecar: bytes.get(sigstorePath(entryPath(e.seq))) ?? null });
    }
    signatures = await preverify(jobs);
  }
  for (const e of todo) {
    const epoch = epochAt(acts, e.seq);
    const { policy, bundleKeys, bypassKeys } = under(epoch);
    const r = recheckEntry({ ...e, path: entryPath(e.seq) }, bytes.get(entryPath(e.seq)), { repository: policy.repository, bundleKeys, bypassKeys, compromised: plan.compromised, ...(signatures ? { signatures } : {}) }, bytes.get(sigstorePath(entryPath(e.seq))) ?? null);
    const role = r.ok && r.entry.predicate.kind === 'bypass' ? 'bypass' : 'bundles';
    if (r.ok) entries.set(e.seq, { ...r.entry, epoch, epochCommit: plan.versions[epoch]?.commit ?? null, signedAs: signerIdentity(policy, role, r.entry.signer) });
    else refused.set(e.seq, r.why);
  }
  return { entries, refused };
}
const PARALLEL_FROM = 256;
/** from this many entries the mirror head's entries directory is listed once instead of looked up per path */
const BY_LISTING = 64;

/**
 * The files of `entries` (envelope and Sigstore sidecar) in the mirror at `head`, by path. Always what
 * the mirror's tree holds at those paths: looked up as `head:path`, or, for many, through one listing of
 * the head's entries directory (git resolves `head:path` by walking the trees anew for each of them).
 */
async function entryFiles(store: MirrorStore, head: string, entries: readonly VerifiedEntry[]): Promise<Map<string, Buffer>> {
  const paths = entries.flatMap((e) => [entryPath(e.seq), sigstorePath(entryPath(e.seq))]);
  const out = new Map<string, Buffer>();
  if (entries.length < BY_LISTING) {
    const got = await store.readBlobsById(paths.map((p) => `${head}:${p}`));
    for (const p of paths) {
      const b = got.get(`${head}:${p}`);
      if (b) out.set(p, b);
    }
    return out;
  }
  const listing = await store.git.treeBlobs(head, ENTRIES_DIR);
  const got = await store.readBlobsById([...new Set(paths.map((p) => listing.get(p)).filter((id): id is string => !!id))]);
  for (const p of paths) {
    const id = listing.get(p);
    const b = id ? got.get(id) : undefined;
    if (b) out.set(p, b);
  }
  return out;
}

/**
 * The policy history back to genesis: every version after genesis must be covered by an entry (the
 * first listing its commit) valid under the epoch before it, in order. Returns the activation seqs and
 * the versions that fail — each a trust-root failure naming its commit.
 */
export async function checkPolicyHistory(
  plan: EpochPlan,
  view: ChainView,
  recheck: (seqs: number[], acts: Activations) => Promise<Map<number, VerifiedEntry>>,
  passes: (e: VerifiedEntry) => Promise<{ ok: boolean; checks: CheckResult[] }>,
): Promise<{ acts: Activations; failures: TrustRootFailure[] }> {
  const acts: Activations = [0];
  const failures: TrustRootFailure[] = [];
  for (let j = 1; j < plan.versions.length; j++) {
    const v = plan.versions[j]!;
    const seqs = v.activatedBy.map((c) => view.firstClaim(c)).filter((s): s is number => s !== undefined);
    const s = seqs.length ? Math.min(...seqs) : undefined;
    const what = v.policy ? `the policy version at ${v.commit.slice(0, 12)}` : `the deletion of ${POLICY_PATH} at ${v.commit.slice(0, 12)}`;
    if (s === undefined) {
      failures.push({ commit: v.commit, reason: `${what} is not covered by any entry in the audit mirror: a policy change must be covered by a bundle valid under the policy before it` });
      break;
    }
    if (s < acts[j - 1]!) {
      failures.push({ commit: v.commit, reason: `${what} is covered by entry ${s}, before the version it follows took effect (entry ${acts[j - 1]})` });
      break;
    }
    const e = (await recheck([s], [...acts, s])).get(s);
    if (!e) {
      failures.push({ commit: v.commit, reason: `${what} is listed by entry ${s}, which does not verify under the policy before it` });
      break;
    }
    const r = await passes(e);
    if (!r.ok) {
      failures.push({ commit: v.commit, reason: `${what} is listed by entry ${s}, which fails ${r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join('; ')}` });
      break;
    }
    acts.push(s);
  }
  return { acts, failures };
}

/**
 * Activation seqs as the claim lookup states them (for audit views that answer one commit and do not
 * re-verify the whole policy history; the replay does): a version counts once the first entry listing
 * its commit is at or after the previous version's, in order; the first one that is not stops the list.
 */
export function activationsFromView(plan: EpochPlan, view: ChainView): Activations {
  const acts: Activations = [0];
  for (let j = 1; j < plan.versions.length; j++) {
    const seqs = plan.versions[j]!.activatedBy.map((c) => view.firstClaim(c)).filter((s): s is number => s !== undefined);
    if (!seqs.length || Math.min(...seqs) < acts[j - 1]!) break;
    acts.push(Math.min(...seqs));
  }
  return acts;
}
