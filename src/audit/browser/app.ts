// The report page: reads the embedded evidence, re-verifies it (verify.ts), and renders what an auditor
// needs — the result first, coverage of each protected ref, a search that answers like `csae audit who`,
// a timeline of the chain with breaks and repairs, and the entries, paged. Every value from the evidence
// is inserted as text (never as HTML). Bundled by esbuild (scripts/build-report.mjs) into the page.
import { verifyReport, type EntryResult, type ReportData, type Verification } from './verify.js';

type Child = Node | string | null | undefined | false;

function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

const short = (id: string | null | undefined): string => (id ? id.slice(0, 12) : '(root)');
const CONFIDENCE: Record<string, string> = { standard: 'attested', retroactive: 'post-hoc', bypass: 'bypass', abandonment: 'abandoned', repair: 'repair' };
const PAGE = 50;
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

interface Model {
  d: ReportData;
  v: Verification | null;
  firstClaim: Map<string, number>;
  failing: Map<number, Array<{ name: string; ok: boolean; detail?: string }>>;
  page: number;
}

function byId(id: string): HTMLElement {
  return document.getElementById(id)!;
}

function entryOf(m: Model, seq: number): EntryResult | undefined {
  return m.v?.entries[seq - 1];
}

function statusBadge(r: EntryResult | undefined, csaeStatus: string): HTMLElement {
  if (!r) return h('span', { class: 'badge wait' }, 'verifying…');
  if (r.acknowledged) return h('span', { class: 'badge void', title: 'a break the chain names in a repair entry' }, 'void (repaired break)');
  if (csaeStatus === 'problem' || csaeStatus === 'unverified') return h('span', { class: 'badge bad' }, csaeStatus === 'problem' ? 'BREAK' : 'after a break');
  return r.ok ? h('span', { class: 'badge ok' }, '✓ verified here') : h('span', { class: 'badge bad', title: r.failures.map((f) => `${f.check}: ${f.detail}`).join('\n') }, `✗ ${r.failures[0]?.check ?? 'failed'}`);
}

/** One entry, as an auditor reads it: scope, verdicts, certifier, assistance, policy version. */
function entryCard(m: Model, seq: number, commit?: string): HTMLElement {
  const data = m.d.entries[seq - 1]!;
  const r = entryOf(m, seq);
  const st = r?.statement;
  const p = st?.predicate;
  const card = h('div', { class: `card kind-${p?.kind ?? 'unknown'}`, 'data-seq': String(seq) });
  const head = h('div', { class: 'card-head' }, h('b', {}, `#${seq} ${p?.kind ?? '?'}`), ' ', h('span', { class: 'muted' }, p ? CONFIDENCE[p.kind] ?? p.kind : ''), ' ', p ? h('span', { class: 'ws' }, p.workstream) : null, ' ', statusBadge(r, data.csae.status));
  card.append(head);
  if (commit) card.append(h('div', { class: 'row' }, h('span', { class: 'k' }, 'commit'), h('code', {}, commit)));
  if (!p) {
    card.append(h('div', { class: 'row bad' }, data.text === null ? 'the mirror has no file for this entry' : 'the entry could not be read'));
    return card;
  }
  const row = (k: string, ...v: Child[]): void => {
    card.append(h('div', { class: 'row' }, h('span', { class: 'k' }, k), h('span', { class: 'v' }, ...v)));
  };
  if (p.scope) {
    row('intent', `“${p.scope.intent}”`);
    row('operator', p.scope.operator);
    const failed = m.failing.get(seq)?.find((c) => c.name === 'scope' && !c.ok);
    const before = p.kind === 'standard' ? (failed ? 'NO' : 'yes') : 'n/a';
    row('registered', `${short(p.scope.commit)} at ${p.scope.registeredAt}; before the work: `, h('b', { class: before === 'NO' ? 'bad' : '' }, before));
  } else if (p.kind === 'retroactive' || p.kind === 'bypass') row('registered', 'no intent registration; before the work: ', h('b', { class: 'bad' }, 'NO'));
  if (p.notes) row(p.kind === 'repair' ? 'repair' : 'reason', p.notes.reason, p.notes.breakSeq ? ` (names the break at entry ${p.notes.breakSeq})` : '');
  if (p.range.ref) row('ref', p.range.ref);
  if (!p.verdicts.length) row('verdicts', h('span', { class: 'muted' }, 'none'));
  for (const ref of p.verdicts) {
    const vr = m.v?.verdicts[ref.digest];
    const vp = vr?.predicate;
    const ok = vr?.ok;
    const who = vr?.signer ? `${vr.signer} (verified)` : 'no trusted signature';
    row('verdict', h('b', { class: ref.status === 'pass' && ok ? 'ok' : 'bad' }, `${ref.status} ${ref.score}/${ref.floor}`), ` by ${who}; declared “${ref.reviewer}”${vp ? `; ${vp.method}, ${vp.reviewedAt}` : ''}`);
    for (const d of vp?.defects ?? []) row('', h('span', { class: `sev sev-${d.severity}` }, d.severity), ` ${d.id}: ${d.summary}`);
  }
  const signer = r?.signer ? `${data.csae.identity ?? r.signer.name} (${r.signer.tier})` : data.csae.signer ? `${data.csae.signer} (${data.csae.tier ?? '?'}, per csae)` : 'no trusted signer';
  row('certified by', signer, ` as ${p.author}, ${p.createdAt}`);
  const assist = (p.assistance ?? []).filter((a) => !commit || a.commits.includes(commit));
  if (assist.length === 0) row('assistance', h('span', { class: 'muted' }, 'none declared'));
  for (const a of assist) row('assistance', h('span', { class: 'declared' }, 'declared'), ` ${a.agent}${a.model ? ` · model ${a.model}` : ''}${a.session ? ` · session ${a.session}` : ''}${commit ? '' : ` · ${a.commits.length} commit(s)`}`);
  const pol = m.d.policies[Math.min(data.csae.policy, m.d.policies.length - 1)];
  row('policy', pol && (m.d.policies.length > 1 || pol.commit) ? `version ${pol.epoch}${pol.commit ? ` (${short(pol.commit)})` : ''}` : 'the policy in force (one version)');
  row('range', `${short(p.range.base)}..${short(p.range.head)} · ${p.range.commits.length} commit(s)${p.selfAttestation ? ` · attested by ${short(p.selfAttestation.commit)}` : ''}`);
  for (const c of m.failing.get(seq) ?? []) if (!c.ok) row('check (csae)', h('span', { class: 'bad' }, `${c.name}: ${c.detail ?? ''}`));
  for (const f of r?.failures ?? []) if (!r?.acknowledged) row('check (here)', h('span', { class: 'bad' }, `${f.check}: ${f.detail}`));
  return card;
}

function renderBanner(m: Model, progress?: [number, number]): void {
  const b = byId('result');
  b.replaceChildren();
  const gaps = m.d.coverage.reduce((n, c) => n + c.uncovered.length, 0);
  if (!m.v) {
    b.className = 'result wait';
    b.append(h('div', { class: 'big' }, `Verifying ${m.d.entries.length} entries in this browser…`));
    if (progress) b.append(h('progress', { max: String(progress[1]), value: String(progress[0]) }));
    return;
  }
  const v = m.v;
  b.className = `result ${v.ok && !gaps ? 'ok' : 'bad'}`;
  if (gaps) b.append(h('div', { class: 'big bad' }, `✗ Coverage: ${gaps} commit(s) on protected refs are not covered (below).`));
  b.append(h('div', { class: 'big' }, v.ok ? '✓ The evidence verifies in this browser' : '✗ The evidence does NOT verify'));
  b.append(
    h(
      'div',
      {},
      `${plural(m.d.entries.length, 'entry', 'entries')}, ${plural(Object.keys(m.d.verdicts).length, 'verdict', 'verdicts')}, ${plural(v.checkpoints.length, 'checkpoint', 'checkpoints')}: entry digests (JCS bytes), predecessor links, signatures, verdicts and Merkle roots re-checked with ${v.engine}.`,
      v.keyless.length ? ` ${v.keyless.length} keyless entr${v.keyless.length === 1 ? 'y' : 'ies'}: the certificate chain was checked by csae when the report was made.` : '',
    ),
  );
  if (!v.ok) {
    const ul = h('ul', { class: 'failures' });
    for (const f of v.failures.slice(0, 20)) ul.append(h('li', {}, h('b', {}, f.where), ` — ${f.check}: ${f.detail}`));
    if (v.failures.length > 20) ul.append(h('li', {}, `… and ${v.failures.length - 20} more`));
    b.append(ul);
  }
}

function renderCoverage(m: Model): void {
  const s = byId('coverage');
  s.replaceChildren(h('h2', {}, 'Coverage of the protected refs'));
  if (m.d.coverage.length === 0) s.append(h('p', { class: 'muted' }, 'no protected ref found in this clone'));
  for (const c of m.d.coverage) {
    const bad = c.uncovered.length > 0 || !c.chainOk || c.failing.length > 0;
    const box = h('div', { class: `cov ${bad ? 'cov-red' : 'cov-green'}`, 'data-ref': c.ref });
    box.append(h('div', { class: 'big' }, `${bad ? '✗' : '✓'} ${c.ref} @ ${short(c.tip)}: ${c.commits} commit(s) after the cutover, ${c.uncovered.length} uncovered, ${c.postHoc.length} post hoc, ${c.bypassed.length} bypassed${c.chainOk ? '' : ' — chain BROKEN'}`));
    if (c.uncovered.length) {
      const t = h('table', {}, h('tr', {}, h('th', {}, 'commit'), h('th', {}, 'subject'), h('th', {}, 'diagnosis'), h('th', {}, 'next')));
      for (const u of c.uncovered.slice(0, 200)) t.append(h('tr', { class: 'uncovered' }, h('td', {}, h('code', {}, u.commit)), h('td', {}, u.subject ?? ''), h('td', {}, u.message), h('td', {}, h('code', {}, u.next))));
      box.append(t);
      if (c.uncovered.length > 200) box.append(h('p', {}, `… ${c.uncovered.length - 200} more (csae audit gaps --ref ${c.ref})`));
    }
    for (const f of c.failing) box.append(h('div', { class: 'bad' }, `entry ${f.seq} fails: ${f.checks.filter((x) => !x.ok).map((x) => `${x.name}: ${x.detail ?? ''}`).join('; ')}`));
    box.append(h('div', { class: 'muted small' }, 'computed by csae from the repository when the report was made (commits are not in the report)'));
    s.append(box);
  }
}

function renderSearch(m: Model, q: string): void {
  const out = byId('answers');
  out.replaceChildren();
  q = q.trim();
  if (!q) return;
  if (!m.v) {
    out.append(h('p', { class: 'muted' }, 'still verifying…'));
    return;
  }
  let shown = 0;
  if (/^[0-9a-f]{4,64}$/i.test(q)) {
    const ql = q.toLowerCase();
    for (const [commit, seq] of m.firstClaim) {
      if (!commit.startsWith(ql)) continue;
      out.append(entryCard(m, seq, commit));
      if (++shown >= 20) break;
    }
    for (const c of m.d.coverage)
      for (const u of c.uncovered)
        if (u.commit.startsWith(ql) && shown < 20) {
          out.append(h('div', { class: 'card kind-uncovered' }, h('div', { class: 'card-head bad' }, `${u.commit}: NOT covered on ${c.ref}`), h('div', { class: 'row' }, u.message), h('div', { class: 'row' }, h('code', {}, `next: ${u.next}`))));
          shown++;
        }
  }
  if (shown === 0) {
    const ql = q.toLowerCase();
    for (const r of m.v.entries) {
      const p = r.statement?.predicate;
      if (!p) continue;
      const hay = [p.workstream, p.author, p.scope?.operator, p.scope?.intent, r.signer?.name, m.d.entries[r.seq - 1]?.csae.identity, ...p.verdicts.map((x) => x.reviewer), ...p.verdicts.map((x) => m.v!.verdicts[x.digest]?.signer), ...(p.assistance ?? []).flatMap((a) => [a.agent, a.model, a.session])];
      if (!hay.some((x) => typeof x === 'string' && x.toLowerCase().includes(ql))) continue;
      out.append(entryCard(m, r.seq));
      if (++shown >= 50) {
        out.append(h('p', { class: 'muted' }, 'first 50 matches'));
        break;
      }
    }
  }
  if (shown === 0) out.append(h('p', { class: 'muted', id: 'no-answer' }, `nothing matches “${q}”`));
}

function renderTimeline(m: Model): void {
  const c = byId('timeline') as HTMLCanvasElement;
  const n = m.d.entries.length;
  const w = (c.width = Math.max(300, Math.min(1200, c.parentElement!.clientWidth - 4)));
  const hgt = (c.height = 40);
  const ctx = c.getContext('2d');
  if (!ctx || n === 0) return;
  const color: Record<string, string> = { standard: '#2da44e', retroactive: '#d4a72c', bypass: '#cf222e', abandonment: '#8c959f', repair: '#8250df' };
  ctx.clearRect(0, 0, w, hgt);
  for (let i = 0; i < n; i++) {
    const x = Math.floor((i / n) * w);
    const dx = Math.max(1, Math.floor(w / n));
    const e = m.d.entries[i]!;
    const r = entryOf(m, i + 1);
    const kind = r?.statement?.predicate.kind ?? 'standard';
    const broken = e.csae.status !== 'verified' || (r && !r.ok && !r.acknowledged);
    ctx.fillStyle = broken ? '#cf222e' : color[kind] ?? '#57606a';
    const tall = broken || kind === 'repair' || kind === 'bypass';
    ctx.fillRect(x, tall ? 2 : 12, dx, tall ? hgt - 4 : hgt - 24);
  }
  c.onclick = (ev) => {
    const seq = Math.min(n, Math.floor((ev.offsetX / w) * n) + 1);
    m.page = Math.floor((seq - 1) / PAGE);
    renderEntries(m);
    document.querySelector(`#entries [data-seq="${seq}"]`)?.scrollIntoView({ block: 'center' });
  };
  const marks = byId('marks');
  marks.replaceChildren();
  for (const e of m.d.entries) {
    const p = entryOf(m, e.seq)?.statement?.predicate;
    if (e.csae.status !== 'verified') marks.append(h('li', { class: 'bad' }, `entry ${e.seq}: ${e.csae.status === 'void' ? `break${e.csae.repairedBy ? `, repaired by entry ${e.csae.repairedBy}` : ' (not repaired)'}` : e.csae.status}${e.csae.detail ? ` — ${e.csae.detail}` : ''}`));
    else if (p?.kind === 'repair') marks.append(h('li', { class: 'repair' }, `entry ${e.seq}: repair of the break at entry ${p.notes?.breakSeq ?? '?'} — ${p.notes?.reason ?? ''}`));
  }
}

function renderEntries(m: Model): void {
  const s = byId('entries');
  const n = m.d.entries.length;
  const pages = Math.max(1, Math.ceil(n / PAGE));
  m.page = Math.min(Math.max(0, m.page), pages - 1);
  s.replaceChildren();
  const pager = h('div', { class: 'pager' });
  const prev = h('button', { id: 'prev' }, '‹ newer');
  const next = h('button', { id: 'next' }, 'older ›');
  prev.onclick = () => {
    m.page--;
    renderEntries(m);
  };
  next.onclick = () => {
    m.page++;
    renderEntries(m);
  };
  pager.append(prev, ` page ${m.page + 1} of ${pages} `, next);
  s.append(pager);
  // newest first: an auditor usually starts from what happened last
  const hi = n - m.page * PAGE;
  for (let seq = hi; seq > Math.max(0, hi - PAGE); seq--) s.append(entryCard(m, seq));
}

function renderRest(m: Model): void {
  const cp = byId('checkpoints');
  cp.replaceChildren(h('h2', {}, 'Checkpoints'));
  if (!m.d.checkpoints.length) cp.append(h('p', { class: 'muted' }, 'none yet (csae mirror checkpoint)'));
  for (const c of m.v?.checkpoints ?? []) cp.append(h('div', { class: c.ok ? 'ok' : 'bad' }, `${c.ok ? '✓' : '✗'} ${c.path}: ${c.detail}`));
  const st = byId('stranded');
  st.replaceChildren(h('h2', {}, 'Stranded intents'));
  if (!m.d.stranded.length) st.append(h('p', { class: 'muted' }, 'none'));
  for (const x of m.d.stranded) st.append(h('div', {}, `${x.workstream} ${short(x.commit)} ${x.registeredAt} ${x.operator}: “${x.intent}”`));
}

async function main(): Promise<void> {
  const d = JSON.parse(byId('csae-data').textContent ?? '{}') as ReportData;
  const m: Model = { d, v: null, firstClaim: new Map(), failing: new Map(), page: 0 };
  for (const c of d.coverage) for (const f of c.failing) m.failing.set(f.seq, f.checks);
  byId('meta').textContent = `${d.repository} · mirror ${d.mirror.url} @ ${short(d.mirror.head)} · generated ${d.generatedAt} by csae ${d.csaeVersion}`;
  renderBanner(m, [0, d.entries.length]);
  renderCoverage(m);
  const input = byId('q') as HTMLInputElement;
  input.addEventListener('input', () => renderSearch(m, input.value));
  const v = await verifyReport(d, {
    progress: async (done, total) => {
      renderBanner(m, [done, total]);
      await new Promise((r) => setTimeout(r, 0));
    },
  });
  m.v = v;
  for (const r of v.entries) {
    const e = d.entries[r.seq - 1];
    if (!r.statement || e?.csae.status !== 'verified') continue;
    for (const c of r.statement.predicate.range.commits) if (!m.firstClaim.has(c)) m.firstClaim.set(c, r.seq);
  }
  renderBanner(m);
  renderTimeline(m);
  renderEntries(m);
  renderRest(m);
  if (input.value) renderSearch(m, input.value);
  document.body.setAttribute('data-csae-coverage', d.coverage.every((c) => c.uncovered.length === 0 && c.chainOk && c.failing.length === 0) ? 'complete' : 'gaps');
  document.body.setAttribute('data-csae-verified', String(v.ok));
}

main().catch((e: unknown) => {
  document.body.setAttribute('data-csae-verified', 'false');
  const b = document.getElementById('result');
  if (b) {
    b.className = 'result bad';
    b.textContent = `✗ The report could not be verified: ${(e as Error)?.message ?? String(e)}`;
  }
});
