// The local mirror clone (.git/csae/mirror.git, bare) and everything that moves bytes between it and the
// audit mirror remote: fetch, read the verified chain (incrementally, through the verified index),
// append one entry per commit and push. Fail closed: an unreachable mirror is an error, never "no entries".
import { existsSync, rmSync } from 'node:fs';
import { join, resolve, isAbsolute } from 'node:path';
import { CsaeError } from '../core/errors.js';
import type { GitPort } from '../git/port.js';
import { isTransientGitFailure } from '../git/git.js';
import { ensureDir, type Progress } from '../context.js';
import type { Repo } from '../git/repo.js';
import { mirrorBranch, trustFingerprint, trustedKeys, type Policy } from '../policy/policy.js';
import { sha256Hex } from '../core/digest.js';
import { canonicalize } from '../core/jcs.js';
import { chainEpochs, emptyChain, verifyChain, type ChainResult, type ChainState, type VerifiedEntry, type VoidedEntry } from './chain.js';
import { indexedView, memoryView, type ChainView } from './view.js';
import { VerifiedIndex, type IndexHead } from '../state/verified-index.js';
import { addPassed, loadPassed } from '../state/passed.js';
import { statePath } from '../state/files.js';
import type { MirrorCommit } from '../git/log.js';
import { chainReadsBlob, classifyPath, markerBytes, MARKER_PATH } from './layout.js';
import { preverify, type SignatureMemo, type VerifyJob } from '../verify/pool.js';
import type { TrustedSigner } from '../sign/signer.js';
import { localTrustRoot, type EpochPlan } from '../policy/epochs.js';

type Checkpoint = ChainState['checkpoints'][number];
/** what one verification step left: the head it is for, lookups, and the whole chain when it is in memory */
interface Advanced {
  head: string | null;
  view: ChainView;
  chain?: ChainResult;
}
/** below this many new entries a verification stays on one thread (starting workers costs more) */
const PARALLEL_FROM = 256;

export class MirrorStore {
  readonly git: GitPort;
  readonly path: string;
  readonly url: string;
  readonly branch: string;
  readonly trackingRef: string;
  /**
   * The policy epochs the chain is verified under (DESIGN §2.5). Set by the validator from its trust
   * root; otherwise resolved on first use from the clone's protected branch (localTrustRoot).
   */
  plan: EpochPlan | null | undefined = undefined;

  constructor(
    readonly repo: Repo,
    readonly policy: Policy,
    urlOverride?: string,
  ) {
    this.path = statePath(repo.stateDir, 'mirror');
    this.git = repo.git.withDir(this.path, { bare: true });
    const u = urlOverride ?? policy.mirror.url;
    // a relative local path in the policy is relative to the repository's top level
    this.url = /^[a-z][a-z0-9+.-]*:\/\//i.test(u) || /^[^/]+@[^/]+:/.test(u) || isAbsolute(u) ? u : resolve(repo.top, u);
    this.branch = mirrorBranch(policy);
    this.trackingRef = `refs/remotes/mirror/${this.branch}`;
  }

  /** Make sure the local clone exists and holds the remote's current state. */
  async sync(): Promise<string | null> {
    if (!existsSync(join(this.path, 'HEAD'))) await this.create();
    let r = await this.fetch();
    if (!r.ok && /object.format|hash algorithm|object-format/i.test(r.stderr)) {
      // NOTE: git 2.39 clones an *empty* sha256 repository as sha1; the first fetch then fails. Start
      // over in the other format.
      const fmt = (await this.git.objectFormat()) === 'sha1' ? 'sha256' : 'sha1';
      rmSync(this.path, { recursive: true, force: true });
      await this.create(fmt);
      r = await this.fetch();
    }
    // another process fetching into, or pushing from, this clone holds a lock for a moment: wait for it
    for (let attempt = 1; !r.ok && r.transient && attempt < SYNC_ATTEMPTS; attempt++) {
      await pause(attempt);
      r = await this.fetch();
    }
    if (!r.ok) throw unreachable(this.url, r.stderr);
    return this.head();
  }

  private fetch() {
    return this.git.fetchBranches(this.url, 'refs/remotes/mirror/');
  }

  private async create(format?: 'sha1' | 'sha256'): Promise<void> {
    ensureDir(this.repo.stateDir);
    const parent = this.repo.git.withDir(this.repo.stateDir);
    // a local mirror can tell its object format even when empty (a clone of an empty repo cannot)
    if (!format && isAbsolute(this.url) && existsSync(this.url)) {
      if ((await this.repo.git.withDir(this.url, { bare: true }).objectFormat()) === 'sha256') format = 'sha256';
    }
    const failed = format ? await parent.initBare(this.path, { format }) : await parent.cloneBare(this.url, this.path);
    if (failed !== null) {
      rmSync(this.path, { recursive: true, force: true });
      throw unreachable(this.url, failed);
    }
  }

  async head(): Promise<string | null> {
    return this.git.readRefFast(this.trackingRef);
  }

  /** The epoch plan, resolved once (null: no history, verify under `policy` alone). */
  async epochPlan(): Promise<EpochPlan | null> {
    if (this.plan === undefined) this.plan = (await localTrustRoot(this.repo.git, this.policy, this.repo.stateDir))?.plan ?? null;
    return this.plan;
  }

  /** what the verified index was verified under: a change of any of these makes it another index */
  private cacheKey(): string {
    const p = this.policy;
    const trust = trustFingerprint(p);
    return sha256Hex(canonicalize({ repository: p.repository, bundles: p.signers?.bundles ?? [], bypass: p.signers?.bypass ?? [], url: this.url, branch: this.branch, ...(trust ? { trust } : {}), epochs: this.plan?.key ?? null }));
  }

  private index(): VerifiedIndex<VerifiedEntry, VoidedEntry, Checkpoint> {
    return new VerifiedIndex(this.repo.stateDir, this.cacheKey());
  }

  /** what this process last verified or read: one command reads the index once */
  private last: Advanced | null = null;

  /**
   * The verified chain as lookups: over the verified index when it is current (a warm push reads a few
   * records), else after verifying what was appended since (incrementally) or everything (cold).
   */
  async view(opts: { sync?: boolean } = {}): Promise<ChainView> {
    const head = opts.sync === false ? await this.head() : await this.sync();
    return (await this.advance(head, false)).view;
  }

  /**
   * The whole verified chain, every entry loaded: verified up to the mirror head, re-verifying only commits
   * appended since the verified index's head (all of them with `full`). A head that no longer contains the
   * index's head means the mirror was rewritten: reported, not papered over.
   */
  async chain(opts: { sync?: boolean; full?: boolean } = {}): Promise<ChainResult> {
    const head = opts.sync === false ? await this.head() : await this.sync();
    const r = await this.advance(head, !!opts.full);
    if (r.chain) return r.chain;
    const c = await r.view.full();
    this.last = { ...r, chain: c };
    return c;
  }

  private async advance(head: string | null, full: boolean): Promise<Advanced> {
    if (!full && this.last && this.last.head === head) return this.last;
    const plan = await this.epochPlan();
    const idx = this.index();
    let h = idx.readHead();
    const done = (chain: ChainResult): Advanced => (this.last = { head, view: memoryView(chain), chain });
    if (!head) {
      if (h) return done({ ...emptyChain(), problems: [{ mirrorCommit: h.head, checks: [{ name: 'chain', ok: false, detail: `the mirror branch ${this.branch} is gone; this clone verified it at ${h.head.slice(0, 12)}` }] }], intact: false, rewritten: h.head });
      return done({ ...emptyChain(), problems: [], intact: true });
    }
    let rewritten: string | undefined;
    if (h && h.head !== head && !((await this.git.hasObject(h.head)) && (await this.git.isAncestor(h.head, head)))) {
      rewritten = h.head;
      h = null;
    }
    if (h && h.head === head && !full) return (this.last = { head, view: this.indexView(idx, h) });
    // full: verify every entry again; the index only served to detect a rewrite
    if (full) h = null;
    // from the index: the chain's small state, no entries; what verifyChain returns is then what was appended
    const start: ChainState = h ? { head: h.head, lastSeq: h.count, lastDigest: h.lastDigest, entries: [], voided: h.voided, leaves: [], verdicts: {}, checkpoints: h.checkpoints, epoch: h.epoch, activations: h.activations } : emptyChain();
    const o = { repository: this.policy.repository, bundleKeys: trustedKeys(this.policy, 'bundles'), bypassKeys: trustedKeys(this.policy, 'bypass'), ...(plan ? { epochs: chainEpochs(plan), compromised: plan.compromised } : {}) };
    const commits = await this.readLog(start.head, head);
    const blobIds = [...new Set(commits.flatMap((c) => c.changes.filter((x) => x.status !== 'D' && chainReadsBlob(x.path)).map((x) => x.blob)))];
    // NOTE: checkpoint notes are read on demand (mirror verify), not on every push
    const blobs = await this.git.readBlobs(blobIds);
    // NOTE: signatures are verified ahead under the newest epoch's signers (most entries' epoch); an entry of
    // another epoch misses the memo and is verified in order
    const ahead = ('epochs' in o ? o.epochs?.at(-1)?.bundleKeys : null) ?? o.bundleKeys;
    const res: ChainResult = verifyChain(start, commits, blobs, { ...o, signatures: await preverifyEntries(commits, blobs, ahead, this.repo.progress) });
    if (rewritten) {
      res.intact = false;
      res.problems.unshift({ mirrorCommit: head, checks: [{ name: 'chain', ok: false, detail: `the mirror was rewritten: its head no longer contains ${rewritten.slice(0, 12)}, which this clone verified before` }] });
      res.rewritten = rewritten;
    }
    if (!h) {
      if (res.intact) idx.write(res);
      return done({ ...res, verifiedHere: true });
    }
    if (res.intact && idx.append(h, res)) {
      const now = idx.readHead();
      if (now?.head === res.head) return (this.last = { head, view: this.indexView(idx, now) });
    }
    // broken after the index's head, or the index could not be written: the whole chain in memory
    const before = idx.load(h);
    if (!before) return this.advance(head, true);
    return done({ ...res, entries: [...before.entries, ...res.entries], leaves: [...(before.leaves ?? []), ...(res.leaves ?? [])], verdicts: { ...before.verdicts, ...res.verdicts } });
  }

  private indexView(idx: VerifiedIndex<VerifiedEntry, VoidedEntry, Checkpoint>, h: IndexHead<VoidedEntry, Checkpoint>): ChainView {
    let whole: ChainResult | null = null;
    return indexedView(h, idx.lookup(h), async () => {
      if (whole) return whole;
      const st = idx.load(h);
      // the index went away under us (another process rewrote it): verify again
      whole = st ? { ...st, problems: [], intact: true, tip: st.lastSeq ? { seq: st.lastSeq, digest: st.lastDigest! } : null } : await this.chain({ sync: false, full: true });
      return whole;
    });
  }

  /** Digests of entries this clone saw pass checks 5-9 under `key` (see validate.passedKeyOf). */
  loadPassed(key: string): Set<string> {
    return loadPassed(this.repo.stateDir, key);
  }

  /** Remember entries that passed checks 5-9 under `key`: appended, never rewritten whole. */
  addPassed(key: string, digests: readonly string[]): void {
    addPassed(this.repo.stateDir, key, digests);
  }

  /**
   * The mirror commits after `from` up to `head`, oldest first, with their changes. A long linear history
   * is read by two `git log --raw` processes in parallel: each commit's diff inflates the whole
   * 10,000-entry shard and verdict directories, so this is the cold path's dominant cost.
   */
  private async readLog(from: string | null, head: string): Promise<MirrorCommit[]> {
    const log = (spec: string): Promise<MirrorCommit[]> => this.git.logChanges(spec);
    const spec = from ? `${from}..${head}` : head;
    const firstParent = await this.git.firstParents(spec);
    if (firstParent.length < 2000) return log(spec);
    const all = await this.git.countCommits(spec);
    if (all !== firstParent.length) return log(spec); // not linear: one pass, and the chain check reports it
    // each diff costs about the size of the directories at that point, so the work grows with k²: the
    // halves of the work meet at k = n/√2
    const mid = firstParent[Math.floor(firstParent.length * Math.SQRT1_2)]!;
    const [a, b] = await Promise.all([log(from ? `${from}..${mid}` : mid), log(`${mid}..${head}`)]);
    return [...a, ...b];
  }

  async readBlob(id: string): Promise<Buffer | null> {
    return (await this.git.readBlobs([id])).get(id) ?? null;
  }

  async readBlobsById(ids: readonly string[]): Promise<Map<string, Buffer>> {
    return this.git.readBlobs(ids);
  }

  /**
   * Append one commit adding `files` on top of the current head, and push it. When another writer got
   * there first (a non-fast-forward, a ref lock held by a racing push), the refusal is transient: `build`
   * runs again on the new head, with a growing random pause, a bounded number of times.
   */
  async append(build: (st: ChainView) => Promise<{ files: Map<string, Buffer>; message: string }>, ident: { name: string; email: string }, opts: { repairing?: number } = {}): Promise<{ commit: string; state: ChainView }> {
    let last = '';
    for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
      if (attempt > 0) await pause(attempt);
      let st: ChainView;
      try {
        st = await this.view();
      } catch (e) {
        // a fetch racing another writer's lock on this clone is transient too
        if (e instanceof CsaeError && e.code === 'mirror-unreachable' && isTransientGitFailure(e.message)) {
          last = e.message;
          continue;
        }
        throw e;
      }
      // a repair may be appended to a chain broken at exactly the entry it names (never to a rewritten one)
      const repairable = opts.repairing !== undefined && !st.intact && st.problems.length === 1 && st.problems[0]!.seq === opts.repairing && !(await st.full()).rewritten;
      if (!st.intact && !repairable) {
        throw new CsaeError('verification-failed', `the audit mirror's chain is broken (${st.problems[0]?.checks.find((c) => !c.ok)?.detail ?? 'see csae mirror verify'}); refusing to append to it`, {
          next: 'csae mirror verify   (then csae chain repair --break SEQ --reason TEXT)',
        });
      }
      const { files, message } = await build(st);
      // the mirror's first commit declares its layout (DESIGN §2.4)
      if (!st.head && !files.has(MARKER_PATH)) files.set(MARKER_PATH, markerBytes());
      const written = await this.git.hashObjects([...files.values()]);
      const ids = new Map([...files.keys()].map((p, i) => [p, written[i]!]));
      const env = { GIT_AUTHOR_NAME: ident.name, GIT_AUTHOR_EMAIL: ident.email, GIT_COMMITTER_NAME: ident.name, GIT_COMMITTER_EMAIL: ident.email };
      // NOTE: every append builds on the mirror head — a repair too, even when entries follow the break
      const commit = await this.git.commitAdding(repairable ? await this.head() : st.head, ids, message, env);
      const r = await this.git.pushCommit(this.url, commit, `refs/heads/${this.branch}`);
      if (r.outcome === 'pushed') {
        await this.git.updateRef(this.trackingRef, commit);
        return { commit, state: await this.view({ sync: false }) };
      }
      last = r.detail.trim().split('\n').filter(Boolean).slice(-2).join(' / ');
      // NOTE: the port reports a lost race before a refusal: a racing push shows up as "remote rejected
      // (failed to update ref)" or, through the mirror guard, as a declined non-fast-forward — both
      // worth another try
      if (r.outcome === 'race') continue;
      if (r.outcome === 'refused') {
        const said = r.remoteSaid;
        throw new CsaeError('verification-failed', `the audit mirror refused the entry${said ? `: ${said}` : ''}`, { next: 'csae mirror verify, and read what the mirror guard said above' });
      }
      throw unreachable(this.url, r.detail);
    }
    throw new CsaeError('mirror-unreachable', `other writers kept winning the race for the audit mirror: ${APPEND_ATTEMPTS} attempts were refused as transient (last: ${last}); nothing was appended by this run`, {
      next: 'csae bundle publish   (run it again: the drafts are kept, and what did reach the mirror is recognised)',
    });
  }
}

/** Refusals that mean "someone else moved the mirror or holds its lock": try again on the new head. */
const APPEND_ATTEMPTS = 200;
const SYNC_ATTEMPTS = 8;

/**
 * A short random pause before trying again. NOTE: not exponential: a writer that lost a few races would
 * wait ever longer while the winners, starting each append afresh, kept winning (8 racing publishers
 * starved one of them that way); a flat jitter keeps every writer's chance per round equal.
 */
function pause(attempt: number): Promise<void> {
  const cap = attempt < 3 ? 200 : 500;
  return new Promise((res) => setTimeout(res, 25 + Math.random() * cap));
}

/**
 * A cold verification checks thousands of entry signatures: they are verified ahead across the machine's
 * cores (verify/pool.ts), and verifyChain reads the answers. Bypass entries (other signers) and keyless
 * ones (a sidecar) miss and are verified in order as before. The mirror guard uses it too.
 */
export async function preverifyEntries(commits: readonly MirrorCommit[], blobs: ReadonlyMap<string, Buffer>, keys: readonly TrustedSigner[], progress?: Progress): Promise<SignatureMemo | undefined> {
  const jobs: VerifyJob[] = [];
  for (const c of commits)
    for (const ch of c.changes) {
      const bytes = ch.status === 'A' && classifyPath(ch.path).kind === 'entry' ? blobs.get(ch.blob) : undefined;
      if (bytes) jobs.push({ bytes, keys });
    }
  if (jobs.length < PARALLEL_FROM) return undefined;
  return preverify(jobs, progress ? { onProgress: (d, t) => progress('entry signatures verified', d, t) } : {});
}

function unreachable(url: string, stderr: string): CsaeError {
  const why = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' / ');
  const lock = /Unable to create '([^']+\.lock)'/.exec(stderr)?.[1];
  return new CsaeError('mirror-unreachable', `the audit mirror ${url} cannot be reached${why ? `: ${why}` : ''}; failing closed`, {
    // a process killed mid-write can leave git's lock file behind; git never removes it on its own
    next: lock ? `if no other git or csae process is running on this clone, remove the stale lock: rm ${lock}` : 'check the mirror url (csae policy show) and your access to it, then try again',
  });
}
