// Timing whole processes (wall clock from spawn to exit) with their peak resident set size, and timing
// in-process work. Peak RSS comes from GNU time (`/usr/bin/time -f %M`, kilobytes) when present, else from
// polling /proc/<pid>/status VmHWM while the process runs.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcResult {
  ms: number;
  rssKB: number | null;
  code: number;
  stdout: string;
  stderr: string;
}

export interface ProcOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  input?: string;
  /** where GNU time writes its figure */
  scratch: string;
}

const GNU_TIME = '/usr/bin/time';
export const rssSource = existsSync(GNU_TIME) ? 'GNU time %M (max RSS of the process and the children it waited for)' : '/proc/<pid>/status VmHWM, polled every 2 ms';

export async function timeProcess(cmd: string, args: readonly string[], o: ProcOptions): Promise<ProcResult> {
  const useTime = existsSync(GNU_TIME);
  const rssFile = join(o.scratch, `rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const [file, argv] = useTime ? [GNU_TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, [...args]];
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let hwm = null as number | null;
  const t0 = performance.now();
  const child = spawn(file, argv, { cwd: o.cwd, env: o.env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  child.stdin.on('error', () => {});
  child.stdin.end(o.input ?? '');
  let poll: NodeJS.Timeout | null = null;
  if (!useTime && child.pid) {
    const status = `/proc/${child.pid}/status`;
    const read = (): void => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'));
        if (m) hwm = Math.max(hwm ?? 0, Number(m[1]));
      } catch {
        // gone
      }
    };
    read();
    poll = setInterval(read, 2);
  }
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 128));
  });
  const ms = performance.now() - t0;
  if (poll) clearInterval(poll);
  let rssKB: number | null = hwm;
  if (useTime) {
    try {
      const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
      const n = Number(lines[lines.length - 1]);
      rssKB = Number.isFinite(n) ? n : null;
    } catch {
      rssKB = null;
    }
    rmSync(rssFile, { force: true });
  }
  return { ms, rssKB, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

export function timeSync(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}
