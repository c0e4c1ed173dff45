// Check 6 (DESIGN §5), standard entries only: A0 is an intent registration commit for the workstream, with
// the entry's intent, operator and time, whose parent is range.base and whose tree is its parent's; A0 is
// in range.commits, and every commit of the range descends from A0 (no work before intent registration).
import type { CheckOutcome } from '../../core/checks.js';
import { parseIntentCommit } from '../../intent/intent.js';
import { outcome, type EntryContext } from './context.js';

export async function scope(ctx: EntryContext): Promise<CheckOutcome> {
  const { entry: e, env, objs, ranged } = ctx;
  const p = e.predicate;
  if (p.kind !== 'standard') return { ok: true, detail: `n/a for ${p.kind}` };
  const a0 = p.scope?.commit;
  const c = a0 ? objs.get(a0) : undefined;
  const problems: string[] = [];
  if (!p.scope || !c) return outcome(['the scope commit is missing']);
  const intent = parseIntentCommit(c);
  if (!intent) problems.push(`${a0!.slice(0, 12)} is not an intent registration commit`);
  else {
    if (intent.workstream !== p.workstream) problems.push(`intent is for ${intent.workstream}, the entry for ${p.workstream}`);
    if (intent.intent !== p.scope.intent) problems.push('the intent text differs from the registration commit');
    if (intent.operator !== p.scope.operator) problems.push('the operator differs from the registration commit');
    if (intent.registeredAt !== p.scope.registeredAt) problems.push('registeredAt differs from the registration commit');
  }
  if (c.parents.length !== 1 || c.parents[0] !== p.range.base) problems.push(`the intent commit's parent is not the range base ${p.range.base?.slice(0, 12)}`);
  else {
    const parent = objs.get(p.range.base!);
    if (!parent || parent.tree !== c.tree) problems.push('the intent commit changes files (its tree differs from its parent)');
  }
  if (!p.range.commits.includes(a0!)) problems.push('the intent commit is not in range.commits');
  // every commit descends from A0: walk parents-before-children
  const desc = new Set<string>([a0!]);
  for (const rc of ranged) if (rc.parents.some((x) => desc.has(x))) desc.add(rc.id);
  let strays = ranged.filter((rc) => !desc.has(rc.id));
  // a commit may descend from A0 only through commits earlier entries cover (work re-attested on top of
  // attested work): ask git for those few
  if (strays.length && p.range.base) {
    const kept = [];
    for (const s of strays) if (!(await env.oracle.range(s.id, [p.range.base])).some((x) => x.id === a0)) kept.push(s);
    strays = kept;
  }
  if (strays.length) problems.push(`${strays.length} commit(s) do not descend from the intent commit (${strays.slice(0, 3).map((s) => s.id.slice(0, 12)).join(', ')}): work before intent registration`);
  return outcome(problems, `${p.workstream} registered at ${a0!.slice(0, 12)}`);
}
