// rewrites: replay (DESIGN §2.5): attested work landed by a squash or a rebase, under commit ids the
// mirror does not list, bound to the reviewed content:
//   - a rebase is covered only when its commits match the entry's commits one to one, in order, by patch
//     id (empty intent/attestation commits may be kept or dropped), and its final tree is the entry's
//     change replayed onto the landing's parent;
//   - a squash only as one commit whose tree is the entry's change replayed onto its parent;
//   - and in both cases only when that change is not already in the parent (nor the entry's head an
//     ancestor of it), and the entry has not landed before in the same check (an entry covers at most one
//     landing).
// Net-zero runs and fixups match nothing. The same facts answer the diagnosis: an uncovered commit is
// "rebased or squashed after attestation" only when it carries an attested commit's patch or introduces
// an entry's change. Pure over the git operations handed in.
import type { CommitObject } from '../git/git.js';
import type { VerifiedEntry } from '../mirror/chain.js';

/** The git operations replay needs (src/git provides them; see replayGit). */
export interface ReplayGit {
  readCommits(ids: readonly string[]): Promise<Map<string, CommitObject>>;
  /** patch id per commit with a non-empty diff to its first parent */
  patchIds(ids: readonly string[]): Promise<Map<string, string>>;
  /** the tree git writes merging the two commits, or null on conflict */
  mergeTree(parents: readonly string[]): Promise<string | null>;
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  /** paths `to` changes relative to `from`, with `to`'s blob id (null: deleted) */
  changedPaths(from: string, to: string): Promise<Array<{ path: string; id: string | null }>>;
  /** object ids at paths in rev's tree */
  idsAt(rev: string, paths: readonly string[]): Promise<Map<string, string>>;
}

export function replayGit(git: ReplayGit): ReplayGit {
  return {
    readCommits: (ids) => git.readCommits(ids),
    patchIds: (ids) => git.patchIds(ids),
    mergeTree: (p) => git.mergeTree(p),
    isAncestor: (a, d) => git.isAncestor(a, d),
    changedPaths: (f, t) => git.changedPaths(f, t),
    idsAt: (r, p) => git.idsAt(r, p),
  };
}

export interface LandedCommit {
  commit: string;
  /** the attested commit it replays (null for a squash, which replays the whole entry) */
  attested: string | null;
  /** its patch id (null for an empty commit) */
  patchId: string | null;
}

export interface Landing {
  seq: number;
  workstream: string;
  how: 'rebase' | 'squash';
  /** the commit the landing starts on */
  parent: string;
  /** the entry's change replayed onto parent: the landing's final tree */
  tree: string;
  commits: LandedCommit[];
}

export interface ReplayInput {
  /** uncovered commits, oldest first */
  uncovered: readonly string[];
  /** every verified entry of the chain */
  entries: () => Promise<readonly VerifiedEntry[]>;
  /** whether the entry passes checks 5-9 here (its attested commits must be present and verify) */
  verifies: (e: VerifiedEntry) => Promise<boolean>;
  /** entries that already covered commits in this check: each has had its one landing */
  landed: ReadonlySet<number>;
  git: ReplayGit;
}

interface Run {
  commits: CommitObject[];
}

interface Attested {
  present: boolean;
  /** non-empty commits in range order, with their patch ids; null when the range is not linear */
  work: Array<{ id: string; patchId: string }> | null;
  /** messages of the empty (intent, attestation) commits */
  empties: string[];
  patchIds: Set<string>;
}

/** Maximal first-parent runs of single-parent commits (oldest first). */
function linearRuns(ids: readonly string[], objs: ReadonlyMap<string, CommitObject>): Run[] {
  const runs: Run[] = [];
  let cur: Run | null = null;
  for (const id of ids) {
    const o = objs.get(id);
    if (!o || o.parents.length !== 1) {
      cur = null;
      continue;
    }
    const prev = cur?.commits[cur.commits.length - 1];
    if (cur && prev && o.parents[0] === prev.id) cur.commits.push(o);
    else {
      cur = { commits: [o] };
      runs.push(cur);
    }
  }
  return runs;
}

/** Standard entries named by the messages: a claim digest or a workstream id. Only these are tried. */
export function namedEntries(messages: readonly string[], entries: readonly VerifiedEntry[]): VerifiedEntry[] {
  const text = messages.join('\n');
  const digests = new Set(text.match(/sha256:[0-9a-f]{64}/g) ?? []);
  const words = new Set(text.split(/[^a-z0-9._-]+/));
  return entries.filter((e) => e.predicate.kind === 'standard' && ((e.predicate.selfAttestation && digests.has(e.predicate.selfAttestation.claimDigest)) || words.has(e.predicate.workstream)));
}

class AttestedCache {
  private readonly memo = new Map<number, Promise<Attested>>();
  constructor(private readonly git: ReplayGit) {}

  get(e: VerifiedEntry): Promise<Attested> {
    let a = this.memo.get(e.seq);
    if (!a) {
      a = this.load(e);
      this.memo.set(e.seq, a);
    }
    return a;
  }

  private async load(e: VerifiedEntry): Promise<Attested> {
    const ids = e.predicate.range.commits;
    const objs = await this.git.readCommits([...ids, e.predicate.range.head]);
    if (!objs.has(e.predicate.range.head) || ids.some((id) => !objs.has(id))) return { present: false, work: null, empties: [], patchIds: new Set() };
    const pids = await this.git.patchIds(ids);
    const linear = ids.every((id) => objs.get(id)!.parents.length === 1);
    const work: Array<{ id: string; patchId: string }> = [];
    const empties: string[] = [];
    for (const id of ids) {
      const p = pids.get(id);
      if (p) work.push({ id, patchId: p });
      else empties.push(objs.get(id)!.message);
    }
    return { present: true, work: linear ? work : null, empties, patchIds: new Set(pids.values()) };
  }
}

/** Squash and rebase landings among the uncovered commits; each commit and each entry used at most once. */
export async function replayLandings(inp: ReplayInput): Promise<Landing[]> {
  if (inp.uncovered.length === 0) return [];
  const git = inp.git;
  const objs = await git.readCommits(inp.uncovered);
  const runs = linearRuns(inp.uncovered, objs);
  if (runs.length === 0) return [];
  const all = await inp.entries();
  const attested = new AttestedCache(git);
  const used = new Set(inp.landed);
  const landings: Landing[] = [];
  const treeOf = new Map<string, string>();
  const parentTree = async (id: string): Promise<string | null> => {
    if (!treeOf.has(id)) {
      const o = objs.get(id) ?? (await git.readCommits([id])).get(id);
      if (!o) return null;
      treeOf.set(id, o.tree);
    }
    return treeOf.get(id)!;
  };
  /** the entry's change replayed onto parent, when none of it is there yet; else null */
  const replayOnto = async (e: VerifiedEntry, parent: string): Promise<string | null> => {
    const head = e.predicate.range.head;
    const base = e.predicate.range.base;
    if (!base || (await git.isAncestor(head, parent))) return null; // landed before, as itself
    // no file the entry changes may already hold the entry's version in parent (a partial landing:
    // the rest of the change would otherwise pass as a squash of the whole)
    const changes = await git.changedPaths(base, head);
    const there = await git.idsAt(parent, changes.map((c) => c.path));
    if (changes.length === 0 || changes.some((c) => (c.id === null ? !there.has(c.path) : there.get(c.path) === c.id))) return null;
    const tree = await git.mergeTree([parent, head]);
    const before = await parentTree(parent);
    if (!tree || !before || tree === before) return null; // conflict, or the change is already in parent
    return tree;
  };
  const usable = async (e: VerifiedEntry): Promise<boolean> => !used.has(e.seq) && (await inp.verifies(e)) && (await attested.get(e)).present;

  for (const run of runs) {
    const named = namedEntries(
      run.commits.map((c) => c.message),
      all,
    );
    if (named.length === 0) continue;
    const pids = await git.patchIds(run.commits.map((c) => c.id));
    const claimed = new Set<number>(); // run positions
    const rc = run.commits;
    for (let i = 0; i < rc.length; i++) {
      if (claimed.has(i)) continue;
      const c = rc[i]!;
      const pid = pids.get(c.id);
      if (!pid) continue; // an empty commit starts nothing; a rebase may take it along
      let landing: Landing | null = null;
      // a rebase: the entry's work commits, one to one and in order, from here
      for (const e of named) {
        if (used.has(e.seq)) continue;
        const a = await attested.get(e);
        if (!a.present || !a.work || a.work.length === 0 || a.work[0]!.patchId !== pid) continue;
        const m = matchRebase(rc, pids, i, a, claimed);
        if (!m || !(await usable(e))) continue;
        const parent = rc[m.start]!.parents[0]!;
        const tree = await replayOnto(e, parent);
        if (!tree || tree !== rc[m.end - 1]!.tree) continue;
        landing = { seq: e.seq, workstream: e.predicate.workstream, how: 'rebase', parent, tree, commits: m.commits };
        for (let k = m.start; k < m.end; k++) claimed.add(k);
        break;
      }
      // a squash: this one commit is the entry's whole change; its own message names the entry
      if (!landing) {
        for (const e of namedEntries([c.message], all)) {
          if (!(await usable(e))) continue;
          const tree = await replayOnto(e, c.parents[0]!);
          if (!tree || tree !== c.tree) continue;
          landing = { seq: e.seq, workstream: e.predicate.workstream, how: 'squash', parent: c.parents[0]!, tree, commits: [{ commit: c.id, attested: null, patchId: pid }] };
          claimed.add(i);
          break;
        }
      }
      if (landing) {
        used.add(landing.seq);
        landings.push(landing);
      }
    }
  }
  return landings;
}

/**
 * The attested work commits matched one to one, in order, from position `i` of the run; empty commits in
 * between or around must be the entry's own empty commits (same message), each at most once.
 */
function matchRebase(rc: readonly CommitObject[], pids: ReadonlyMap<string, string>, i: number, a: Attested, claimed: ReadonlySet<number>): { start: number; end: number; commits: LandedCommit[] } | null {
  const work = a.work!;
  const empties = [...a.empties];
  const takeEmpty = (c: CommitObject): boolean => {
    const k = empties.indexOf(c.message);
    if (k < 0) return false;
    empties.splice(k, 1);
    return true;
  };
  const commits: LandedCommit[] = [];
  let j = i;
  let w = 0;
  while (w < work.length) {
    const c = rc[j];
    if (!c || claimed.has(j)) return null;
    const pid = pids.get(c.id);
    if (pid) {
      if (pid !== work[w]!.patchId) return null;
      commits.push({ commit: c.id, attested: work[w]!.id, patchId: pid });
      w++;
    } else if (takeEmpty(c)) commits.push({ commit: c.id, attested: null, patchId: null });
    else return null;
    j++;
  }
  // the kept attestation commit after the work, the kept intent commit before it
  while (j < rc.length && !claimed.has(j) && !pids.has(rc[j]!.id) && takeEmpty(rc[j]!)) commits.push({ commit: rc[j++]!.id, attested: null, patchId: null });
  let start = i;
  while (start > 0 && !claimed.has(start - 1) && !pids.has(rc[start - 1]!.id) && takeEmpty(rc[start - 1]!)) commits.unshift({ commit: rc[--start]!.id, attested: null, patchId: null });
  return { start, end: j, commits };
}

export interface RewriteFacts {
  /** uncovered commits that are a rebase or squash of attested work, with the entry */
  rewritten: Map<string, { seq: number; workstream: string; how: 'rebase' | 'squash' }>;
  /** commits that name an entry whose attested commits are not here: it cannot be told */
  unknown: Set<string>;
}

/**
 * For the diagnosis of uncovered commits: which of them really are rewrites of attested work (they carry
 * an attested commit's patch, or introduce an entry's change that their parent lacks). At most `limit`
 * commits are examined; the rest are unknown.
 */
export async function rewriteFacts(inp: { uncovered: readonly string[]; entries: readonly VerifiedEntry[]; git: ReplayGit; limit?: number }): Promise<RewriteFacts> {
  const out: RewriteFacts = { rewritten: new Map(), unknown: new Set() };
  if (inp.uncovered.length === 0) return out;
  const git = inp.git;
  const objs = await git.readCommits(inp.uncovered);
  const attested = new AttestedCache(git);
  let budget = inp.limit ?? 50;
  for (const run of linearRuns(inp.uncovered, objs)) {
    if (budget <= 0) {
      for (const c of run.commits) out.unknown.add(c.id);
      continue;
    }
    const named = namedEntries(
      run.commits.map((c) => c.message),
      inp.entries,
    );
    if (named.length === 0) continue;
    const pids = await git.patchIds(run.commits.map((c) => c.id));
    for (const c of run.commits) {
      if (budget-- <= 0) {
        out.unknown.add(c.id);
        continue;
      }
      const pid = pids.get(c.id);
      for (const e of named) {
        const a = await attested.get(e);
        if (!a.present) {
          out.unknown.add(c.id);
          continue;
        }
        let how: 'rebase' | 'squash' | null = null;
        if (pid ? a.patchIds.has(pid) : a.empties.includes(c.message)) how = 'rebase';
        else if (pid) {
          const head = e.predicate.range.head;
          const parent = c.parents[0]!;
          const before = (await git.readCommits([parent])).get(parent)?.tree;
          const onParent = await git.mergeTree([parent, head]);
          if (before && onParent && onParent !== before && (await git.mergeTree([c.id, head])) === c.tree) how = 'squash';
        }
        if (how) {
          out.rewritten.set(c.id, { seq: e.seq, workstream: e.predicate.workstream, how });
          out.unknown.delete(c.id);
          break;
        }
      }
    }
  }
  return out;
}
