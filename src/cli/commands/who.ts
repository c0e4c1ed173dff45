// `csae audit who COMMIT`: the auditor's question, answered from the verified index. Reachable without
// yargs (see main.ts), like the hooks, so a warm answer costs little more than node's own start-up.
import type { Handler } from '../run.js';
import { formatChecks } from '../output.js';
import { who } from '../../app/audit.js';

export const whoHandler: Handler<{ commit: string; sync?: boolean }> = async (a, ctx, out) => {
  const w = await who(ctx, { commit: a.commit, sync: a.sync });
  out.result(w, () => {
    if (!w.entry) return `${w.commit}: NOT covered by any mirrored bundle\n  next: csae bundle retroactive --range ${w.commit.slice(0, 12)}~1..${w.commit.slice(0, 12)} --reason TEXT`;
    const e = w.entry;
    const lines = [
      `${w.commit}`,
      `  covered:      ${w.covered ? 'yes' : 'NO (the entry fails a check, below)'}${e.kind === 'retroactive' ? ' (post-hoc: lower confidence)' : ''}`,
      `  bundle:       entry ${e.seq} (${e.kind}) ${e.digest}`,
      `  certified by: ${e.signer} (${e.tier}) as ${e.author}, ${e.createdAt}`,
      `  workstream:   ${w.workstream}`,
    ];
    if (w.scope) lines.push(`  scope claim:  ${w.scope.commit} registered ${w.scope.registeredAt}`, `                "${w.scope.intent}"`, `  authorised by ${w.scope.operator}`);
    if (w.range) lines.push(`  range:        ${w.range.base?.slice(0, 12) ?? '(root)'}..${w.range.head} (${w.range.commits} commits)`);
    if (w.attestation) lines.push(`  attestation:  ${w.attestation.commit} (${w.attestation.claimDigest})`);
    for (const v of w.verdicts ?? []) {
      lines.push(`  verdict:      ${v.status} ${v.score}/${v.floor} by ${v.signer ?? 'UNTRUSTED signer'} (${v.reviewer}), ${v.method}, ${v.reviewedAt}`);
      for (const d of v.defects) lines.push(`                ${d.id} ${d.severity}: ${d.summary}`);
    }
    if (w.notes) lines.push(`  reason:       ${w.notes.reason}`);
    if (!w.covered) lines.push(formatChecks(e.checks.filter((c) => !c.ok)));
    return lines.join('\n');
  });
  return w.covered ? 0 : 1;
};
