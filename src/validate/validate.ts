// The validator (DESIGN §5): decide, for updates of protected refs or a replay of a ref's history,
// whether every new commit is covered. Policy comes from the trust root; the mirror is synced first and
// an unreachable mirror, broken chain or unreadable policy fails closed.
import { preverifyEnvelopes } from '../verify/pool.js';
import type { TrustedSigner } from '../sign/signer.js';
import { CsaeError } from '../core/errors.js';
import { readCutover, writeCutover } from '../state/cutover.js';
import type { CheckResult } from '../core/checks.js';
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import { POLICY_PATH, isProtected, loadPolicyAt, trustedKeys, type Policy } from '../policy/policy.js';
import { epochPolicy, policyHistory, singlePlan, type EpochPlan } from '../policy/epochs.js';
import { activationsFromView, checkPolicyHistory, recheckEntries, repositoryRoot, type Activations, type RefTip, type TrustRootFailure } from './trust.js';
import { signedBy } from './checks/index.js';
import { CheckList } from '../core/checks.js';
import { MirrorStore } from '../mirror/store.js';
import { sigstorePath, verdictPath } from '../mirror/layout.js';
import type { ChainResult } from '../mirror/chain.js';
import { mayBeKeyless, parseVerdictBytes, type VerdictFile } from '../verdict/verdict.js';
import { draftCommits } from '../state/drafts.js';
import { candidates, checkCoverage, type EntryVerdict } from './coverage.js';
import { cachedChecks, checkEntry, entryEnvironment, type EntryEnv } from './checks/index.js';
import { CommitGraph } from '../git/graph.js';
import type { VerifiedEntry } from '../mirror/chain.js';
import type { CommitObject } from '../git/git.js';
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
  /** the policy history the entries were judged under: each version's commit and the entry after which it took effect */
  trustRoot?: { rev: string; genesis: boolean; versions: Array<{ commit: string; from: number | null }>; failures: TrustRootFailure[] };
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
      blobs.delete(blob); // parsed once, kept parsed below: the raw bytes are not held twice
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

export async function rememberedCutover(repo: Repo, policy: Policy): Promise<string | null> {
  if (policy.cutover) return policy.cutover;
  return readCutover(repo.stateDir);
}

/**
 * The exact range an entry for head would list: rev-list head ^base ^cutover, less what the chain
 * already lists (oldest first). Authoring and the recovery kinds compute it the same way check 5 does.
 */
export async function unclaimedRange(repo: Repo, policy: Policy, chain: Pick<ChainView, 'firstClaim'>, head: string, base: string | null): Promise<string[]> {
  const cutover = await resolveCutover(repo, policy, head);
  // base null: a range from the repository's root (nothing to exclude but the cutover)
  return (await repo.git.revList([head], [...(base ? [base] : []), ...(cutover ? [cutover] : [])])).map((c) => c.id).filter((c) => chain.firstClaim(c) === undefined);
}

export async function resolveCutover(repo: Repo, policy: Policy, tip: string): Promise<string | null> {
  if (policy.cutover) return (await repo.git.hasObject(policy.cutover)) ? policy.cutover : null;
  await repo.git.ensureCommitGraph();
  // The first commit adding the policy never changes for descendants of it: remember it, and only walk
  // the whole history (~1 s at 100k commits) when the remembered one is not an ancestor of this tip.
  const known = readCutover(repo.stateDir);
  // NOTE: the file is a claim (a restored CI cache, a local edit): it exempts everything below it, so
  // it is believed only for a commit of tip's history that itself adds the policy (it has the file,
  // none of its parents does); anything else, e.g. a later commit or a side branch's, walks again
  if (known && (await repo.git.hasObject(known)) && (await repo.git.isAncestor(known, tip)) && (await addsPolicy(repo, known))) return known;
  const found = await repo.git.firstAdding(tip, POLICY_PATH);
  if (found) {
    writeCutover(repo.stateDir, found); // no state dir (yet): costs time, not correctness
  }
  return found;
}

async function addsPolicy(repo: Repo, id: string): Promise<boolean> {
  const c = await repo.git.readCommit(id);
  if (!c || !(await repo.git.readFileAt(id, POLICY_PATH).catch(() => null))) return false;
  for (const p of c.parents) if (await repo.git.readFileAt(p, POLICY_PATH).catch(() => null)) return false;
  return true;
}

/**
 * Commit reads for many entries at once, a window of entries at a time: one `cat-file --batch` for the
 * window's heads, bases, scope commits and the range commits of its standard entries (check 7 reads
 * their messages for declared assistance), one more for the heads' parents. A window is read when the
 * first commit it lists is asked for and the window before is dropped: a replay never holds every commit
 * object of its history (at 100,000 commits that was most of its peak memory). Entries come in seq
 * order, the order coverage judges them in. Anything not in the current window is read from git: the
 * window decides how many reads, never what they return.
 */
export async function prefetchingReader(git: Repo['git'], entries: readonly VerifiedEntry[], windowEntries = READ_WINDOW): Promise<(ids: readonly string[]) => Promise<Map<string, CommitObject>>> {
  // which window first lists each commit; each window lists every commit its entries ask for
  const windowOf = new Map<string, number>();
  const windows: Array<{ ids: string[]; heads: string[] }> = [];
  if (entries.length > 1)
    entries.forEach((e, i) => {
      const w = Math.floor(i / windowEntries);
      const win = (windows[w] ??= { ids: [], heads: [] });
      const p = e.predicate;
      win.heads.push(p.range.head);
      for (const id of [p.range.head, p.range.base, p.scope?.commit, ...(p.kind === 'standard' ? p.range.commits : [])]) {
        if (!id) continue;
        win.ids.push(id);
        if (!windowOf.has(id)) windowOf.set(id, w);
      }
    });
  let current = -1;
  let window = new Map<string, CommitObject>();
  const load = async (w: number): Promise<Map<string, CommitObject>> => {
    const got = await git.readCommits([...new Set(windows[w]!.ids)]);
    const parents = new Set<string>();
    for (const h of windows[w]!.heads) for (const p of got.get(h)?.parents ?? []) if (!got.has(p)) parents.add(p);
    for (const [k, v] of await git.readCommits([...parents])) got.set(k, v);
    return got;
  };
  // the next window is asked for while this one's entries are checked (git inflates while node checks):
  // at most two windows are held
  let next: { w: number; read: Promise<Map<string, CommitObject>> } | null = null;
  const ahead = (w: number): Promise<Map<string, CommitObject>> => {
    const read = next?.w === w ? next.read : load(w);
    next = null;
    if (w + 1 < windows.length) {
      next = { w: w + 1, read: load(w + 1) };
      next.read.catch(() => {}); // a failed read throws when its window is asked for
    }
    return read;
  };
  return async (ids) => {
    const out = new Map<string, CommitObject>();
    const miss: string[] = [];
    for (const id of ids) {
      let c = window.get(id);
      if (!c) {
        const w = windowOf.get(id);
        if (w !== undefined && w !== current) {
          current = w;
          window = new Map(); // drop the last window before reading the next
          const got = await ahead(w);
          if (current === w) window = got;
          c = got.get(id);
        }
      }
      if (c) out.set(id, c);
      else miss.push(id);
    }
    if (miss.length) for (const [k, v] of await git.readCommits(miss)) out.set(k, v);
    return out;
  };
}

/** How many entries' range commits the replay holds at once (a few thousand commit objects). */
export const READ_WINDOW = 256;

export const PASSED_KEY = 'v3-epochs';

/** The key under which checks 5-9 of an entry are remembered: its digest, its epoch's policy, its cutover. */
export function passedKeyOf(plan: EpochPlan, e: VerifiedEntry, cutover: string | null): string {
  return `${e.digest} ${plan.versions[e.epoch ?? 0]?.digest ?? ''} ${cutover ?? ''}`;
}

/** Check that every commit in `commits` is covered; produce the ref's report. */
export async function validateCommits(
  repo: Repo,
  policy: Policy,
  m: { store: MirrorStore; view: ChainView },
  commits: readonly string[],
  o: { ref: string; old: string | null; new: string | null; pushing: boolean; cutover: string | null; oracle?: RangeOracle; plan?: EpochPlan | null; rootRev?: string; genesis?: boolean },
): Promise<RefReport> {
  const git = repo.git;
  const plan = o.plan ?? singlePlan(policy);
  const view = m.view;
  // checks 5-9 results this clone remembers, keyed by entry digest and the digest of its epoch's policy
  const passed = m.store.loadPassed(PASSED_KEY);
  // each entry's check 5 uses the cutover of its own epoch: a later policy moving the cutover must not
  // change what earlier entries were checked against (nor exempt what they covered). Without an explicit
  // one it is the first commit adding the policy, a fact of history (so only explicit ones key the cache).
  let derived: Promise<string | null> | null = null;
  const derivedCutover = (): Promise<string | null> => (derived ??= policy.cutover ? resolveCutover(repo, { ...policy, cutover: undefined }, plan.tip || o.new || 'HEAD') : Promise.resolve(o.cutover));
  const cutoverOf = async (e: VerifiedEntry): Promise<string | null> => epochPolicy(plan, e.epoch, policy).cutover ?? (await derivedCutover());
  const passKey = (e: VerifiedEntry): string => passedKeyOf(plan, e, epochPolicy(plan, e.epoch, policy).cutover ?? null);
  const cands = candidates(view, commits);
  const firstSeqs = cands.map((e) => e.seq);
  const todo = cands.filter((e) => !passed.has(passKey(e)));
  const loadVerdict = await verdictLoader(m.store, view, todo, trustedKeys(policy, 'verdicts'));
  const readCommits = await prefetchingReader(git, todo);
  const oracle = o.oracle ?? new GitOracle(git);
  const envFor = async (e: VerifiedEntry): Promise<EntryEnv> =>
    entryEnvironment(git, { policy, plan, epoch: e.epoch, cutover: await cutoverOf(e), oracle, firstClaim: { get: (c) => view.firstClaim(c) }, readCommits, loadVerdict });
  const memo = new Map<number, Promise<EntryVerdict>>();
  const newlyPassed: string[] = [];
  const evaluate = (e: VerifiedEntry): Promise<EntryVerdict> => {
    let v = memo.get(e.seq);
    if (v) return v;
    const shown = { seq: e.seq, kind: e.predicate.kind, workstream: e.predicate.workstream, signer: e.signedAs ?? e.signer, policy: e.epochCommit ?? null, confidence: confidenceOf(e.predicate.kind) };
    if (passed.has(passKey(e))) v = Promise.resolve({ ...shown, ok: true, checks: cachedChecks(e).results });
    else
      v = envFor(e).then((env) => checkEntry(e, env)).then((cl) => {
        if (cl.ok) newlyPassed.push(passKey(e));
        return { ...shown, ok: cl.ok, checks: cl.results };
      });
    memo.set(e.seq, v);
    return v;
  };
  // the policy history back to genesis; then every entry a decision rests on re-read from the mirror
  // NOTE: one cat-file batch for every entry below, read under the activations the claim lookup states;
  // the policy-history check confirms them in order (its failures stop the list, and then the pushed
  // commits' entries are read again under what it confirmed)
  const stated = activationsFromView(plan, view);
  const batch = await recheckEntries(m.store, view, plan, stated, [...firstSeqs, ...stated.slice(1)], policy);
  const recheck = async (seqs: number[], acts: Activations): Promise<Map<number, VerifiedEntry>> => {
    if (seqs.every((x) => batch.entries.has(x) || batch.refused.has(x)) && acts.slice(0, -1).every((a, i) => stated[i] === a)) return batch.entries;
    return (await recheckEntries(m.store, view, plan, acts, seqs, policy)).entries;
  };
  const history = await checkPolicyHistory(plan, view, recheck, evaluate);
  const same = history.acts.length === stated.length && history.acts.every((a, i) => stated[i] === a);
  const { entries: trusted, refused } = same ? batch : await recheckEntries(m.store, view, plan, history.acts, firstSeqs, policy);
  const trustedView: ChainView = {
    head: view.head,
    intact: view.intact,
    problems: view.problems,
    lastSeq: view.lastSeq,
    lastDigest: view.lastDigest,
    tip: view.tip,
    voided: view.voided,
    firstClaim: (c) => {
      const s = view.firstClaim(c);
      return s !== undefined && trusted.get(s)?.predicate.range.commits.includes(c) ? s : undefined;
    },
    entry: (s) => trusted.get(s),
    verdictBlob: (d) => view.verdictBlob(d),
    full: () => view.full(),
  };
  const cov = await checkCoverage({ commits, view: trustedView, ref: o.ref, policy, evaluate, readCommits, mergeTree: (p) => git.mergeTree(p), replayGit: replayGit(git),
    reread: async (es) => {
      const got = await recheck(es.map((e) => e.seq), history.acts);
      return es.map((e) => got.get(e.seq)).filter((e): e is VerifiedEntry => !!e);
    },
  });
  for (const [seq, why] of refused) {
    const c = new CheckList();
    c.fail('signature', `${why} (the verified index in .git/csae says otherwise; the mirror decides)`);
    cov.entries.push({ seq, kind: '?', workstream: '?', ok: false, checks: c.results });
  }
  cov.entries.sort((a, b) => a.seq - b.seq);
  if (newlyPassed.length) m.store.addPassed(PASSED_KEY, newlyPassed);
  let diags: Diagnosis[] = [];
  if (cov.uncovered.length) {
    // the rejection path may read everything: which entry names what, drafts, messages
    const objects = await git.readCommits(cov.uncovered);
    const all = (await view.full()).entries;
    const rewrites = await rewriteFacts({ uncovered: cov.uncovered, entries: all, git: replayGit(git) });
    diags = diagnose({ uncovered: cov.uncovered, objects, entries: all, checked: cov.entries, draftCommits: draftCommits(repo), pushing: o.pushing, rewrites });
  }
  const chainProblems = view.problems.map((p) => ({ ...(p.seq ? { seq: p.seq } : {}), mirrorCommit: p.mirrorCommit, checks: p.checks }));
  const failures = history.failures;
  const ok = diags.length === 0 && view.intact && failures.length === 0;
  const reason = !view.intact
    ? `the audit mirror's chain does not verify (${chainProblems[0]?.checks.find((c) => !c.ok)?.detail}); failing closed`
    : failures.length
      ? `trust root: ${failures[0]!.reason}`
      : diags.length
        ? `${diags.length} of ${commits.length} commit(s) not covered by a verified bundle in the audit mirror`
        : `${commits.length} commit(s) covered`;
  const fc = failures[0]?.commit.slice(0, 12);
  const next = !view.intact ? 'csae mirror verify' : failures.length ? `cover the policy change with an entry signed under the policy before it (csae bundle retroactive --range ${fc}~1..${fc} --reason TEXT), or revert it` : diags[0]?.next;
  const trustRoot = { rev: o.rootRev ?? plan.tip, genesis: !!o.genesis, versions: plan.versions.map((v, i) => ({ commit: v.commit, from: i === 0 ? 0 : (history.acts[i] ?? null) })), failures };
  return { ref: o.ref, old: o.old, new: o.new, ok, reason, commits: commits.length, covered: cov.covered.length, uncovered: diags, entries: cov.entries, ...(cov.landings.length ? { landings: cov.landings } : {}), chainProblems, trustRoot, ...(next ? { next } : {}) };
}

function confidenceOf(kind: string): 'attested' | 'post-hoc' | 'bypass' | 'abandoned' | 'repair' {
  return kind === 'retroactive' ? 'post-hoc' : kind === 'bypass' ? 'bypass' : kind === 'abandonment' ? 'abandoned' : kind === 'repair' ? 'repair' : 'attested';
}

/**
 * Start syncing the mirror `policy` names, once per run (its store is fetched into; the view is built
 * later under the epochs of the trust root): resolves false when it is synced, rejects when unreachable.
 */
function earlySync(repo: Repo, policy: Policy, syncs?: Map<string, Promise<false>>): Promise<false> | null {
  if (!syncs) return null;
  const key = JSON.stringify(policy.mirror);
  let p = syncs.get(key);
  if (!p) {
    p = new MirrorStore(repo, policy).sync().then(() => false as const);
    p.catch(() => undefined); // awaited where the mirror is needed; a path that never needs it ignores it
    syncs.set(key, p);
  }
  return p;
}

/** A store whose chain is verified under the epochs of `plan`. */
async function planView(repo: Repo, policy: Policy, plan: EpochPlan | null, sync = true): Promise<{ store: MirrorStore; view: ChainView }> {
  const store = new MirrorStore(repo, policy);
  store.plan = plan;
  return { store, view: await store.view({ sync }) };
}

/**
 * One ref update (pre-push or pre-receive). The trust root is the protected ref's current tip (the
 * remote side) when its policy protects it; for a ref that does not exist yet, or that a policy protects
 * for the first time, it is the repository's: another protected ref's policy — never the commits being
 * pushed. Only when no protected ref of the repository has a policy is the pushed tip's policy trusted
 * on first use (genesis).
 */
export async function validateUpdate(ctx: Context, repo: Repo, u: RefUpdate, o: { pushing: boolean; client?: boolean; refs: () => Promise<RefTip[]>; chains: Map<string, { store: MirrorStore; view: ChainView }>; syncs?: Map<string, Promise<false>> }): Promise<RefReport | null> {
  const git = repo.git;
  const oldSha = isZero(u.remoteSha) ? null : u.remoteSha;
  const newSha = isZero(u.localSha) ? null : u.localSha;
  const ref = u.remoteRef;
  let root: { rev: string; policy: Policy; own: boolean } | null = null;
  let genesis = false;
  let refs: RefTip[] | null = null;
  const allRefs = async (): Promise<RefTip[]> => (refs ??= await o.refs());
  if (oldSha) {
    const own = await loadPolicyAt(git, oldSha, repo.stateDir);
    if (!own && !(await git.hasObject(oldSha))) {
      // We cannot read the trust root. Only refs a policy protects are our business.
      const repoRoot = await repositoryRoot(repo, await allRefs(), ref, repo.stateDir);
      const local = repoRoot?.policy ?? (newSha ? await loadPolicyAt(git, newSha, repo.stateDir) : null);
      if (local && !isProtected(local, ref)) return null;
      if (!local && !newSha) return null;
      return refusal(ref, oldSha, newSha, `the remote tip ${oldSha.slice(0, 12)} of ${ref} is not in this clone, so its policy (the trust root) cannot be read`, 'git fetch, then push again');
    }
    if (own && isProtected(own, ref)) root = { rev: oldSha, policy: own, own: true };
  }
  if (!root) {
    const repoRoot = await repositoryRoot(repo, await allRefs(), ref, repo.stateDir);
    if (repoRoot) {
      if (!isProtected(repoRoot.policy, ref)) return null;
      root = { rev: repoRoot.rev, policy: repoRoot.policy, own: false };
    } else {
      // no protected ref of the repository has a policy yet: trust on first use
      if (!newSha) return null;
      const pushed = await loadPolicyAt(git, newSha, repo.stateDir);
      if (!pushed || !isProtected(pushed, ref)) return null; // csae is not adopted on this ref
      root = { rev: newSha, policy: pushed, own: false };
      genesis = true;
    }
  }
  const policy = root.policy;
  // the mirror fetch depends on nothing below: it runs while the range is listed (a failure is
  // reported where the mirror is first needed, as before; a refusal before that never waits on it)
  const synced = newSha ? earlySync(repo, policy, o.syncs) : null;
  if (newSha && !(await git.hasObject(newSha))) return refusal(ref, oldSha, newSha, `the pushed commit ${newSha.slice(0, 12)} is not in this repository`, 'push from the clone that has it (or git fetch it first)');
  if (!newSha) return refusal(ref, oldSha, null, `deleting protected ref ${ref} is refused`, `if it must go, first land a policy change that stops protecting it (csae policy set protect ...)`);
  const nonFastForward = (): RefReport => refusal(ref, oldSha, newSha, `non-fast-forward update of protected ref ${ref} (history would be rewritten) is refused`, 'fetch, integrate the remote work (merge or rebase), cover the result with a bundle, push again');
  let commits: string[];
  let cutover: string | null = null;
  if (oldSha && root.own) {
    // one rev-list answers both questions: is it a fast-forward, and what does it add
    const up = await git.updateRange(oldSha, newSha);
    if (!up.fastForward) return nonFastForward();
    commits = up.commits.map((c) => c.id);
  } else {
    if (oldSha && !(await git.isAncestor(oldSha, newSha))) return nonFastForward();
    cutover = await resolveCutover(repo, policy, genesis ? newSha : root.rev);
    const exclude = (await allRefs()).filter((r) => r.name !== ref && isProtected(policy, r.name)).map((r) => r.id);
    if (cutover) exclude.push(cutover);
    commits = (await git.revList([newSha], exclude)).map((c) => c.id);
  }
  if (commits.length === 0) return { ref, old: oldSha, new: newSha, ok: true, reason: genesis ? 'genesis: policy trusted on first use; nothing after the cutover' : 'no new commits', commits: 0, covered: 0, uncovered: [], entries: [], chainProblems: [] };
  // NOTE: a pushing clone may be a shallow checkout: it takes the cut as genesis (the required CI replay
  // walks the whole policy history and never does)
  const plan = await policyHistory(git, root.rev, repo.stateDir, { acceptCut: !!o.client });
  const key = plan?.key ?? JSON.stringify(policy);
  let m = o.chains.get(key);
  if (!m) {
    m = await planView(repo, policy, plan, synced ? await synced : true);
    o.chains.set(key, m);
  }
  void ctx;
  return validateCommits(repo, policy, m, commits, { ref, old: oldSha, new: newSha, pushing: o.pushing, cutover, plan, rootRev: root.rev, genesis });
}

function refusal(ref: string, old: string | null, nw: string | null, reason: string, next: string): RefReport {
  return { ref, old, new: nw, ok: false, reason, commits: 0, covered: 0, uncovered: [], entries: [], chainProblems: [], next };
}

export async function validateUpdates(ctx: Context, repo: Repo, updates: readonly RefUpdate[], o: { pushing: boolean; client?: boolean; refs: () => Promise<RefTip[]> }): Promise<Report> {
  const chains = new Map<string, { store: MirrorStore; view: ChainView }>();
  const syncs = new Map<string, Promise<false>>();
  const refs: RefReport[] = [];
  for (const u of updates) {
    const r = await validateUpdate(ctx, repo, u, { ...o, chains, syncs });
    if (r) refs.push(r);
  }
  return { ok: refs.every((r) => r.ok), refs };
}

/**
 * CI replay: every commit of `tip`'s history after the cutover (or of an explicit range) must be
 * covered, and the policy history back to genesis must hold: each version covered by an entry valid
 * under the one before. Nothing read from .git/csae decides: the policy history is walked, and every
 * entry a decision rests on is re-read from the mirror.
 */
export async function replay(repo: Repo, o: { ref: string; tip: string; base?: string; policyRev?: string; oracle?: RangeOracle }): Promise<Report> {
  const git = repo.git;
  let trustRev = o.policyRev ?? o.tip;
  let plan = await policyHistory(git, trustRev);
  if (!plan && o.base) {
    trustRev = o.tip;
    plan = await policyHistory(git, trustRev);
  }
  if (!plan) throw new CsaeError('config', `${o.ref} has no ${POLICY_PATH} in its history: nothing defines what to verify`, { next: 'csae init (and commit .csae/policy.yaml), or pass --ref of a branch that has it' });
  // a tip that deleted the policy is judged under the last policy it had (the deletion must be covered)
  const policy = [...plan.versions].reverse().find((v) => v.policy)!.policy!;
  const cutover = await resolveCutover(repo, policy, o.tip);
  const exclude = [o.base, cutover].filter((x): x is string => !!x);
  // NOTE: the rev-list output (an object and a parents array per commit) is not kept past this line:
  // the graph holds it in compact form
  const listing = (async () => {
    const listed = await git.revList([o.tip], exclude);
    return { commits: listed.map((c) => c.id), graph: o.oracle || o.base ? null : new CommitGraph(listed, new GitOracle(git)) };
  })();
  // a replay touches every entry: verify (incrementally) and hold the chain in memory. The mirror's chain
  // and the canonical history are read at once (two git processes on two cores); both settle before
  // either's error is thrown, the history's first (a shallow clone deepens and calls again)
  const store = new MirrorStore(repo, policy);
  store.plan = plan;
  const [listed, chained] = await Promise.allSettled([listing, store.chain()]);
  if (listed.status === 'rejected') throw listed.reason;
  if (chained.status === 'rejected') throw chained.reason;
  const { commits, graph } = listed.value;
  const chain = chained.value;
  const m = { store, view: memoryView(chain) };
  // the replay's own rev-list answers every entry's range in memory (git only for entries outside it)
  const oracle = o.oracle ?? graph ?? new GitOracle(git);
  const r = await validateCommits(repo, policy, m, commits, { ref: o.ref, old: o.base ?? null, new: o.tip, pushing: false, cutover, oracle, plan, rootRev: trustRev });
  return { ok: r.ok, refs: [r], basis: { policy, chain, tip: o.tip } };
}
