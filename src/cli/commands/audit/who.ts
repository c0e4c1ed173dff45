// `csae audit who COMMIT`: the auditor's question, answered from the verified index. Reachable without
// yargs (see main.ts), like the hooks, so a warm answer costs little more than node's own start-up:
// fast.ts takes whoHandler alone, and the command below is tree-shaken out of dist/fast.mjs.
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import type { Handler } from '../../run.js';
import { formatChecks } from '../../output.js';
import { who } from '../../../app/audit.js';
import type { WhoAnswer } from '../../../audit/who.js';

const short = (id: string | null | undefined): string => (id ? id.slice(0, 12) : '(root)');
const yesNo = (b: boolean | null | undefined): string => (b === null || b === undefined ? 'n/a' : b ? 'yes' : 'NO');

/** One screen: commit → entry → scope → verdicts → certifier → declared assistance → policy version. */
export function whoText(w: WhoAnswer): string {
  if (!w.entry) return `${w.commit}: NOT covered by any mirrored bundle\n  next: csae bundle retroactive --range ${short(w.commit)}~1..${short(w.commit)} --reason TEXT`;
  const e = w.entry;
  const lines = [
    `${w.commit}`,
    `  covered:      ${w.covered ? 'yes' : 'NO (the entry fails a check, below)'} — ${e.confidence}${e.confidence === 'post-hoc' ? ' (lower confidence)' : ''}`,
    `  entry:        #${e.seq} ${e.kind} ${e.digest}`,
    `  workstream:   ${w.workstream}`,
  ];
  if (w.scope) {
    lines.push(`  intent:       "${w.scope.intent}"`);
    lines.push(`  operator:     ${w.scope.operator} (authorised the work)`);
    lines.push(`  registered:   ${short(w.scope.commit)} at ${w.scope.registeredAt}; before the work: ${yesNo(w.registeredBeforeWork)}`);
  } else lines.push(`  registered:   no intent registration; before the work: ${yesNo(w.registeredBeforeWork)}`);
  if (w.notes) lines.push(`  reason:       ${w.notes.reason}${w.notes.breakSeq ? ` (names the break at entry ${w.notes.breakSeq})` : ''}`);
  if (!w.verdicts?.length) lines.push('  verdicts:     none');
  for (const v of w.verdicts ?? []) {
    const who = v.signer ? `${v.signer} (verified)` : 'UNTRUSTED signer';
    lines.push(`  verdict:      ${v.status} ${v.score}/${v.floor} by ${who}, declared "${v.reviewer}"; ${v.method}, ${v.reviewedAt}`);
    for (const d of v.defects) lines.push(`                defect ${d.id} ${d.severity}: ${d.summary}`);
  }
  lines.push(`  certified by: ${e.identity ?? e.signer} (${e.tier}, key ${e.keyid.slice(0, 16)}) as ${e.author}, ${e.createdAt}`);
  if (w.declaredAssistance.length === 0) lines.push('  assistance:   none declared');
  for (const a of w.declaredAssistance) lines.push(`  assistance:   ${a.agent}${a.model ? ` model ${a.model}` : ''}${a.session ? ` session ${a.session}` : ''} (declared)`);
  lines.push(`  policy:       ${e.policy ? `version ${e.policy.epoch}${e.policy.commit ? ` (${short(e.policy.commit)})` : ''}` : 'the policy in force (single version)'}`);
  if (w.range) lines.push(`  range:        ${short(w.range.base)}..${short(w.range.head)} (${w.range.commits} commits)${w.attestation ? `, attested by ${short(w.attestation.commit)}` : ''}`);
  if (!w.covered) lines.push(formatChecks(e.checks.filter((c) => !c.ok)));
  return lines.join('\n');
}

export const whoHandler: Handler<{ commit: string; sync?: boolean }> = async (a, ctx, out) => {
  const w = await who(ctx, { commit: a.commit, sync: a.sync });
  out.result(w, () => whoText(w));
  return w.covered ? 0 : 1;
};

const command: Command<{ commit: string; sync?: boolean }> = {
  command: 'who <commit>',
  describe: 'Who authorised COMMIT, under which scope, which verdict, and who certified it',
  builder: (a: Argv<any>) => a.positional('commit', { type: 'string', demandOption: true }).option('sync', { type: 'boolean', default: false, describe: 'fetch the mirror first' }).example('csae audit who 3f2a9c1', ''),
  run: whoHandler,
};
export default command;
