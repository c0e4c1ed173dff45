// mirror verify|log, audit walk|who
import type { Argv } from 'yargs';
import { action } from '../run.js';
import { formatChecks, paint } from '../output.js';
import type { WalkResult } from '../../audit/audit.js';
import { whoHandler } from './who.js';
import { checkpoint, cosign, gaps, prove, report, stranded, walk } from '../../app/audit.js';

function walkText(w: WalkResult, title: string): string {
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

export function inspectCommands(y: Argv<any>): Argv<any> {
  return y
    .command('mirror', 'The audit mirror: verify it, list it', (m: Argv<any>) =>
      m
        .command(
          'verify',
          'Fetch the mirror and verify every entry from scratch: linear, append-only, seq, predecessor links, signatures, verdict files, checkpoints',
          (a: Argv<any>) => a.option('since', { type: 'string', describe: 'a checkpoint you kept earlier: prove the mirror only grew since' }).example('csae mirror verify --since ~/audit/checkpoint-2026-06', ''),
          action<{ since?: string }>(async (a, ctx, out) => {
            const w = await walk(ctx, { sync: true, since: a.since });
            out.result(w, () => walkText(w, w.ok ? paint(out, 32, 'mirror verifies') : paint(out, 31, 'mirror does NOT verify')));
            return w.ok ? 0 : 1;
          }),
        )
        .command(
          'checkpoint',
          'Sign a checkpoint (C2SP tlog-checkpoint) of the Merkle root over all entries and append it to the mirror',
          (a: Argv<any>) =>
            a
              .option('key', { type: 'string', describe: 'a key trusted for checkpoints (default: the signer csae init recorded)' })
              .option('key-env', { type: 'string' })
              .example('csae mirror checkpoint --key ~/.csae/checkpoints.key', 'sign the Merkle root at the current size; keep the note it prints'),
          action<{ key?: string; keyEnv?: string }>(async (a, ctx, out) => {
            const c = await checkpoint(ctx, a);
            out.result({ ok: true, ...c }, () => c.note);
          }),
        )
        .command(
          'cosign',
          "As a witness, cosign the latest checkpoint (C2SP tlog-cosignature) after proving it consistent with the newest one this witness cosigned before",
          (a: Argv<any>) =>
            a
              .option('key', { type: 'string', demandOption: true, describe: "the witness's own Ed25519 key (trusted with csae policy trust --witnesses)" })
              .option('key-env', { type: 'string' })
              .example('csae mirror cosign --key ~/.csae/witness-a.key', 'refuses with SECURITY ERROR if the mirror forked since its last cosignature'),
          action<{ key?: string; keyEnv?: string }>(async (a, ctx, out) => {
            const c = await cosign(ctx, a);
            out.result({ ok: true, ...c }, () => c.note);
          }),
        )
        .command(
          'prove <what>',
          'Inclusion proof of an entry (by seq, or the entry covering a commit) in the latest checkpoint',
          (a: Argv<any>) => a.positional('what', { type: 'string', demandOption: true, describe: 'entry seq or commit' }).example('csae mirror prove 42', 'by seq').example('csae mirror prove HEAD', 'the entry covering a commit'),
          action<{ what: string }>(async (a, ctx, out) => {
            const p = await prove(ctx, { what: a.what });
            out.result({ ok: true, ...p }, () => `entry ${p.seq} in a tree of ${p.treeSize}\nleaf ${p.leafHash}\nroot ${p.root}\nproof:\n${p.proof.map((x) => '  ' + x).join('\n') || '  (empty)'}${p.checkpoint ? `\ncheckpoint:\n${p.checkpoint}` : '\n(no checkpoint covers it yet: csae mirror checkpoint)'}`);
          }),
        )
        .command(
          'log',
          'List the entries of the local mirror clone (no fetch)',
          (a: Argv<any>) => a.example('csae mirror log', ''),
          action(async (a, ctx, out) => {
            const w = await walk(ctx, { sync: false });
            out.result(w, () => walkText(w, 'mirror'));
            return w.ok ? 0 : 1;
          }),
        )
        .demandCommand(1, 'say which: verify, checkpoint, cosign, prove or log'),
    )
    .command('audit', 'Answer audit questions from the chain', (m: Argv<any>) =>
      m
        .command(
          'walk',
          'Walk and verify the whole chain, entry by entry, with each verdict',
          (a: Argv<any>) => a.option('sync', { type: 'boolean', default: true, describe: 'fetch the mirror first (--no-sync: offline, local clone only)' }).example('csae audit walk --json', 'every entry, its signer, verdicts, void entries, checkpoints'),
          action<{ sync: boolean }>(async (a, ctx, out) => {
            const w = await walk(ctx, { sync: a.sync });
            out.result(w, () => walkText(w, 'audit walk'));
            return w.ok ? 0 : 1;
          }),
        )
        .command(
          'who <commit>',
          'Who authorised COMMIT, under which scope, which verdict, and who certified it',
          (a: Argv<any>) => a.positional('commit', { type: 'string', demandOption: true }).option('sync', { type: 'boolean', default: false, describe: 'fetch the mirror first' }).example('csae audit who 3f2a9c1', ''),
          action(whoHandler),
        )
        .command(
          'gaps',
          'List commits of a ref that no verified bundle covers (and those covered only post hoc or by bypass)',
          (a: Argv<any>) => a.option('ref', { type: 'string', default: 'HEAD', describe: 'the ref to audit, e.g. origin/main' }).example('csae audit gaps --ref origin/main', 'commits = attested + post hoc + bypassed + uncovered'),
          action<{ ref: string }>(async (a, ctx, out) => {
            const g = await gaps(ctx, { ref: a.ref });
            out.result(g, () =>
              [
                `${g.ref} @ ${g.tip.slice(0, 12)}: ${g.commits} commit(s) after the cutover = ${g.attested} attested + ${g.postHoc.length} post hoc + ${g.bypassed.length} bypassed + ${g.gaps.length} uncovered${g.chainOk ? '' : ' (chain BROKEN: csae mirror verify)'}`,
                ...g.gaps.map((d) => `  gap       ${d.commit.slice(0, 12)} ${d.subject}\n            ${d.message}\n            next: ${d.next}`),
                ...g.postHoc.map((p) => `  post-hoc  ${p.commit.slice(0, 12)} entry ${p.seq} (${p.workstream})`),
                ...g.bypassed.map((p) => `  bypassed  ${p.commit.slice(0, 12)} entry ${p.seq}`),
              ].join('\n'),
            );
            return g.gaps.length || !g.chainOk ? 1 : 0;
          }),
        )
        .command(
          'stranded',
          'List intent registrations on any ref that no mirrored entry covers (close them: csae bundle abandon)',
          (a: Argv<any>) => a.example('csae audit stranded', ''),
          action(async (_a, ctx, out) => {
            const s = await stranded(ctx);
            out.result({ ok: true, stranded: s }, () => (s.length ? s.map((x) => `${x.workstream}  ${x.commit.slice(0, 12)}  ${x.registeredAt}  ${x.operator}  ${x.intent}\n  next: csae bundle author --workstream ${x.workstream}, or csae bundle abandon --workstream ${x.workstream} --reason TEXT`).join('\n') : 'no stranded intents'));
          }),
        )
        .command(
          'report',
          'Write one self-contained HTML page that re-verifies the mirror in the browser: coverage of the protected refs, search (commit, workstream, person, agent), entries with scope, verdicts, signers, policy version and declared assistance',
          (a: Argv<any>) =>
            a
              .option('html', { type: 'string', demandOption: true, describe: 'output file' })
              .option('ref', { type: 'string', array: true, describe: 'a ref whose coverage to report (repeatable; default: the protected refs, as origin has them)' })
              .option('sync', { type: 'boolean', default: true, describe: 'fetch the mirror first (--no-sync: the local clone only)' })
              .example('csae audit report --html audit.html', 'open audit.html in a browser: it verifies itself, offline')
              .example('csae audit report --html audit.html --ref origin/main --ref origin/release', ''),
          action<{ html: string; ref?: string[]; sync: boolean }>(async (a, ctx, out) => {
            const r = await report(ctx, { html: a.html, refs: a.ref, sync: a.sync });
            out.result(r, () => `wrote ${r.file} (${r.entries} entries, ${(r.bytes / 1e6).toFixed(1)} MB, coverage of ${r.refs.join(', ') || 'no protected ref'})${r.ok ? '' : `: the audit found problems${r.uncovered ? ` (${r.uncovered} uncovered commit(s))` : ''}, see the report`}`);
            return r.ok ? 0 : 1;
          }),
        )
        .demandCommand(1, 'say which: walk, who, gaps, stranded or report'),
    );
}
