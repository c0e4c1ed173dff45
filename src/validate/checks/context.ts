// What the entry-stage checks (5-9 of DESIGN §5) are given: the entry, the environment it is checked in,
// and what earlier steps read. Each check is a function of this and nothing else: no git of its own.
// The environment is built in one place, entryEnvironment, for every caller (the validator, audit who,
// the publish preflight), so they cannot drift on which policy or which verdict keys an entry is judged by.
import type { CheckOutcome } from '../../core/checks.js';
import type { CommitObject } from '../../git/git.js';
import { GitOracle, type RangeCommit, type RangeOracle } from '../../git/oracle.js';
import type { GitPort } from '../../git/port.js';
import type { VerifiedEntry } from '../../mirror/chain.js';
import { epochPolicy, type EpochPlan } from '../../policy/epochs.js';
import { trustedKeys, type Policy } from '../../policy/policy.js';
import type { TrustedSigner } from '../../sign/signer.js';
import type { VerdictFile } from '../../verdict/verdict.js';

export interface EntryEnv {
  policy: Policy;
  cutover: string | null;
  oracle: RangeOracle;
  /** lowest seq of a chain entry claiming each commit (a Map, or a lookup over the index files) */
  firstClaim: { get(commit: string): number | undefined };
  readCommits(ids: readonly string[]): Promise<Map<string, CommitObject>>;
  loadVerdict(digest: string): Promise<VerdictFile | null>;
  verdictKeys: readonly TrustedSigner[];
}

/** What a caller knows about where an entry is checked; entryEnvironment derives the rest. */
export interface EnvironmentParts {
  /** the policy in force (the trust root's); with `plan` the entry is judged under its own epoch's version */
  policy: Policy;
  plan?: EpochPlan | null;
  /** the entry's epoch in `plan` (VerifiedEntry.epoch); absent: `policy` itself */
  epoch?: number | undefined;
  /** the cutover check 5 excludes (resolved by the caller: explicit, remembered or derived) */
  cutover: string | null;
  firstClaim: EntryEnv['firstClaim'];
  loadVerdict: EntryEnv['loadVerdict'];
  /** default: one `git rev-list` per range */
  oracle?: RangeOracle;
  /** default: one `cat-file --batch` per call */
  readCommits?: EntryEnv['readCommits'];
}

/**
 * The one place the environment of checks 5-9 is built: the entry's epoch policy, and the verdict keys
 * always that same policy's (a verdict is judged by the policy its entry is judged by).
 */
export function entryEnvironment(git: GitPort, p: EnvironmentParts): EntryEnv {
  const policy = epochPolicy(p.plan ?? null, p.epoch, p.policy);
  return {
    policy,
    cutover: p.cutover,
    oracle: p.oracle ?? new GitOracle(git),
    firstClaim: p.firstClaim,
    readCommits: p.readCommits ?? ((ids) => git.readCommits(ids)),
    loadVerdict: p.loadVerdict,
    verdictKeys: trustedKeys(policy, 'verdicts'),
  };
}

export interface EntryContext {
  entry: VerifiedEntry;
  env: EntryEnv;
  /** range.head, range.base and scope.commit, read in one batch before the first check */
  objs: Map<string, CommitObject>;
  /** the range recomputed from git less what earlier entries cover; set by the range check, read by scope */
  ranged: Array<Pick<RangeCommit, 'id' | 'parents'>>;
}

export type EntryCheck = (ctx: EntryContext) => Promise<CheckOutcome>;

export function outcome(problems: string[], passDetail?: string): CheckOutcome {
  return problems.length ? { ok: false, detail: problems.join('; ') } : { ok: true, ...(passDetail ? { detail: passDetail } : {}) };
}
