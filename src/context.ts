// The explicit context every domain function receives: where the repository is, the environment, the
// clock, and where human progress lines go. Only the edges (src/cli/, src/index.ts) build one from process
// state. No git here: the repository a command works on is opened through the git port (src/git/repo.ts).
import { mkdirSync } from 'node:fs';
import type { Clock } from './core/time.js';

export interface Context {
  cwd: string;
  env: Record<string, string | undefined>;
  now: Clock;
  /** progress and narrative for humans (stderr); silent under --quiet */
  info: (line: string) => void;
  /** progress of long work (cold verification) for a terminal; absent when nobody should see it */
  progress?: Progress;
}

/** `done` of `total` units of `what` finished so far (called often; the sink throttles and draws). */
export type Progress = (what: string, done: number, total: number) => void;

export function ensureDir(p: string): string {
  mkdirSync(p, { recursive: true });
  return p;
}
