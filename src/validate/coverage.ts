// Coverage (DESIGN §5): a commit is covered iff some entry in the verified part of the chain lists it in
// range.commits and passes checks 5-9 (judged by the caller's `evaluate`, at most once per run); merge commits
// may be accepted by the `mergeCommits: clean` rule.
import type { CheckResult } from '../core/checks.js';
import type { ChainResult, VerifiedEntry } from '../mirror/chain.js';
import type { ChainView } from '../mirror/view.js';
import type { Policy } from '../policy/policy.js';
import type { CommitObject } from '../git/git.js';
import type { EntryEnv } from './checks/index.js';
import { namedEntries, replayLandings, type Landing, type ReplayGit } from './replay.js';

export interface Covered {
  commit: string;
  seq: number | null; // null when accepted by a rule (clean merge)
  kind: string;
  rule?: 'clean-merge' | 'replay';
}

export interface EntryVerdict {
  seq: number;
  kind: string;
  workstream: string;
  ok: boolean;
  checks: CheckResult[];
  /** the verified identity that signed the entry */
  signer?: string;
  /** the commit of the policy version the entry was verified under */
  policy?: string | null;
  /** retroactive entries are post-hoc: accepted at lower confidence, and every output says so */
  confidence?: 'attested' | 'post-hoc' | 'bypass' | 'abandoned' | 'repair';
}

export interface CoverageResult {
  covered: Covered[];
  uncovered: string[];
  entries: EntryVerdict[]; // every entry that was checked, in seq order
  /** squash and rebase landings covered by rewrites: replay */
  landings: Landing[];
}

/** The entries that can cover any of `commits`: their first claimants. */
export function candidates(view: ChainView, commits: readonly string[]): VerifiedEntry[] {
  const seqs = new Set<number>();
  for (const c of commits) {
    const s = view.firstClaim(c);
    if (s !== undefined) seqs.add(s);
  }
  return [...seqs].sort((a, b) => a - b).map((s) => view.entry(s)).filter((e): e is VerifiedEntry => !!e);
}

export interface CoverageInput {
  commits: readonly string[]; // oldest first
  view: ChainView;
  /** how the rules read commit objects (the validator's prefetching reader) */
  readCommits: EntryEnv['readCommits'];
  ref: string | null;
  policy: Policy;
  mergeTree?: (parents: readonly string[]) => Promise<string | null>;
  /** the git operations rewrites: replay needs (absent: no replay landings) */
  replayGit?: ReplayGit;
  /** how an entry is judged: the validator's, under its epoch, remembering what passed before */
  evaluate: (e: VerifiedEntry) => Promise<EntryVerdict>;
  /** re-read entries from the mirror itself (the validator's): what a replay landing rests on is never taken from a cache */
  reread?: (entries: readonly VerifiedEntry[]) => Promise<VerifiedEntry[]>;
}

export async function checkCoverage(inp: CoverageInput): Promise<CoverageResult> {
  const view = inp.view;
  const judged = new Map<number, Promise<EntryVerdict>>();
  const judge = (e: VerifiedEntry): Promise<EntryVerdict> => {
    let v = judged.get(e.seq);
    if (!v) judged.set(e.seq, (v = inp.evaluate(e)));
    return v;
  };
  const covered: Covered[] = [];
  const uncovered: string[] = [];
  const coveredSet = new Set<string>();
  // NOTE: the claim lookup may be read from .git/csae (a claim, not a fact): an entry covers only what
  // its own range.commits lists, whatever the lookup says
  const lists = new Map<number, Set<string>>();
  const listed = (e: VerifiedEntry, c: string): boolean => {
    let s = lists.get(e.seq);
    if (!s) lists.set(e.seq, (s = new Set(e.predicate.range.commits)));
    return s.has(c);
  };
  for (const c of inp.commits) {
    let hit: Covered | null = null;
    // only the first entry listing a commit can cover it: check 5 removes it from every later range
    const seq = view.firstClaim(c);
    const e = seq === undefined ? undefined : view.entry(seq);
    const applies = e && listed(e, c) && e.predicate.kind !== 'repair' && (e.predicate.kind !== 'bypass' || e.predicate.range.ref === inp.ref); // a bypass covers only its ref
    if (e && applies && (await judge(e)).ok) hit = { commit: c, seq: e.seq, kind: e.predicate.kind };
    if (hit) {
      covered.push(hit);
      coveredSet.add(c);
    } else uncovered.push(c);
  }
  // mergeCommits: clean — a merge whose parents are all covered (or already on the ref) and whose tree is
  // exactly what git merges them to.
  if (inp.policy.mergeCommits === 'clean' && uncovered.length && inp.mergeTree) {
    const objs: Map<string, CommitObject> = await inp.readCommits(uncovered);
    const inPush = new Set(inp.commits);
    for (const id of [...uncovered]) {
      const o = objs.get(id);
      if (!o || o.parents.length < 2) continue;
      const parentsOk = o.parents.every((p) => coveredSet.has(p) || !inPush.has(p));
      if (!parentsOk) continue;
      const tree = await inp.mergeTree(o.parents);
      if (tree && tree === o.tree) {
        uncovered.splice(uncovered.indexOf(id), 1);
        covered.push({ commit: id, seq: null, kind: 'merge', rule: 'clean-merge' });
        coveredSet.add(id);
      }
    }
  }
  // rewrites: replay — squash and rebase landings bound to the reviewed content (replay.ts)
  let landings: Landing[] = [];
  if (inp.policy.rewrites === 'replay' && uncovered.length && inp.replayGit) {
    const landed = new Set(covered.filter((c) => c.seq !== null).map((c) => c.seq!));
    const entries = async (): Promise<VerifiedEntry[]> => {
      const all = (await view.full()).entries;
      if (!inp.reread) return all;
      // NOTE: the whole-chain view may come from a restored .git/csae: only the entries the uncovered
      // commits' messages name can be tried, and those are re-read (bytes, digest, signature) from the mirror
      const objs = await inp.readCommits(uncovered);
      return inp.reread(namedEntries(uncovered.map((c) => objs.get(c)?.message ?? ''), all));
    };
    landings = await replayLandings({ uncovered, entries, verifies: async (e) => (await judge(e)).ok, landed, git: inp.replayGit });
    for (const l of landings) {
      for (const c of l.commits) {
        uncovered.splice(uncovered.indexOf(c.commit), 1);
        covered.push({ commit: c.commit, seq: l.seq, kind: 'standard', rule: 'replay' });
        coveredSet.add(c.commit);
      }
    }
  }
  const entries = (await Promise.all(judged.values())).sort((a, b) => a.seq - b.seq);
  return { covered, uncovered, entries, landings };
}
