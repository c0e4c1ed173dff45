// Check 5 (DESIGN §5): range.commits equals `rev-list head ^base` recomputed from git objects, less the
// commits earlier entries already cover — no hidden and no extra commits. Leaves the recomputed range in
// ctx.ranged for the scope check. A range this repository does not have stops the run (nothing to check).
import type { CheckOutcome } from '../../core/checks.js';
import type { EntryContext } from './context.js';

export async function range(ctx: EntryContext): Promise<CheckOutcome> {
  const { entry: e, env, objs } = ctx;
  const p = e.predicate;
  if (p.kind === 'repair') return { ok: true, detail: 'repair entries cover no commits' };
  if (!objs.has(p.range.head) || (p.range.base && !objs.has(p.range.base))) {
    return { ok: false, stop: true, detail: `range ${p.range.base?.slice(0, 12) ?? '(root)'}..${p.range.head.slice(0, 12)} is not in this repository (fetch it, or it never landed here)` };
  }
  const exclude = [p.range.base, env.cutover].filter((x): x is string => !!x);
  ctx.ranged = (await env.oracle.range(p.range.head, exclude)).filter((c) => {
    const f = env.firstClaim.get(c.id);
    return f === undefined || f >= e.seq;
  });
  const listed = new Set(p.range.commits);
  const want = new Set(ctx.ranged.map((c) => c.id));
  const hidden = [...want].filter((c) => !listed.has(c));
  const extra = p.range.commits.filter((c) => !want.has(c));
  const parts: string[] = [];
  if (hidden.length) parts.push(`${hidden.length} commit(s) in the range are not listed (${hidden.slice(0, 3).map((c) => c.slice(0, 12)).join(', ')})`);
  if (extra.length) parts.push(`${extra.length} listed commit(s) are not in the range (${extra.slice(0, 3).map((c) => c.slice(0, 12)).join(', ')})`);
  return parts.length ? { ok: false, detail: parts.join('; ') } : { ok: true, detail: `${want.size} commit(s)` };
}
