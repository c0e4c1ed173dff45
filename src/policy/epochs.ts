// Policy epochs (DESIGN §2.5): the versions of .csae/policy.yaml a protected ref held, oldest first.
// Every entry is judged under the newest version activated by an earlier entry — the first entry listing
// the commit that introduced the version — and the genesis version before any. A version after genesis
// that no entry valid under the epoch before it covers is a trust-root failure (see validate/trust.ts).
// Reads git through the port; everything else is pure.
import { readPolicyHistory, writePolicyHistory } from '../state/policy-history.js';
import { sha256Hex } from '../core/digest.js';
import { canonicalize } from '../core/jcs.js';
import { shallowError } from '../git/git.js';
import type { GitPort as Git } from '../git/port.js';
import { POLICY_PATH, attachTrustMaterial, compromisedKeys, parsePolicyCached, type Policy } from './policy.js';

export interface PolicyVersion {
  /** the commit on the ref's first-parent history that changed the policy (genesis: first added it) */
  commit: string;
  /** null: this commit deleted the file */
  policy: Policy | null;
  digest: string | null;
  /**
   * Listing any of these by an entry activates the version: the commit itself and, for a merge that
   * brought the policy in from another branch, the commit there that wrote the same bytes.
   */
  activatedBy: string[];
}

export interface EpochPlan {
  tip: string;
  versions: PolicyVersion[];
  /** compromised keys named by any version: distrusted from their `since` under every epoch */
  compromised: Array<{ keyid: string; name: string; since: number }>;
  /** identifies the plan (what the verified index of the chain depends on) */
  key: string;
}

/**
 * The policy history of `tip`, or null when its history never had a policy. Throws `shallow-history`
 * (exit 3) when the history is cut (a shallow clone): trust cannot be established from part of it.
 * `cacheDir` lets parsed policies be looked up by content digest (hooks); a replay passes none.
 */
export async function policyHistory(git: Git, tip: string, cacheDir?: string, o: { acceptCut?: boolean } = {}): Promise<EpochPlan | null> {
  const changes = await changesOf(git, tip, cacheDir);
  const blobs = await git.readBlobs(changes.map((c) => `${c.id}:${POLICY_PATH}`));
  const versions: PolicyVersion[] = [];
  const parents = new Map<string, string[]>();
  for (const c of changes) {
    const buf = blobs.get(`${c.id}:${POLICY_PATH}`) ?? null;
    if (!buf && versions.length === 0) continue; // a deletion before any policy: nothing to version
    // trust material a version names (a Sigstore trusted root) is read at that version's own commit
    const policy = buf ? await attachTrustMaterial(parsePolicyCached(buf, `${POLICY_PATH} at ${c.id.slice(0, 12)}`, cacheDir), (path) => git.readFileAt(c.id, path)) : null;
    versions.push({ commit: c.id, policy, digest: buf ? 'sha256:' + sha256Hex(buf) : null, activatedBy: [c.id] });
    parents.set(c.id, c.parents);
  }
  if (versions.length === 0) return null;
  // the genesis must be where the history really starts, not where a shallow clone cuts it (the git
  // port's shallow-history refusal: verify and pre-push deepen and ask again, --no-deepen exits 3).
  // NOTE: the shallow list is read from $GIT_DIR/shallow, no process in a complete clone
  // acceptCut (the client hooks only): a cut is taken as genesis, the trust-on-the-tip of a shallow
  // checkout; the CI replay and pre-receive never accept it
  if (!o.acceptCut && (await git.shallowCommits()).has(versions[0]!.commit)) throw shallowError([versions[0]!.commit]);
  // a version a merge brought in: the side commit that wrote the same bytes activates it too
  for (const v of versions) {
    const ps = parents.get(v.commit) ?? [];
    if (ps.length < 2 || !v.digest) continue;
    const side = await git.pathChanges([v.commit], [ps[0]!], POLICY_PATH);
    const sideBlobs = await git.readBlobs(side.map((x) => `${x.id}:${POLICY_PATH}`));
    for (const x of side.reverse()) {
      const b = sideBlobs.get(`${x.id}:${POLICY_PATH}`);
      if (b && 'sha256:' + sha256Hex(b) === v.digest) {
        v.activatedBy.push(x.id);
        break;
      }
    }
  }
  const compromised = dedupe(versions.flatMap((v) => (v.policy ? compromisedKeys(v.policy) : [])));
  const key = sha256Hex(canonicalize({ v: 1, versions: versions.map((v) => [v.commit, v.digest, v.activatedBy]), compromised }));
  return { tip, versions, compromised, key };
}

/**
 * The first-parent commits of `tip` that change the policy. With `cacheDir`, the list for an ancestor
 * tip is remembered (.git/csae/policy-history.json) and only the commits since it are walked: a whole
 * path-limited history walk costs ~1 s at 100k commits, every push would pay it. The list is a claim
 * about immutable history; a replay (CI) never reads it and walks the whole history itself.
 */
async function changesOf(git: Git, tip: string, cacheDir?: string): Promise<Array<{ id: string; parents: string[] }>> {
  if (!cacheDir) return git.pathChanges([tip], [], POLICY_PATH, { firstParent: true });
  const known = readPolicyHistory(cacheDir);
  if (known && known.tip === tip) return known.changes;
  let changes: Array<{ id: string; parents: string[] } > | null = null;
  if (known && (await git.hasObject(known.tip)) && (await git.isAncestor(known.tip, tip)) && (await onFirstParentChain(git, tip, known.tip))) {
    const more = await git.pathChanges([tip], [known.tip], POLICY_PATH, { firstParent: true });
    changes = [...known.changes, ...more];
  }
  changes ??= await git.pathChanges([tip], [], POLICY_PATH, { firstParent: true });
  writePolicyHistory(cacheDir, { tip, changes });
  return changes;
}

/** Does the first-parent chain of `tip` pass through `old`? (Only then do the two histories join.) */
async function onFirstParentChain(git: Git, tip: string, old: string): Promise<boolean> {
  const range = await git.revList([tip], [old], { topoOrder: false });
  const by = new Map(range.map((c) => [c.id, c]));
  let cur = tip;
  for (let i = 0; i <= range.length; i++) {
    if (cur === old) return true;
    const c = by.get(cur);
    if (!c) return false;
    cur = c.parents[0] ?? '';
  }
  return false;
}

function dedupe(list: Array<{ keyid: string; name: string; since: number }>): Array<{ keyid: string; name: string; since: number }> {
  const by = new Map<string, { keyid: string; name: string; since: number }>();
  for (const c of list) {
    const o = by.get(c.keyid);
    if (!o || c.since < o.since) by.set(c.keyid, c);
  }
  return [...by.values()].sort((a, b) => a.keyid.localeCompare(b.keyid));
}

/** The policy an entry was verified under (its epoch), or `fallback` outside an epoch plan. */
export function epochPolicy(plan: EpochPlan | null, epoch: number | undefined, fallback: Policy): Policy {
  if (!plan || epoch === undefined) return fallback;
  return plan.versions[Math.min(epoch, plan.versions.length - 1)]?.policy ?? fallback;
}

/** A single-epoch plan for a policy read outside any ref history (a work tree, a test). */
export function singlePlan(policy: Policy, tip = ''): EpochPlan {
  const digest = 'sha256:' + sha256Hex(canonicalize(policy));
  const compromised = compromisedKeys(policy);
  return { tip, versions: [{ commit: '', policy, digest, activatedBy: [] }], compromised, key: sha256Hex(canonicalize({ v: 1, single: digest })) };
}

/**
 * For commands outside the hooks and the replay (publish, repair, audit): the history of the first
 * protected branch as this clone last fetched it (origin/<branch>), else the local branch, else HEAD.
 */
export async function localTrustRoot(git: Git, policy: Policy, cacheDir?: string): Promise<{ rev: string; plan: EpochPlan } | null> {
  const revs: string[] = [];
  for (const ref of policy.protect) {
    const m = /^refs\/heads\/([^*]+)$/.exec(ref);
    if (m) revs.push(`refs/remotes/origin/${m[1]}`, ref);
  }
  revs.push('HEAD');
  for (const r of revs) {
    const tip = await git.resolveCommit(r);
    if (!tip) continue;
    const plan = await policyHistory(git, tip, cacheDir);
    if (plan) return { rev: r, plan };
  }
  return null;
}
