// The human text of a mirror walk (csae mirror verify, mirror log, audit walk): each entry with its signer
// and verdicts, checkpoints, void entries, and chain problems with the next step.
import { formatChecks } from './output.js';
import type { WalkResult } from '../audit/audit.js';

export function walkText(w: WalkResult, title: string): string {
  const lines = [`${title}: ${w.mirror} @ ${w.head?.slice(0, 12) ?? '(empty)'} — ${w.entries.length} entr${w.entries.length === 1 ? 'y' : 'ies'}, chain ${w.problems.length ? 'BROKEN' : 'intact'}`];
  for (const e of w.entries) {
    const v = e.verdicts.map((x) => (x.ok ? `${x.status} ${x.score}/${x.floor} by ${x.signer}` : `verdict FAIL: ${x.why}`)).join('; ') || 'no verdict';
    lines.push(`  ${String(e.seq).padStart(6)} ${e.kind.padEnd(11)} ${e.workstream.padEnd(24)} ${String(e.commits).padStart(4)} commit(s)  signed by ${e.identity ?? e.signer} (${e.tier})  ${v}${e.confidence === 'post-hoc' ? '  [post-hoc: lower confidence]' : ''}${e.policy ? `  policy v${e.policy.epoch}` : ''}`);
    for (const a of e.declaredAssistance) lines.push(`         declared assistance: ${a.agent}${a.model ? ` model ${a.model}` : ''}${a.session ? ` session ${a.session}` : ''} on ${a.commits.length} commit(s)`);
  }
  for (const c of w.checkpoints) lines.push(`  checkpoint ${c.path}: ${c.ok ? 'ok' : 'FAIL'} ${c.detail}`);
  for (const v of w.voided) lines.push(`  ${String(v.seq).padStart(6)} VOID        ${v.repairedBy ? `named as a break by repair entry ${v.repairedBy}` : 'not yet named by a repair entry'}; covers nothing (${v.checks.find((c) => !c.ok)?.detail ?? ''})`);
  const open = w.voided.filter((v) => v.repairedBy === undefined);
  if (open.length) lines.push(`  next: csae chain repair --break ${open[0]!.seq} --reason TEXT   (acknowledge each void entry; its commits are uncovered: csae audit gaps)`);
  for (const p of w.problems) lines.push(`  problem at ${p.seq ? `entry ${p.seq}` : `mirror commit ${p.mirrorCommit.slice(0, 12)}`}:\n${formatChecks(p.checks.filter((c) => !c.ok))}`);
  if (w.problems.length) lines.push('  next: find who rewrote the mirror (git log in the mirror); a kept checkpoint proves what it held');
  return lines.join('\n');
}
