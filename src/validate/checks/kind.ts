// Check 9 (DESIGN §5): kind-specific rules. Standard entries pass (checks 6-8 were theirs); retroactive,
// abandonment, bypass and repair entries carry no intent or attestation commit (an abandonment may keep
// its scope) and must carry notes.reason; a bypass names the ref it bypasses.
import type { CheckOutcome } from '../../core/checks.js';
import { outcome, type EntryContext } from './context.js';

export async function kind(ctx: EntryContext): Promise<CheckOutcome> {
  const p = ctx.entry.predicate;
  if (p.kind === 'standard') return { ok: true, detail: 'standard' };
  const reason = p.notes?.reason;
  const problems: string[] = [];
  if (p.scope !== null && p.kind !== 'abandonment') problems.push(`${p.kind} entries carry no scope`);
  if (p.selfAttestation !== null) problems.push(`${p.kind} entries have no attestation commit`);
  if (!reason) problems.push(`${p.kind} entries must carry notes.reason`);
  if (p.kind === 'bypass' && !p.range.ref) problems.push('bypass entries must name range.ref');
  return outcome(problems, `${p.kind}: ${reason}`);
}
