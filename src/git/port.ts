// The git port: every git operation the domain uses, by name. Domain code holds a GitPort (Repo.git),
// never the Git class, so it cannot build a command line: argv lives in src/git/ only. The adapter is
// git.ts (the git binary, batched); unit tests fake this interface (test/helpers/fakegit.ts).
// Each operation says what it returns when the answer is "no" (null, false, empty) and which failures
// throw (CsaeError git-failed / shallow-history / config); callers never parse git's output.
import type { CommitObject } from './git.js';
import type { MirrorCommit } from './log.js';

export type { CommitObject } from './git.js';
export type { MirrorCommit, MirrorChange } from './log.js';

/** How a push of one commit ended: pushed; a lost race (another writer, a lock: retry); refused by the remote (its hook); unreachable. */
export interface PushOutcome {
  outcome: 'pushed' | 'race' | 'refused' | 'unreachable';
  /** the remote's own lines (`remote: ...`), joined */
  remoteSaid: string;
  /** git's whole output, for error messages */
  detail: string;
}

export interface RangeCommitIds {
  id: string;
  parents: string[];
}

export interface GitPort {
  /** the work tree (or the bare git dir) this port addresses */
  readonly dir: string;
  /** the same port for another repository (the mirror clone), with the locating variables stripped */
  withDir(dir: string, opts?: { bare?: boolean }): GitPort;

  // ---- repository facts ----
  gitDir(): Promise<string>;
  objectFormat(): Promise<'sha1' | 'sha256'>;
  configGet(key: string): Promise<string | null>;
  configSet(key: string, value: string): Promise<void>;
  remoteUrl(name: string): Promise<string | null>;
  /** names of the configured remotes */
  remotes(): Promise<string[]>;
  /** a revision as a commit id, or null when it names no commit */
  resolveCommit(rev: string): Promise<string | null>;
  /** the full ref name a revision spells (`origin/main` -> refs/remotes/origin/main), or null */
  symbolicFullName(name: string): Promise<string | null>;
  /** a ref of a bare repository, read from its files where possible */
  readRefFast(name: string): Promise<string | null>;
  /** every ref under `prefix` (e.g. refs/remotes/origin/) with the object it points at */
  refTips(prefix: string): Promise<Array<{ id: string; ref: string }>>;
  hasObject(id: string): Promise<boolean>;
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  isClean(): Promise<boolean>;
  currentBranch(): Promise<string | null>;
  /** where git looks for hooks (core.hooksPath honoured), absolute */
  hooksPath(): Promise<string>;
  /** "Name <email>" from user.name/user.email, else git's committer ident; CsaeError config when neither */
  operatorIdentity(): Promise<string>;

  // ---- history, batched ----
  revList(include: readonly string[], exclude?: readonly string[], opts?: { topoOrder?: boolean }): Promise<RangeCommitIds[]>;
  updateRange(oldId: string, newId: string): Promise<{ fastForward: boolean; commits: RangeCommitIds[] }>;
  readCommits(ids: readonly string[]): Promise<Map<string, CommitObject>>;
  readCommit(id: string): Promise<CommitObject | null>;
  readBlobs(specs: readonly string[]): Promise<Map<string, Buffer>>;
  /** path -> blob id of every file under `dir` in `commit`'s tree (one listing: thousands of `rev:path` lookups cost a tree walk each) */
  treeBlobs(commit: string, dir: string): Promise<Map<string, string>>;
  readFileAt(rev: string, path: string): Promise<Buffer | null>;
  /**
   * Commits whose message contains `text` (a fixed string, not a pattern), newest first: in the history
   * of `rev` (default HEAD) or of every ref (`all`), at most `max`.
   */
  grepCommits(text: string, o?: { all?: boolean; rev?: string; max?: number }): Promise<string[]>;
  /** `git log --raw` of `spec`, oldest first: each commit with the files it changed */
  logChanges(spec: string): Promise<MirrorCommit[]>;
  /** rev-list --first-parent of `spec`, oldest first */
  firstParents(spec: string): Promise<string[]>;
  /** the first-parent line from `head` back, newest first, stopping at anything reachable from `exclude`; at most `max` */
  walkFirstParents(head: string, o?: { exclude?: readonly string[]; max?: number }): Promise<string[]>;
  countCommits(spec: string): Promise<number>;
  ensureCommitGraph(): Promise<void>;
  firstAdding(rev: string, path: string): Promise<string | null>;
  /** commits (oldest first) of `include ^exclude` that change `path`; firstParent: the first-parent chain only, each commit compared with its first parent */
  pathChanges(include: readonly string[], exclude: readonly string[], path: string, o?: { firstParent?: boolean }): Promise<RangeCommitIds[]>;
  mergeTree(parents: readonly string[]): Promise<string | null>;
  patchIds(ids: readonly string[]): Promise<Map<string, string>>;
  /** the paths `to` changes relative to `from`, with `to`'s blob id there (null: deleted) */
  changedPaths(from: string, to: string): Promise<Array<{ path: string; id: string | null }>>;
  /** the object ids at `paths` in `rev`'s tree; absent paths are absent */
  idsAt(rev: string, paths: readonly string[]): Promise<Map<string, string>>;
  shallowCommits(): Promise<ReadonlySet<string>>;
  /** fetch commits `wants` (full ids) with their whole history from `remote`; git's complaint, or null */
  fetchHistory(remote: string, wants: readonly string[]): Promise<string | null>;

  // ---- other repositories (the audit mirror); errors come back as git's complaint, or null ----
  /** `git init --bare PATH` run here; null when it worked */
  initBare(path: string, o?: { format?: 'sha1' | 'sha256'; branch?: string }): Promise<string | null>;
  /** `git clone --bare URL PATH` run here; null when it worked */
  cloneBare(url: string, path: string): Promise<string | null>;
  /** fetch every branch of `url` into refs named `into` + branch (e.g. refs/remotes/mirror/), pruning */
  /** `transient`: the failure was a lock or a moving ref (another process), worth a retry */
  fetchBranches(url: string, into: string): Promise<{ ok: boolean; transient: boolean; stderr: string }>;
  pushCommit(url: string, commit: string, ref: string): Promise<PushOutcome>;
  updateRef(ref: string, id: string): Promise<void>;

  // ---- writing ----
  commitEmpty(message: string): Promise<string>;
  hashObjects(contents: readonly Buffer[]): Promise<string[]>;
  commitAdding(parent: string | null, files: ReadonlyMap<string, string>, message: string, env: Record<string, string>): Promise<string>;
}
