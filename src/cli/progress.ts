// Progress of long work on a terminal's stderr: "csae: 4,352/10,000 entry signatures verified (2,950/s)",
// redrawn in place at most ten times a second and erased when the work is done. Built only when stderr
// is a terminal and neither --quiet nor --json was given; otherwise there is no sink and nothing prints.
import type { Progress } from '../context.js';

export function terminalProgress(write: (s: string) => void, now: () => number = () => performance.now()): Progress {
  let what = '';
  let started = 0;
  let drawn = 0;
  let shown = false;
  return (w, done, total) => {
    const t = now();
    if (w !== what) {
      what = w;
      started = t;
      drawn = t; // nothing for the first 100 ms: short work never flashes a line
    }
    if (done >= total) {
      if (shown) write('\r\x1b[K');
      shown = false;
      return;
    }
    if (t - drawn < 100) return;
    drawn = t;
    const secs = (t - started) / 1000;
    const rate = secs > 0.05 ? ` (${Math.round(done / secs).toLocaleString('en')}/s)` : '';
    write(`\r\x1b[Kcsae: ${done.toLocaleString('en')}/${total.toLocaleString('en')} ${w}${rate}`);
    shown = true;
  };
}
