// The bench's result types and its human table (stdout without --json).
import { fmtMs } from './measure.js';

export interface Measurement {
  label: string;
  command: string;
  /** wall time of the whole process, median of the runs (for peakMemory: megabytes) */
  medianMs: number;
  runsMs: number[];
  peakRssMB: number;
  /** the floor measured in the same run (for peakMemory: megabytes) */
  floorMs: number;
  floorLabel: string;
  ratio: number;
  target: string;
  met: boolean | null;
  /** for targets stated as node's startup + a budget: the median minus node's startup */
  overFloorMs?: number;
}

export interface GrowthPoint {
  entries: number;
  commits: number;
  replayColdMs: number;
  perCommitUs: number;
  walkColdMs: number;
  perEntryUs: number;
  peakRssMB: number;
}

export interface BenchResult {
  bench: 'csae';
  version: 1;
  config: { commits: number; bundles: number; runs: number; dataDir: string; kept: boolean };
  machine: Record<string, unknown>;
  generation: Record<string, unknown>;
  checks: Record<string, unknown>;
  floors: Record<string, number>;
  ceremony: Record<string, number>;
  measurements: Record<string, Measurement>;
  /** --growth: cold replay and walk per commit and per entry at each size */
  growth: GrowthPoint[];
  ok: boolean;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function formatTable(r: BenchResult): string {
  const mc = r.machine;
  const lines: string[] = [];
  lines.push(`csae bench: ${r.config.commits} commits, ${r.config.bundles} bundles; median of ${r.config.runs} run(s), whole process wall time`);
  lines.push(`machine: ${mc.nproc} CPU (${mc.cpu}), ${mc.memoryMB} MB, node ${mc.node}, git ${mc.git}, ${mc.os}`);
  const g = r.generation;
  lines.push(`generation: ${g.seconds} s (${g.commits} commits, ${g.workCommits} work, ${g.merges} merges; ${g.entries} signed entries), clone ${g.cloneSeconds} s`);
  lines.push('');
  const rows: string[][] = [['measurement', 'csae', 'floor', 'ratio', 'target', 'peak RSS', 'verdict']];
  for (const [key, m] of Object.entries(r.measurements)) {
    const mem = key === 'peakMemory';
    rows.push([m.label, mem ? `${m.medianMs} MB` : fmtMs(m.medianMs), mem ? `${m.floorMs} MB` : fmtMs(m.floorMs), `${m.ratio.toFixed(2)}x`, m.target, `${Math.round(m.peakRssMB)} MB`, m.met === null ? '-' : m.met ? 'met' : 'MISSED']);
  }
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const [i, row] of rows.entries()) {
    lines.push(row.map((c, j) => pad(c, w[j]!)).join('  ').trimEnd());
    if (i === 0) lines.push(w.map((n) => '-'.repeat(n)).join('  '));
  }
  if (r.growth.length) {
    lines.push('');
    lines.push('growth (cold, one run each; commits = 10 x entries):');
    for (const p of r.growth) lines.push(`  ${pad(String(p.entries), 7)} entries  replay ${pad(fmtMs(p.replayColdMs), 8)} ${pad(String(p.perCommitUs), 6)} us/commit   walk ${pad(fmtMs(p.walkColdMs), 8)} ${pad(String(p.perEntryUs), 6)} us/entry   peak ${p.peakRssMB} MB`);
  }
  lines.push('');
  lines.push('floors:');
  for (const m of Object.values(r.measurements)) lines.push(`  ${pad(m.label, w[0]!)}  ${m.floorLabel}`);
  lines.push(`ceremony (worker clone, one run each): ${Object.entries(r.ceremony).map(([k, v]) => `${k.replace(/Ms$/, '')} ${fmtMs(v)}`).join(', ')}`);
  lines.push(`checks: csae verify covered ${r.checks.verifyCovered} commits; ${r.checks.mirrorVerifyMs === null ? 'mirror verify skipped at this size (audit walk checked the chain)' : `mirror verify passed (${fmtMs(r.checks.mirrorVerifyMs as number)})`}; pre-push accepted the push`);
  return lines.join('\n');
}
