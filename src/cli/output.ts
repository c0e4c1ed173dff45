// Output: human text (stdout for results, stderr for progress and hook messages) or --json (one JSON
// document on stdout, nothing else there). Colour only on a TTY, never under --no-color or NO_COLOR.
import { CsaeError, exitCodeFor, isCsaeError } from '../core/errors.js';
import { checkLabel, type CheckResult } from '../core/checks.js';
import type { Report } from '../validate/validate.js';

export interface Out {
  json: boolean;
  quiet: boolean;
  color: boolean;
  /** the command's result: JSON or human text on stdout */
  result(data: unknown, human: () => string): void;
  /** progress for humans on stderr */
  info(line: string): void;
  /** human text on stderr even when the result goes to stdout (hooks) */
  err(text: string): void;
}

export function makeOut(o: { json?: boolean; quiet?: boolean; noColor?: boolean }, env: Record<string, string | undefined>, isTTY: boolean): Out {
  const color = !o.noColor && !o.json && !env.NO_COLOR && isTTY;
  return {
    json: !!o.json,
    quiet: !!o.quiet,
    color,
    result(data, human) {
      if (o.json) process.stdout.write(JSON.stringify(data, null, 2) + '\n');
      else if (!o.quiet) {
        const t = human();
        if (t) process.stdout.write(t.endsWith('\n') ? t : t + '\n');
      }
    },
    info(line) {
      // under --json a caller often reads stdout and stderr together: keep the stream pure
      if (!o.quiet && !o.json) process.stderr.write(line + '\n');
    },
    err(text) {
      process.stderr.write(text.endsWith('\n') ? text : text + '\n');
    },
  };
}

export function paint(out: Out, code: number, s: string): string {
  return out.color ? `\x1b[${code}m${s}\x1b[0m` : s;
}

export function reportError(out: Out, e: unknown): number {
  const err = isCsaeError(e) ? e : new CsaeError('io', `unexpected failure: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  const code = exitCodeFor(err.code);
  if (out.json) process.stdout.write(JSON.stringify({ ok: false, error: { code: err.code, message: err.message, ...(err.next ? { next: err.next } : {}), ...(err.data ? { data: err.data } : {}) } }, null, 2) + '\n');
  // NOTE: a SECURITY error starts the line, as Go's checksum database prints it: nobody skims past it
  process.stderr.write(`${err.message.startsWith('SECURITY ERROR') ? '' : 'csae: '}${err.message}\n${err.next ? `  next: ${err.next}\n` : ''}`);
  if (!isCsaeError(e) && process.env.CSAE_DEBUG) process.stderr.write(String((e as Error)?.stack) + '\n');
  return code;
}

export function formatChecks(checks: readonly CheckResult[], indent = '    '): string {
  return checks.map((c) => `${indent}${c.ok ? 'ok  ' : 'FAIL'} ${checkLabel(c.name)}${c.detail ? `: ${c.detail}` : ''}`).join('\n');
}

/** The validator's report for people: per ref, each uncovered commit with its diagnosis and next step. */
export function formatReport(r: Report, out: Out): string {
  const lines: string[] = [];
  for (const ref of r.refs) {
    const head = ref.ok ? paint(out, 32, 'ok') : paint(out, 31, 'REJECTED');
    lines.push(`csae: ${ref.ref} ${head}: ${ref.reason}`);
    for (const p of ref.chainProblems) lines.push(`  mirror ${p.seq ? `entry ${p.seq}` : `commit ${p.mirrorCommit.slice(0, 12)}`}:\n${formatChecks(p.checks.filter((c) => !c.ok))}`);
    for (const f of ref.trustRoot?.failures ?? []) lines.push(`  trust root: ${f.reason}`);
    for (const e of ref.entries.filter((x) => !x.ok)) lines.push(`  entry ${e.seq} (${e.kind} ${e.workstream}) fails:\n${formatChecks(e.checks)}`);
    for (const l of ref.landings ?? []) lines.push(`  ${l.how} of ${l.workstream} (entry ${l.seq}) covered by rewrites: replay: ${l.commits.map((c) => `${c.commit.slice(0, 12)}${c.attested ? ` = ${c.attested.slice(0, 12)} (patch ${c.patchId!.slice(0, 12)})` : ''}`).join(', ')}`);
    // which policy version each entry was verified under, and what was accepted post hoc
    const good = ref.entries.filter((x) => x.ok);
    if (good.length && good.length <= 10) for (const e of good) lines.push(`  entry ${e.seq} (${e.kind} ${e.workstream}) by ${e.signer ?? '?'}${e.policy ? ` under the policy at ${e.policy.slice(0, 12)}` : ''}${e.confidence === 'post-hoc' ? '  [post-hoc: lower confidence]' : ''}`);
    else if (good.length) {
      const by = new Map<string, number>();
      for (const e of good) by.set(e.policy ?? '', (by.get(e.policy ?? '') ?? 0) + 1);
      lines.push(`  ${good.length} entries, verified under ${[...by].map(([p, n]) => `the policy at ${p.slice(0, 12) || '(work tree)'} (${n})`).join(', ')}`);
      const post = good.filter((e) => e.confidence === 'post-hoc').length;
      if (post) lines.push(`  ${post} retroactive entr${post === 1 ? 'y' : 'ies'} [post-hoc: lower confidence]`);
    }
    const shown = ref.uncovered.slice(0, 20);
    for (const d of shown) lines.push(`  ${d.commit.slice(0, 12)} ${d.subject}\n      ${d.message}`);
    if (ref.uncovered.length > shown.length) lines.push(`  ... and ${ref.uncovered.length - shown.length} more uncovered commit(s)`);
    const nexts = [...new Set([...(ref.chainProblems.length && ref.next ? [ref.next] : []), ...ref.uncovered.map((d) => d.next)])];
    // distinct next steps only, and a few of them: a broken replay of 100k commits is not 100k lines
    const shownNext = (nexts.length ? nexts : [ref.next ?? 'csae verify']).slice(0, 3);
    if (!ref.ok) for (const n of shownNext) lines.push(`  next: ${n}`);
    if (!ref.ok && nexts.length > shownNext.length) lines.push(`  ... ${nexts.length - shownNext.length} more next step(s): --json lists each commit with its own`);
  }
  if (r.refs.length === 0) lines.push('csae: no protected ref is updated; nothing to check');
  return lines.join('\n');
}
