// What the entry-stage checks (5-9 of DESIGN §5) are given: the entry, the environment it is checked in,
// and what earlier steps read. Each check is a function of this and nothing else: no git of its own.
import type { CheckOutcome } from '../../core/checks.js';
import type { CommitObject } from '../../git/git.js';
import type { RangeCommit, RangeOracle } from '../../git/oracle.js';
import type { VerifiedEntry } from '../../mirror/chain.js';
import type { Policy } from '../../policy/policy.js';
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
