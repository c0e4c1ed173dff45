// Check 4 (DESIGN §5): the entry is for the repository the policy names (null: the mirror's own guard
// without a policy checks structure only).
import type { CheckOutcome } from '../../core/checks.js';
import type { ChainStepContext } from './context.js';

export function repository(ctx: ChainStepContext): CheckOutcome {
  const p = ctx.statement!.predicate;
  const want = ctx.o.repository;
  return want === null || p.repository === want ? { ok: true } : { ok: false, detail: `entry is for ${p.repository}, the policy names ${want}` };
}
