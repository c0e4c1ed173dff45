// One long-lived `git cat-file --batch-command` per repository handle: every object read of a command
// (commits, blobs, `<rev>:<path>`, "does this object exist", "which commit does this name") goes through
// it, so a hook pays for one process instead of one per question. Part of the git adapter (git.ts only).
// Requests are answered strictly in order, one at a time; the process is released when idle (it never
// keeps node alive) and closed after a second without requests, or by `close()` after a write.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CsaeError } from '../core/errors.js';

export interface BatchAnswer {
  oid: string;
  type: string;
  /** the object's bytes (`contents` requests only) */
  body?: Buffer;
}

interface Pending {
  child: ChildProcessWithoutNullStreams;
  /** per request line: whether a body follows a found object (`contents`) */
  bodies: boolean[];
  answers: Array<BatchAnswer | null>;
  resolve: (a: Array<BatchAnswer | null>) => void;
  reject: (e: unknown) => void;
}

const IDLE_MS = 1000;

export class BatchReader {
  private child: ChildProcessWithoutNullStreams | null = null;
  private pending: Pending | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private idle: NodeJS.Timeout | null = null;
  private err: Buffer[] = [];
  // parser state for the answer being read
  private header: Buffer[] = [];
  private body: Buffer | null = null;
  private left = -1;
  private filled = 0;

  constructor(
    private readonly argv: readonly string[],
    private readonly env: Record<string, string>,
    private readonly trace: boolean,
  ) {}

  /**
   * Ask `lines` (each `info <object>` or `contents <object>`; no line may hold a newline) and get one
   * answer per line: null where git says missing or ambiguous.
   */
  ask(lines: ReadonlyArray<{ op: 'info' | 'contents'; spec: string }>): Promise<Array<BatchAnswer | null>> {
    const run = (): Promise<Array<BatchAnswer | null>> => this.send(lines);
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Close the process (the next request starts a fresh one): after anything that writes to the repository. */
  close(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const c = this.child;
    this.child = null;
    if (c && !this.pending) c.stdin.end();
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.trace) process.stderr.write(`csae-trace: @${performance.now().toFixed(1)} git ${this.argv.join(' ')} (persistent)\n`);
    // NOTE: --buffer, and a flush after each request: unbuffered, git writes (and node wakes up) once per
    // object, which made 10,000 entry blobs cost ~0.5 s
    const child = spawn('git', [...this.argv, 'cat-file', '--batch-command', '--buffer'], { env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.err = [];
    child.stdout.on('data', (d: Buffer) => {
      if (this.pending?.child === child) this.onData(d);
    });
    child.stderr.on('data', (d: Buffer) => this.err.push(d));
    child.stdin.on('error', () => {}); // EPIPE when git exits early; the exit tells
    const gone = (e: unknown): void => {
      if (this.child === child) this.child = null;
      if (this.pending?.child === child) this.pending.reject(e);
    };
    child.on('error', (e: NodeJS.ErrnoException) =>
      gone(e.code === 'ENOENT' ? new CsaeError('git-missing', 'git was not found on PATH: install git 2.38 or newer', { cause: e }) : new CsaeError('git-failed', `could not run git cat-file: ${e.message}`, { cause: e })),
    );
    child.on('close', (code) => {
      if (this.pending?.child === child) gone(new CsaeError('git-failed', `git cat-file --batch-command failed: ${Buffer.concat(this.err).toString('utf8').trim().split('\n').slice(-3).join(' / ') || 'exit ' + code}`));
      else if (this.child === child) this.child = null;
    });
    return child;
  }

  private hold(child: ChildProcessWithoutNullStreams, on: boolean): void {
    for (const h of [child, child.stdin, child.stdout, child.stderr] as Array<{ ref?: () => void; unref?: () => void }>) (on ? h.ref : h.unref)?.call(h);
  }

  private send(lines: ReadonlyArray<{ op: 'info' | 'contents'; spec: string }>): Promise<Array<BatchAnswer | null>> {
    if (lines.length === 0) return Promise.resolve([]);
    for (const l of lines) if (/[\n\r]/.test(l.spec)) throw new CsaeError('git-failed', `object name ${JSON.stringify(l.spec.slice(0, 80))} holds a line break`);
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const child = (this.child ??= this.start());
    this.hold(child, true);
    this.header = [];
    this.body = null;
    this.left = -1;
    this.filled = 0;
    return new Promise<Array<BatchAnswer | null>>((resolve, reject) => {
      const done = (): void => {
        this.pending = null;
        this.hold(child, false);
        if (this.child === child) {
          this.idle = setTimeout(() => this.close(), IDLE_MS);
          this.idle.unref();
        } else child.stdin.end(); // closed while this request ran
      };
      this.pending = {
        child,
        bodies: lines.map((l) => l.op === 'contents'),
        answers: [],
        resolve: (a) => {
          done();
          resolve(a);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      };
      child.stdin.write(lines.map((l) => `${l.op} ${l.spec}\n`).join('') + 'flush\n');
    });
  }

  /** git's answers as they arrive: each wanted body is copied once into its own buffer. */
  private onData(chunk: Buffer): void {
    const p = this.pending;
    if (!p) return;
    let pos = 0;
    while (pos < chunk.length && this.pending === p) {
      if (this.left < 0) {
        const nl = chunk.indexOf(10, pos);
        if (nl < 0) {
          this.header.push(chunk.subarray(pos));
          return;
        }
        this.header.push(chunk.subarray(pos, nl));
        const line = Buffer.concat(this.header).toString('utf8');
        this.header = [];
        pos = nl + 1;
        const i = p.answers.length;
        const m = /^([0-9a-f]{40}(?:[0-9a-f]{24})?) (\w+) (\d+)$/.exec(line);
        if (!m) {
          // "<object> missing" / "<object> ambiguous": no body follows
          p.answers.push(null);
        } else {
          const a: BatchAnswer = { oid: m[1]!, type: m[2]! };
          p.answers.push(a);
          if (p.bodies[i]) {
            const size = Number(m[3]);
            this.body = Buffer.allocUnsafe(size);
            a.body = this.body;
            this.filled = 0;
            this.left = size + 1;
          }
        }
      } else {
        const n = Math.min(this.left, chunk.length - pos);
        const data = this.left - n === 0 ? n - 1 : n; // the last byte of the run is the newline after the body
        if (this.body && data > 0) chunk.copy(this.body, this.filled, pos, pos + data);
        this.filled += data;
        pos += n;
        this.left -= n;
        if (this.left === 0) {
          this.left = -1;
          this.body = null;
        }
      }
      if (this.left < 0 && p.answers.length === p.bodies.length) {
        p.resolve(p.answers);
        return;
      }
    }
  }
}
