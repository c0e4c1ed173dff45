// Read access to a verified chain, as the validator and the ceremony's writers need it: who first lists a
// commit, an entry by seq, a verdict's blob, and the chain's tip. Two implementations answer identically:
// one over an in-memory ChainResult, one over the verified index's files (src/state/verified-index.ts),
// so that a push of ten commits or a publish reads a few records instead of the whole index.
import type { IndexHead, IndexLookup } from '../state/verified-index.js';
import type { ChainProblem, ChainResult, VerifiedEntry, VoidedEntry } from './chain.js';
import { firstClaims } from './claims.js';

export interface ChainView {
  readonly head: string | null;
  readonly intact: boolean;
  readonly problems: readonly ChainProblem[];
  /** the last seq in the chain (void entries included) and its digest: what the next entry links to */
  readonly lastSeq: number;
  readonly lastDigest: string | null;
  /** the last entry file in the history, verified or not (a repair entry links to it) */
  readonly tip: { seq: number; digest: string } | null;
  readonly voided: readonly VoidedEntry[];
  /** seq of the first verified entry listing `commit` */
  firstClaim(commit: string): number | undefined;
  entry(seq: number): VerifiedEntry | undefined;
  verdictBlob(digest: string): string | undefined;
  /** the entries were verified from the mirror's bytes by this process, not read from .git/csae */
  readonly verifiedHere?: boolean;
  /** the whole chain (diagnoses, rewrites, VSA, checkpoints): loaded on demand */
  full(): Promise<ChainResult>;
}

/** The entry that first lists `commit` (the only one that can cover it), as the view holds it. */
export function firstClaimant(view: Pick<ChainView, 'firstClaim' | 'entry'>, commit: string): VerifiedEntry | undefined {
  const seq = view.firstClaim(commit);
  return seq === undefined ? undefined : view.entry(seq);
}

export function memoryView(chain: ChainResult): ChainView {
  let first: Map<string, number> | null = null;
  const bySeq = new Map(chain.entries.map((e) => [e.seq, e]));
  return {
    head: chain.head,
    intact: chain.intact,
    problems: chain.problems,
    lastSeq: chain.lastSeq,
    lastDigest: chain.lastDigest,
    tip: chain.tip ?? (chain.lastSeq ? { seq: chain.lastSeq, digest: chain.lastDigest! } : null),
    voided: chain.voided ?? [],
    verifiedHere: chain.verifiedHere === true,
    firstClaim: (c) => (first ??= firstClaims(chain.entries)).get(c),
    entry: (seq) => bySeq.get(seq),
    verdictBlob: (d) => (Object.hasOwn(chain.verdicts, d) ? chain.verdicts[d] : undefined),
    full: async () => chain,
  };
}

/** The view over the verified index at `h` (an intact chain: the index only ever holds one). */
export function indexedView(h: IndexHead<VoidedEntry>, lookup: IndexLookup<VerifiedEntry>, full: () => Promise<ChainResult>): ChainView {
  return {
    head: h.head,
    intact: true,
    problems: [],
    lastSeq: h.count,
    lastDigest: h.lastDigest,
    tip: h.count ? { seq: h.count, digest: h.lastDigest! } : null,
    voided: h.voided,
    firstClaim: (c) => lookup.firstClaim(c),
    entry: (seq) => lookup.entry(seq),
    verdictBlob: (d) => lookup.verdictBlob(d),
    full,
  };
}
