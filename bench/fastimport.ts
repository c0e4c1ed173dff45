// One `git fast-import` process fed from memory. Git computes every object id; `getMarks` reads commit ids
// back through --cat-blob-fd=3 (one round trip per batch of marks, never a process per commit).
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface Ident {
  name: string;
  email: string;
}

export interface FileChange {
  path: string;
  data: Buffer | string;
}

export interface CommitSpec {
  ref: string;
  mark: number;
  author: Ident;
  time: number; // unix seconds, used for author and committer
  message: string;
  from?: number | null; // parent mark (omitted: the ref's current tip)
  merge?: number[];
  files?: FileChange[];
}

export class FastImport {
  private readonly child: ChildProcess;
  private readonly stdin: Writable;
  private readonly replies: string[] = [];
  private partial = '';
  private waiter: (() => void) | null = null;
  private readonly exited: Promise<number>;
  private stderr = '';
  private chunks: Buffer[] = [];
  private pending = 0;

  constructor(gitDir: string, env: NodeJS.ProcessEnv) {
    this.child = spawn('git', ['--git-dir', gitDir, 'fast-import', '--quiet', '--done', '--cat-blob-fd=3'], { env, stdio: ['pipe', 'ignore', 'pipe', 'pipe'] });
    this.stdin = this.child.stdin!;
    this.stdin.on('error', () => {}); // the exit code tells
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    const replies = this.child.stdio[3] as Readable;
    replies.on('data', (d: Buffer) => {
      const text = this.partial + d.toString('latin1');
      const lines = text.split('\n');
      this.partial = lines.pop()!;
      this.replies.push(...lines);
      const w = this.waiter;
      this.waiter = null;
      w?.();
    });
    this.exited = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code) => {
        resolve(code ?? 128);
        const w = this.waiter;
        this.waiter = null;
        w?.();
      });
    });
  }

  private push(b: Buffer | string): void {
    const buf = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
    this.chunks.push(buf);
    this.pending += buf.length;
  }

  /** Hand what is queued to git, waiting for the pipe to drain when it is full. */
  async flush(): Promise<void> {
    if (this.chunks.length === 0) return;
    const all = Buffer.concat(this.chunks);
    this.chunks = [];
    this.pending = 0;
    if (!this.stdin.write(all)) await new Promise<void>((r) => this.stdin.once('drain', () => r()));
  }

  private async maybeFlush(): Promise<void> {
    if (this.pending >= 1 << 20) await this.flush();
  }

  private data(d: Buffer | string): void {
    const buf = typeof d === 'string' ? Buffer.from(d, 'utf8') : d;
    this.push(`data ${buf.length}\n`);
    this.push(buf);
    this.push('\n');
  }

  async commit(c: CommitSpec): Promise<void> {
    const who = `${c.author.name} <${c.author.email}> ${c.time} +0000`;
    this.push(`commit ${c.ref}\nmark :${c.mark}\nauthor ${who}\ncommitter ${who}\n`);
    this.data(c.message);
    if (c.from !== undefined && c.from !== null) this.push(`from :${c.from}\n`);
    for (const m of c.merge ?? []) this.push(`merge :${m}\n`);
    for (const f of c.files ?? []) {
      this.push(`M 100644 inline ${f.path}\n`);
      this.data(f.data);
    }
    this.push('\n');
    await this.maybeFlush();
  }

  /** The object ids git gave these marks, in order. */
  async getMarks(marks: readonly number[]): Promise<string[]> {
    for (const m of marks) this.push(`get-mark :${m}\n`);
    await this.flush();
    while (this.replies.length < marks.length) {
      await new Promise<void>((r) => {
        this.waiter = r;
        if (this.replies.length >= marks.length) r();
      });
      if (this.child.exitCode !== null && this.replies.length < marks.length) throw new Error(`git fast-import exited early: ${this.stderr.trim()}`);
    }
    const out = this.replies.splice(0, marks.length);
    for (const id of out) if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(id)) throw new Error(`git fast-import answered get-mark with ${JSON.stringify(id)}: ${this.stderr.trim()}`);
    return out;
  }

  async done(): Promise<void> {
    this.push('done\n');
    await this.flush();
    this.stdin.end();
    const code = await this.exited;
    if (code !== 0) throw new Error(`git fast-import failed (exit ${code}): ${this.stderr.trim()}`);
  }
}
