// `csae audit report --html FILE`: one self-contained page that verifies itself. The evidence
// (evidence.ts) is embedded as JSON; the page's script (browser/app.ts + verify.ts with @noble/hashes and
// @noble/curves, bundled by scripts/build-report.mjs into dist/report-app.js) re-verifies it when opened
// and sets data-csae-verified="true|false" on <body>. No network: a Content-Security-Policy forbids
// every fetch, and nothing is loaded from outside the file.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CsaeError } from '../core/errors.js';
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import type { Policy } from '../policy/policy.js';
import { PKG_ROOT } from '../paths.js';
import { collectEvidence } from './evidence.js';
import type { ReportData } from './browser/verify.js';

export const REPORT_APP = join(PKG_ROOT, 'dist', 'report-app.js');

function reportApp(): string {
  try {
    return readFileSync(REPORT_APP, 'utf8');
  } catch {
    throw new CsaeError('io', `the report's verifier script is missing (${REPORT_APP})`, { next: 'npm run build (it bundles the page script with esbuild)' });
  }
}

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `
:root{--ok:#1a7f37;--bad:#cf222e;--muted:#57606a;--line:#d0d7de}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:.8rem 1.5rem}header h1{margin:0;font-size:1.2rem}header .meta{color:#d0d7de;font-size:12px}
main{max-width:1100px;margin:0 auto;padding:1rem 1.5rem}h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
.result{border-radius:8px;padding:1rem 1.2rem;margin:1rem 0;border:2px solid var(--line);background:#fff}
.result.ok{border-color:var(--ok);background:#dafbe1}.result.bad{border-color:var(--bad);background:#ffebe9}.result.wait{border-color:#9a6700;background:#fff8c5}
.big{font-size:1.15rem;font-weight:600}.result progress{width:100%}
.cov{border-radius:8px;padding:.7rem 1rem;margin:.5rem 0;background:#fff;border:2px solid var(--line)}
.cov-red{border-color:var(--bad);background:#ffebe9}.cov-green{border-color:var(--ok)}.cov-bad{color:var(--bad);font-weight:600;margin-top:.4rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0;background:#fff}td,th{border:1px solid var(--line);padding:.25rem .45rem;text-align:left;vertical-align:top}th{background:#f6f8fa}
.search input{width:100%;font-size:15px;padding:.5rem .7rem;border:1px solid var(--line);border-radius:6px}
.card{background:#fff;border:1px solid var(--line);border-left:5px solid #2da44e;border-radius:6px;padding:.5rem .8rem;margin:.5rem 0}
.card.kind-retroactive{border-left-color:#d4a72c}.card.kind-bypass{border-left-color:var(--bad)}.card.kind-abandonment{border-left-color:#8c959f}.card.kind-repair{border-left-color:#8250df}.card.kind-uncovered{border-left-color:var(--bad);background:#fff5f5}
.card-head{margin-bottom:.2rem}.row{display:flex;gap:.6rem}.row .k{flex:0 0 7.5rem;color:var(--muted)}.row .v{flex:1;overflow-wrap:anywhere}
.ws{font-family:ui-monospace,monospace;background:#eaeef2;border-radius:4px;padding:0 .3rem}
.badge{font-size:12px;border-radius:10px;padding:.05rem .5rem;margin-left:.3rem}.badge.ok{background:#dafbe1;color:var(--ok)}.badge.bad{background:#ffebe9;color:var(--bad)}.badge.void{background:#fbefff;color:#8250df}.badge.wait{background:#fff8c5}
.declared{font-size:11px;text-transform:uppercase;letter-spacing:.04em;background:#ddf4ff;color:#0969da;border-radius:4px;padding:0 .3rem}
.sev{font-size:11px;border-radius:4px;padding:0 .3rem;background:#eaeef2}.sev-critical,.sev-major{background:#ffebe9;color:var(--bad)}
.ok{color:var(--ok)}.bad{color:var(--bad)}.muted{color:var(--muted)}.small{font-size:12px}.repair{color:#8250df}
canvas{display:block;background:#fff;border:1px solid var(--line);border-radius:4px;cursor:pointer}
.legend span{display:inline-block;margin-right:.8rem;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:.3rem;vertical-align:middle}
.pager{margin:.5rem 0}.pager button{font-size:13px}code{font-size:12px}ul.failures{margin:.4rem 0 0 1rem;padding:0}
`;

const jsonText = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

/**
 * The page around the evidence: everything before and after the JSON of the data script. The evidence is
 * written between them piece by piece (writeReport), so a 10,000-entry report is never one giant string.
 * Every "<" in the JSON is escaped, so no text in it can close the script.
 */
export function reportShell(data: Pick<ReportData, 'repository'>, app: string): { head: string; tail: string } {
  const js = app.replace(/<\/(script)/gi, '<\\/$1');
  const head = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>csae audit report — ${esc(data.repository)}</title>
<style>${CSS}</style></head>
<body data-csae-verified="pending">
<header><h1>csae audit report</h1><div class="meta" id="meta">${esc(data.repository)}</div></header>
<main>
<div id="result" class="result wait"><div class="big">This report verifies itself: it needs JavaScript (no network is used).</div></div>
<section id="coverage"></section>
<section class="search"><h2>Who approved it?</h2><input id="q" type="search" placeholder="commit id, workstream, person or agent" autocomplete="off" spellcheck="false"><div id="answers"></div></section>
<section><h2>Timeline of the chain</h2><canvas id="timeline" height="40"></canvas>
<div class="legend"><span><i style="background:#2da44e"></i>standard</span><span><i style="background:#d4a72c"></i>retroactive</span><span><i style="background:#cf222e"></i>bypass or break</span><span><i style="background:#8c959f"></i>abandonment</span><span><i style="background:#8250df"></i>repair</span></div>
<ul id="marks"></ul></section>
<section><h2>Entries (newest first)</h2><div id="entries"></div></section>
<section id="checkpoints"></section>
<section id="stranded"></section>
<p class="muted small">Verify independently: <code>csae mirror verify</code>, <code>csae verify --ref REF</code>. Declared assistance is what the commits say; csae reports it and never checks it.</p>
</main>
<script type="application/json" id="csae-data">`;
  const tail = `</script>
<script>${js}</script>
</body></html>
`;
  return { head, tail };
}

/** The evidence's JSON in pieces: the small fields at once, then one entry and one verdict at a time. */
export function* evidenceJson(data: ReportData): Generator<string> {
  const { entries, verdicts, ...rest } = data;
  yield jsonText(rest).slice(0, -1) + ',"entries":[';
  for (let i = 0; i < entries.length; i++) yield (i ? ',' : '') + jsonText(entries[i]);
  yield '],"verdicts":{';
  let i = 0;
  for (const [k, v] of Object.entries(verdicts)) yield (i++ ? ',' : '') + jsonText(k) + ':' + jsonText(v);
  yield '}}';
}

/** The whole page as one string (tests and small reports). */
export function renderReport(data: ReportData, app: string): string {
  const { head, tail } = reportShell(data, app);
  return head + [...evidenceJson(data)].join('') + tail;
}

/** Write the page to `file` piece by piece; returns its size in bytes. */
export function writeReport(file: string, data: ReportData, app: string): number {
  const { head, tail } = reportShell(data, app);
  const fd = openSync(file, 'w');
  let bytes = 0;
  const buf: string[] = [];
  let pending = 0;
  const flush = (): void => {
    const b = Buffer.from(buf.join(''), 'utf8');
    writeSync(fd, b);
    bytes += b.length;
    buf.length = 0;
    pending = 0;
  };
  try {
    for (const part of [head, ...evidenceJson(data), tail]) {
      buf.push(part);
      pending += part.length;
      if (pending > 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return bytes;
}

export interface ReportResult {
  ok: boolean;
  file: string;
  entries: number;
  bytes: number;
  uncovered: number;
  refs: string[];
}

/** Collect the evidence and write the page. `ok` is csae's own verdict: chain intact and every ref covered. */
export async function auditReport(ctx: Context, repo: Repo, policy: Policy, o: { file: string; refs?: Array<{ rev: string; ref: string }>; sync?: boolean }): Promise<ReportResult> {
  const data = await collectEvidence(ctx, repo, policy, { ...(o.refs ? { refs: o.refs } : {}), sync: o.sync ?? true });
  const bytes = writeReport(o.file, data, reportApp());
  const uncovered = data.coverage.reduce((n, c) => n + c.uncovered.length, 0);
  const chainOk = data.chainProblems.length === 0 && data.entries.every((e) => e.csae.status === 'verified' || (e.csae.status === 'void' && e.csae.repairedBy));
  const ok = chainOk && uncovered === 0 && data.coverage.every((c) => c.chainOk && c.failing.length === 0);
  return { ok, file: o.file, entries: data.entries.length, bytes, uncovered, refs: data.coverage.map((c) => c.ref) };
}
