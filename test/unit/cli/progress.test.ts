// Unit: progress on a terminal (cold replay and walk): drawn in place with count and rate, throttled,
// erased when done; absent when stderr is not a terminal or output is for machines.
import { expect } from 'chai';
import { terminalProgress } from '../../../src/cli/progress.js';
import { progressFor } from '../../../src/cli/run.js';

describe('cli/progress', () => {
  it('draws "done/total what (rate/s)" in place, at most every 100 ms (none in the first), and erases itself at the end', () => {
    const out: string[] = [];
    let t = 0;
    const p = terminalProgress((s) => out.push(s), () => t);
    p('entry signatures verified', 0, 10_000);
    t = 50;
    p('entry signatures verified', 128, 10_000); // throttled
    t = 1000;
    p('entry signatures verified', 3000, 10_000);
    t = 2000;
    p('entry signatures verified', 10_000, 10_000);
    expect(out).to.deep.equal(['\r\x1b[Kcsae: 3,000/10,000 entry signatures verified (3,000/s)', '\r\x1b[K']);
  });

  it('a new kind of work restarts the rate', () => {
    const out: string[] = [];
    let t = 0;
    const p = terminalProgress((s) => out.push(s), () => t);
    p('entry signatures verified', 5000, 10_000);
    t = 10_000;
    p('verdict signatures verified', 0, 10_000);
    t = 11_000;
    p('verdict signatures verified', 2000, 10_000);
    expect(out[out.length - 1]).to.equal('\r\x1b[Kcsae: 2,000/10,000 verdict signatures verified (2,000/s)');
  });

  it('prints nothing when stderr is not a terminal, or with --quiet, --json or a machine --format', () => {
    const w = (): void => {
      throw new Error('nothing may be written');
    };
    expect(progressFor({}, false, w)).to.equal(undefined);
    expect(progressFor({ quiet: true }, true, w)).to.equal(undefined);
    expect(progressFor({ json: true }, true, w)).to.equal(undefined);
    expect(progressFor({ format: 'sarif' }, true, w)).to.equal(undefined);
    expect(progressFor({ format: 'text' }, true, w)).to.be.a('function');
    expect(progressFor({}, true, w)).to.be.a('function');
  });
});
