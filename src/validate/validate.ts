// The validator (DESIGN §5): decide, for updates of protected refs or a replay of a ref's history,
// whether every new commit is covered. Policy comes from the trust root; the mirror is synced first and
// an unreachable mirror, broken chain or unreadable policy fails closed.
import { preverifyEnvelopes } from '../verify/pool.js';
import type { TrustedSigner } from '../sign/signer.js';
import { CsaeError } from '../core/errors.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from '../core/checks.js';
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import { POLICY_PATH, isProtected, loadPolicyAt, trustedKeys, type Policy } from '../policy/policy.js';
import { MirrorStore } from '../mirror/store.js';
import { sigstorePath, verdictPath } from '../mirror/layout.js';
import type { ChainResult } from '../mirror/chain.js';
import { mayBeKeyless, parseVerdictBytes, type VerdictFile } from '../verdict/verdict.js';
import { draftCommits } from '../state/drafts.js';
import { candidates, checkCoverage, claimIndex, type EntryVerdict } from './coverage.js';
import { CommitGraph } from '../git/graph.js';
import type { VerifiedEntry } from '../mirror/chain.js';
import type { CommitObject } from '../git/git.js';
import { canonicalize } from '../core/jcs.js';
import { sha256Hex } from '../core/digest.js';
import { diagnose, type Diagnosis } from './diagnose.js';
import { memoryView, type ChainView } from '../mirror/view.js';
import { GitOracle, type RangeOracle } from '../git/oracle.js';
import { isZero, type RefUpdate } from '../git/hookinput.js';
import { replayGit, rewriteFacts, type Landing } from './replay.js';

export interface RefReport {
  ref: string;
  old: string | null;
  new: string | null;
  ok: boolean;
  reason: string;
  commits: number;
  covered: number;
  uncovered: Diagnosis[];
  entries: EntryVerdict[];
  /** squash and rebase landings covered by rewrites: replay, commit by commit */
  landings?: Landing[];
  chainProblems: Array<{ seq?: number; mirrorCommit: string; checks: CheckResult[] }>;
  next?: string;
}

export interface Report {
  ok: boolean;
  refs: RefReport[];
  /** for a replay: what it was judged against (used by --vsa) */
  basis?: { policy: Policy; chain: ChainResult; tip: string };
}

export async function mirrorView(repo: Repo, policy: Policy, sync = true): Promise<{ store: MirrorStore; view: ChainView }> {
  const store = new MirrorStore(repo, policy);
  return { store, view: await store.view({ sync }) };
}

/** Verdicts from the mirror, parsed and validated on first use; `prefetch` entries' blobs are read in one batch. */
export async function verdictLoader(store: MirrorStore, chain: ChainResult | ChainView, prefetch: readonly VerifiedEntry[] = [], keys?: readonly TrustedSigner[]): Promise<(d: string) => Promise<VerdictFile | null>> {
  const blobOf = 'verdictBlob' in chain ? (d: string) => chain.verdictBlob(d) : (d: string) => chain.verdicts[d];
  const cache = new Map<string, VerdictFile | null>();
  const blobs = new Map<string, Buffer>();
  if (prefetch.length > 1) {
    const ids = [...new Set(prefetch.flatMap((e) => e.predicate.verdicts.map((v) => blobOf(v.digest)).filter((b): b is string => !!b)))];
    // NOTE: an audit walk prefetches every verdict: one batch of 10,000 blobs is ~10 MB, well within memory
    for (const [k, v] of await store.readBlobsById(ids)) blobs.set(k, v);
  }
  const load = async (digest: string): Promise<VerdictFile | null> => {
    if (cache.has(digest)) return cache.get(digest)!;
    const blob = blobOf(digest);
    let v: VerdictFile | null = null;
    if (blob) {
      const bytes = blobs.get(blob) ?? (await store.readBlob(blob));
      if (bytes) {
        try {
          v = parseVerdictBytes(bytes, verdictPath(digest));
          // a keyless verdict's Sigstore bundle was added beside it in the same mirror commit
          if (chain.head && mayBeKeyless(v.envelope)) {
            const spec = `${chain.head}:${sigstorePath(verdictPath(digest))}`;
            const sc = (await store.readBlobsById([spec])).get(spec);
            if (sc) v.sidecar = sc;
          }
        } catch {
          v = null;
        }
      }
    }
    cache.set(digest, v);
    return v;
  };
  // a cold replay or walk checks thousands of verdict signatures: verified ahead across the cores
  if (keys && blobs.size >= PARALLEL_FROM) {
    const items: Array<{ envelope: VerdictFile['envelope']; bytes: Buffer }> = [];
    for (const d of new Set(prefetch.flatMap((e) => e.predicate.verdicts.map((v) => v.digest)))) {
      const v = await load(d);
      if (v && !v.sidecar) items.push({ envelope: v.envelope, bytes: v.bytes });
    }
    const progress = store.repo.progress;
    await preverifyEnvelopes(items, keys, progress ? { onProgress: (n, t) => progress('verdict signatures verified', n, t) } : {});
  }
  return load;
}
const PARALLEL_FROM = 256;

/**
 * What an entry's checks 5-9 depend on besides immutable git objects and the append-only chain. The
 * derived cutover (the first commit adding the policy) is a fact of history, so only an explicit one
 * is part of the key.
 */
export function checkedKey(policy: Policy): string {
  const p = policy;
  return sha256Hex(canonicalize({ v: 2, repository: p.repository, verdicts: p.signers?.verdicts ?? [], require: p.require ?? {}, cutover: p.cutover ?? null }));
}

export async function rememberedCutover(repo: Repo, policy: Policy): Promise<string | null> {
  if (policy.cutover) return policy.cutover;
  try {
    return (JSON.parse(readFileSync(join(repo.stateDir, 'cutover.json'), 'utf8')) as { cutover?: string }).cutover ?? null;
  } catch {
    return null;
  }
}

/**
 * The exact range an entry for head would list: rev-list head ^base ^cutover, less what the chain
 * already lists (oldest first). Authoring and the recovery kinds compute it the same way check 5 does.
 */
export async function unclaimedRange(repo: Repo, policy: Policy, chain: ChainResult, head: string, base: string | null): Promise<string[]> {
  const { firstClaim } = claimIndex(chain);
  const cutover = await resolveCutover(repo, policy, head);
  // base null: a range from the repository's root (nothing to exclude but the cutover)
  return (await repo.git.revList([head], [...(base ? [base] : []), ...(cutover ? [cutover] : [])])).map((c) => c.id).filter((c) => !firstClaim.has(c));
}

export async function resolveCutover(repo: Repo, policy: Policy, tip: string): Promise<string | null> {
  if (policy.cutover) return (await repo.git.hasObject(policy.cutover)) ? policy.cutover : null;
  await repo.git.ensureCommitGraph();
  // The first commit adding the policy never changes for descendants of it: remember it, and only walk
  // the whole history (~1 s at 100k commits) when the remembered one is not an ancestor of this tip.
  const file = join(repo.stateDir, 'cutover.json');
  let known: string | null = null;
  try {
    known = (JSON.parse(readFileSync(file, 'utf8')) as { cutover?: string }).cutover ?? null;
  } catch {
    known = null;
  }
  if (known && (await repo.git.hasObject(known)) && (await repo.git.isAncestor(known, tip))) {
    // still the first adder only if no older commit in tip's history adds it: check that narrowly
    if (!(await repo.git.readFileAt(`${known}^`, POLICY_PATH).catch(() => null))) return known;
  }
  const found = await repo.git.firstAdding(tip, POLICY_PATH);
  if (found) {
    try {
      writeFileSync(file, JSON.stringify({ cutover: found }) + '\n');
    } catch {
      // no state dir (yet): costs time, not correctness
    }
  }
  return found;
}

/**
 * Commit reads for many entries at once: one `cat-file --batch` for every head, base and scope commit,
 * one more for the heads' parents; later reads hit the cache first.
 */
export async function prefetchingReader(git: Repo['git'], entries: readonly VerifiedEntry[]): Promise<(ids: readonly string[]) => Promise<Map<string, CommitObject>>> {
  const cache = new Map<string, CommitObject>();
  const first = new Set<string>();
  for (const e of entries) for (const id of [e.predicate.range.head, e.predicate.range.base, e.predicate.scope?.commit]) if (id) first.add(id);
  for (const e of entries) if (e.predicate.kind === 'standard') for (const id of e.predicate.range.commits) first.add(id); // check 7 reads them (declared assistance)
  if (entries.length > 1) {
    for (const [k, v] of await git.readCommits([...first])) cache.set(k, v);
    const parents = new Set<string>();
    for (const e of entries) for (const p of cache.get(e.predicate.range.head)?.parents ?? []) if (!cache.has(p)) parents.add(p);
    for (const [k, v] of await git.readCommits([...parents])) cache.set(k, v);
  }
  return async (ids) => {
    const out = new Map<string, CommitObject>();
    const miss: string[] = [];
    for (const id of ids) {
      const c = cache.get(id);
      if (c) out.set(id, c);
      else miss.push(id);
    }
    if (miss.length) for (const [k, v] of await git.readCommits(miss)) out.set(k, v);
    return out;
  };
}

/** Check that every commit in `commits` is covered; produce the ref's report. */
export async function validateCommits(
  repo: Repo,
  policy: Policy,
  m: { store: MirrorStore; view: ChainView },
  commits: readonly string[],
  o: { ref: string; old: string | null; new: string | null; pushing: boolean; cutover: string | null; oracle?: RangeOracle },
): Promise<RefReport> {
  const git = repo.git;
  const passedKey = checkedKey(policy);
  const passed = m.store.loadPassed(passedKey);
  const todo = candidates(m.view, commits).filter((e) => !passed.has(e.digest));
  const verdictKeys = trustedKeys(policy, 'verdicts');
  const loadVerdict = await verdictLoader(m.store, m.view, todo, verdictKeys);
  const cov = await checkCoverage({
    commits,
    view: m.view,
    ref: o.ref,
    policy,
    passed,
    env: {
      policy,
      cutover: o.cutover,
      oracle: o.oracle ?? new GitOracle(git),
      readCommits: await prefetchingReader(git, todo),
      loadVerdict,
      verdictKeys,
    },
    mergeTree: (p) => git.mergeTree(p),
    replayGit: replayGit(git),
  });
  const newlyPassed = cov.entries.filter((e) => e.ok).map((e) => m.view.entry(e.seq)?.digest).filter((d): d is string => !!d && !passed.has(d));
  if (newlyPassed.length) m.store.savePassed(passedKey, [...passed, ...newlyPassed]);
  let diags: Diagnosis[] = [];
  if (cov.uncovered.length) {
    // the rejection path may read everything: which entry names what, drafts, messages
    const objects = await git.readCommits(cov.uncovered);
    const all = (await m.view.full()).entries;
    const rewrites = await rewriteFacts({ uncovered: cov.uncovered, entries: all, git: replayGit(git) });
    diags = diagnose({ uncovered: cov.uncovered, objects, entries: all, checked: cov.entries, draftCommits: draftCommits(repo), pushing: o.pushing, rewrites });
  }
  const chainProblems = m.view.problems.map((p) => ({ ...(p.seq ? { seq: p.seq } : {}), mirrorCommit: p.mirrorCommit, checks: p.checks }));
  const ok = diags.length === 0 && m.view.intact;
  const reason = !m.view.intact
    ? `the audit mirror's chain does not verify (${chainProblems[0]?.checks.find((c) => !c.ok)?.detail}); failing closed`
    : diags.length
      ? `${diags.length} of ${commits.length} commit(s) not covered by a verified bundle in the audit mirror`
      : `${commits.length} commit(s) covered`;
  const next = !m.view.intact ? 'csae mirror verify' : diags[0]?.next;
  return { ref: o.ref, old: o.old, new: o.new, ok, reason, commits: commits.length, covered: cov.covered.length, uncovered: diags, entries: cov.entries, ...(cov.landings.length ? { landings: cov.landings } : {}), chainProblems, ...(next ? { next } : {}) };
}

/**
 * One ref update (pre-push or pre-receive). `trustRev` is the protected ref's current tip (the remote
 * side); its policy is the trust root. When the ref is new or its tip has no policy, the pushed tip's
 * policy is trusted on first use (genesis).
 */
export async function validateUpdate(ctx: Context, repo: Repo, u: RefUpdate, o: { pushing: boolean; otherTips: OtherTips; chains: Map<string, { store: MirrorStore; view: ChainView }> }): Promise<RefReport | null> {
  const git = repo.git;
  const oldSha = isZero(u.remoteSha) ? null : u.remoteSha;
  const newSha = isZero(u.localSha) ? null : u.localSha;
  const ref = u.remoteRef;
  let policy: Policy | null = null;
  let genesis = false;
  if (oldSha) {
    policy = await loadPolicyAt(git, oldSha, repo.stateDir);
    if (!policy && !(await git.hasObject(oldSha))) {
      // We cannot read the trust root. Only refs the pushed policy protects are our business.
      const local = newSha ? await loadPolicyAt(git, newSha, repo.stateDir) : null;
      if (local && !isProtected(local, ref)) return null;
      if (!local && !newSha) return null;
      return refusal(ref, oldSha, newSha, `the remote tip ${oldSha.slice(0, 12)} of ${ref} is not in this clone, so its policy (the trust root) cannot be read`, 'git fetch, then push again');
    }
  }
  if (!policy) {
    if (!newSha) return null;
    policy = await loadPolicyAt(git, newSha, repo.stateDir);
    genesis = true;
    if (!policy) return null; // csae is not adopted on this ref
  }
  if (!isProtected(policy, ref)) return null;
  if (newSha && !(await git.hasObject(newSha))) return refusal(ref, oldSha, newSha, `the pushed commit ${newSha.slice(0, 12)} is not in this repository`, 'push from the clone that has it (or git fetch it first)');
  if (!newSha) return refusal(ref, oldSha, null, `deleting protected ref ${ref} is refused`, `if it must go, first land a policy change that stops protecting it (csae policy set protect ...)`);
  const nonFastForward = (): RefReport => refusal(ref, oldSha, newSha, `non-fast-forward update of protected ref ${ref} (history would be rewritten) is refused`, 'fetch, integrate the remote work (merge or rebase), cover the result with a bundle, push again');
  let commits: string[];
  let cutover: string | null = null;
  if (oldSha && !genesis) {
    // one rev-list answers both questions: is it a fast-forward, and what does it add
    const u = await git.updateRange(oldSha, newSha);
    if (!u.fastForward) return nonFastForward();
    commits = u.commits.map((c) => c.id);
  } else {
    if (oldSha && !(await git.isAncestor(oldSha, newSha))) return nonFastForward();
    cutover = await resolveCutover(repo, policy, newSha);
    const exclude = oldSha ? [oldSha] : await o.otherTips(policy, ref);
    if (cutover) exclude.push(cutover);
    commits = (await git.revList([newSha], exclude)).map((c) => c.id);
  }
  if (commits.length === 0) return { ref, old: oldSha, new: newSha, ok: true, reason: genesis ? 'genesis: policy trusted on first use; nothing after the cutover' : 'no new commits', commits: 0, covered: 0, uncovered: [], entries: [], chainProblems: [] };
  const key = JSON.stringify(policy);
  let m = o.chains.get(key);
  if (!m) {
    m = await mirrorView(repo, policy);
    o.chains.set(key, m);
  }
  void ctx;
  return validateCommits(repo, policy, m, commits, { ref, old: oldSha, new: newSha, pushing: o.pushing, cutover });
}

function refusal(ref: string, old: string | null, nw: string | null, reason: string, next: string): RefReport {
  return { ref, old, new: nw, ok: false, reason, commits: 0, covered: 0, uncovered: [], entries: [], chainProblems: [], next };
}

/** For a new protected branch: tips of the other protected refs, whose commits are not new. */
export type OtherTips = (policy: Policy, ref: string) => Promise<string[]>;

export async function validateUpdates(ctx: Context, repo: Repo, updates: readonly RefUpdate[], o: { pushing: boolean; otherTips: OtherTips }): Promise<Report> {
  const chains = new Map<string, { store: MirrorStore; view: ChainView }>();
  const refs: RefReport[] = [];
  for (const u of updates) {
    const r = await validateUpdate(ctx, repo, u, { ...o, chains });
    if (r) refs.push(r);
  }
  return { ok: refs.every((r) => r.ok), refs };
}

/** CI replay: every commit of `tip`'s history after the cutover (or of an explicit range) must be covered. */
export async function replay(repo: Repo, o: { ref: string; tip: string; base?: string; policyRev?: string; oracle?: RangeOracle }): Promise<Report> {
  const git = repo.git;
  const trustRev = o.policyRev ?? o.tip;
  let policy = await loadPolicyAt(git, trustRev, repo.stateDir);
  if (!policy && o.base) policy = await loadPolicyAt(git, o.tip, repo.stateDir);
  if (!policy) throw new CsaeError('config', `${o.ref} has no ${POLICY_PATH}: nothing defines what to verify`, { next: 'csae init (and commit .csae/policy.yaml), or pass --ref of a branch that has it' });
  const cutover = await resolveCutover(repo, policy, o.tip);
  const exclude = [o.base, cutover].filter((x): x is string => !!x);
  const listed = await git.revList([o.tip], exclude);
  const commits = listed.map((c) => c.id);
  // a replay touches every entry: verify (incrementally) and hold the chain in memory
  const store = new MirrorStore(repo, policy);
  const chain = await store.chain();
  const m = { store, view: memoryView(chain) };
  // the replay's own rev-list answers every entry's range in memory (git only for entries outside it)
  const oracle = o.oracle ?? (o.base ? new GitOracle(git) : new CommitGraph(listed, new GitOracle(git)));
  const r = await validateCommits(repo, policy, m, commits, { ref: o.ref, old: o.base ?? null, new: o.tip, pushing: false, cutover, oracle });
  return { ok: r.ok, refs: [r], basis: { policy, chain, tip: o.tip } };
}
