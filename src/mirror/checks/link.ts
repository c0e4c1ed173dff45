// Check 3 (DESIGN §5), "chain": the entry links to the one before it — its file seq follows the last, its
// predicate's seq and path agree, and its predecessor names the previous entry's seq and digest.
// (Append-only history and linearity are checked over the mirror's commits in mirror/chain.ts.)
import type { CheckOutcome } from '../../core/checks.js';
import { canonicalize } from '../../core/jcs.js';
import { entryPath } from '../layout.js';
import type { ChainStepContext } from './context.js';

export function chain(ctx: ChainStepContext): CheckOutcome {
  const { seq, path, st } = ctx;
  const p = ctx.statement!.predicate;
  const wantPred = st.lastSeq === 0 ? null : { seq: st.lastSeq, digest: st.lastDigest! };
  const problems: string[] = [];
  if (seq !== st.lastSeq + 1) problems.push(`file seq ${seq} follows ${st.lastSeq}`);
  if (p.seq !== seq) problems.push(`predicate seq ${p.seq} differs from its path ${entryPath(seq)}`);
  if (path !== entryPath(seq)) problems.push(`path ${path} should be ${entryPath(seq)}`);
  if (canonicalize(p.predecessor) !== canonicalize(wantPred)) problems.push(`predecessor ${JSON.stringify(p.predecessor)} should be ${JSON.stringify(wantPred)}`);
  return problems.length ? { ok: false, detail: problems.join('; ') } : { ok: true };
}
