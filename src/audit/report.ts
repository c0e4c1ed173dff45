// A self-contained HTML audit report: the chain, each entry with its scope, verdicts and signer, the
// checkpoints, coverage gaps and stranded intents. No scripts, no external assets.
import { writeFileSync } from 'node:fs';
import { rfc3339 } from '../core/time.js';
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import { auditWalk, type WalkResult } from './audit.js';
import { auditGaps, auditStranded, type GapsResult, type Stranded } from './gaps.js';

/** Walk, gaps and stranded intents rendered into one self-contained HTML file. */
export async function auditReport(ctx: Context, repo: Repo, o: { ref: string; fullRef: string; file: string }): Promise<{ ok: boolean; file: string }> {
  const w = await auditWalk(ctx, repo, { sync: true });
  const g = await auditGaps(ctx, repo, o.ref, o.fullRef);
  const s = await auditStranded(ctx, repo);
  writeFileSync(o.file, renderReport(w, g, s, rfc3339(ctx.now())));
  return { ok: w.ok && g.gaps.length === 0 && g.chainOk, file: o.file };
}

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderReport(w: WalkResult, gaps: GapsResult | null, stranded: Stranded[], generatedAt: string): string {
  const rows = w.entries
    .map(
      (e) =>
        `<tr class="${e.confidence}"><td>${e.seq}</td><td>${esc(e.kind)}</td><td>${esc(e.workstream)}</td><td>${e.commits}</td><td><code>${esc(e.head.slice(0, 12))}</code></td><td>${esc(e.signer)} (${esc(e.tier)}${e.identity ? ` ${esc(e.identity)}` : ''})</td><td>${e.verdicts.map((v) => (v.ok ? `${esc(v.status)} ${v.score}/${v.floor} by ${esc(v.signer)}` : `<b>FAIL</b> ${esc(v.why)}`)).join('<br>') || '—'}</td><td>${esc(e.createdAt)}</td><td>${esc(e.confidence)}</td></tr>`,
    )
    .join('\n');
  const problems = w.problems.map((p) => `<li>${p.seq ? `entry ${p.seq}` : `mirror commit <code>${esc(p.mirrorCommit.slice(0, 12))}</code>`}: ${p.checks.filter((c) => !c.ok).map((c) => `${esc(c.name)}: ${esc(c.detail)}`).join('; ')}</li>`).join('');
  const voided = w.voided.map((v) => `<li>entry ${v.seq} void${v.repairedBy ? `, named by repair entry ${v.repairedBy}` : ''}</li>`).join('');
  const cps = w.checkpoints.map((c) => `<li class="${c.ok ? 'ok' : 'bad'}">${esc(c.path)}: ${c.ok ? 'ok' : 'FAIL'} — ${esc(c.detail)}</li>`).join('');
  const gapRows = gaps ? gaps.gaps.map((g) => `<tr><td><code>${esc(g.commit)}</code></td><td>${esc(g.subject)}</td><td>${esc(g.message)}</td><td><code>${esc(g.next)}</code></td></tr>`).join('\n') : '';
  const strandedRows = stranded.map((s) => `<tr><td>${esc(s.workstream)}</td><td><code>${esc(s.commit.slice(0, 12))}</code></td><td>${esc(s.intent)}</td><td>${esc(s.operator)}</td><td>${esc(s.registeredAt)}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>csae audit report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f23}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}tr.post-hoc{background:#fff8c5}tr.bypass{background:#ffebe9}tr.abandoned,tr.repair{color:#57606a}
.ok{color:#1a7f37}.bad{color:#cf222e;font-weight:600}code{font-size:12px}
</style></head><body>
<h1>csae audit report</h1>
<p>Mirror <code>${esc(w.mirror)}</code> at <code>${esc(w.head ?? '(empty)')}</code>, ${w.entries.length} verified entr${w.entries.length === 1 ? 'y' : 'ies'}.
Chain: <span class="${w.problems.length ? 'bad' : 'ok'}">${w.problems.length ? 'BROKEN' : 'intact'}</span>.
Generated ${esc(generatedAt)} by <code>csae audit report</code>. Verify independently with <code>csae mirror verify</code>.</p>
${problems ? `<h2>Chain problems</h2><ul>${problems}</ul>` : ''}${voided ? `<h2>Named breaks</h2><ul>${voided}</ul>` : ''}
<h2>Entries</h2>
<table><tr><th>seq</th><th>kind</th><th>workstream</th><th>commits</th><th>head</th><th>certified by</th><th>verdicts</th><th>created</th><th>confidence</th></tr>
${rows}
</table>
<h2>Checkpoints</h2>${cps ? `<ul>${cps}</ul>` : '<p>none yet (<code>csae mirror checkpoint</code>)</p>'}
${gaps ? `<h2>Coverage of ${esc(gaps.ref)} (${gaps.commits} commits after the cutover)</h2>
<p>${gaps.gaps.length ? `<span class="bad">${gaps.gaps.length} uncovered</span>` : '<span class="ok">every commit covered</span>'}; ${gaps.postHoc.length} covered post hoc; ${gaps.bypassed.length} bypassed.</p>
${gapRows ? `<table><tr><th>commit</th><th>subject</th><th>diagnosis</th><th>next</th></tr>${gapRows}</table>` : ''}` : ''}
<h2>Stranded intents</h2>
${strandedRows ? `<table><tr><th>workstream</th><th>intent commit</th><th>intent</th><th>operator</th><th>registered</th></tr>${strandedRows}</table>` : '<p class="ok">none</p>'}
</body></html>
`;
}
