#!/usr/bin/env node
// Summarise a V8 .cpuprofile (from `node --cpu-prof`): total sampled time, and the functions with the most
// self time, aggregated by function name and location. Usage: node dist/bench/cpuprofile.js FILE [TOP]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  share: number;
}

export function summarise(p: Profile): { totalMs: number; top: SelfTime[] } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]!);
    const dt = p.timeDeltas[i] ?? 0;
    total += dt;
    if (!n) continue;
    const f = n.callFrame;
    const where = f.url ? `${f.url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const name = f.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const e = self.get(key) ?? { name, where, us: 0 };
    e.us += dt;
    self.set(key, e);
  }
  const top = [...self.values()].sort((a, b) => b.us - a.us).map((e) => ({ name: e.name, where: e.where, ms: e.us / 1000, share: total ? e.us / total : 0 }));
  return { totalMs: total / 1000, top };
}

if (process.argv[1] && /cpuprofile\.js$/.test(process.argv[1])) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/cpuprofile.js FILE.cpuprofile [TOP]\n');
    process.exit(2);
  }
  const n = Number(process.argv[3] ?? 15);
  const { totalMs, top } = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  process.stdout.write(`${file}: ${totalMs.toFixed(0)} ms sampled\n`);
  for (const t of top.slice(0, n)) process.stdout.write(`  ${t.ms.toFixed(0).padStart(8)} ms ${(t.share * 100).toFixed(1).padStart(5)}%  ${t.name}  ${t.where}\n`);
}
