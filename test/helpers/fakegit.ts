// A fake of the git port (src/git/port.ts) for unit tests of code that asks git questions: an in-memory
// commit graph, refs and config, and a log of every call so a test can assert what reached "git".
// Operations a test did not set up throw, so a fake never answers what it was not told.
import type { GitPort, PushOutcome } from '../../src/git/port.js';
import type { CommitObject } from '../../src/git/git.js';
import type { MirrorCommit } from '../../src/git/log.js';

export interface FakeCommit {
  parents?: string[];
  message?: string;
  tree?: string;
}

export class FakeGit implements GitPort {
  readonly calls: Array<{ op: string; args: unknown[] }> = [];
  readonly commits = new Map<string, Required<FakeCommit>>();
  readonly refs = new Map<string, string>();
  readonly config = new Map<string, string>();

  constructor(readonly dir = '/fake') {}

  /** add commits in order (parents first); ids are any strings the test likes */
  commit(id: string, c: FakeCommit = {}): this {
    this.commits.set(id, { parents: c.parents ?? [], message: c.message ?? `${id}\n`, tree: c.tree ?? `tree-${id}` });
    return this;
  }

  ref(name: string, id: string): this {
    this.refs.set(name, id);
    return this;
  }

  private log(op: string, ...args: unknown[]): void {
    this.calls.push({ op, args });
  }

  private notFaked(op: string): never {
    throw new Error(`FakeGit: ${op} is not faked in this test`);
  }

  private reach(from: readonly string[]): Set<string> {
    const seen = new Set<string>();
    const todo = [...from];
    while (todo.length) {
      const id = todo.pop()!;
      if (seen.has(id) || !this.commits.has(id)) continue;
      seen.add(id);
      todo.push(...this.commits.get(id)!.parents);
    }
    return seen;
  }

  withDir(): GitPort {
    return this.notFaked('withDir');
  }
  async gitDir(): Promise<string> {
    return `${this.dir}/.git`;
  }
  async objectFormat(): Promise<'sha1' | 'sha256'> {
    return 'sha1';
  }
  async configGet(key: string): Promise<string | null> {
    this.log('configGet', key);
    return this.config.get(key) ?? null;
  }
  async configSet(key: string, value: string): Promise<void> {
    this.config.set(key, value);
  }
  async remoteUrl(name: string): Promise<string | null> {
    return this.config.get(`remote.${name}.url`) ?? null;
  }
  async remotes(): Promise<string[]> {
    return [...new Set([...this.config.keys()].filter((k) => /^remote\.[^.]+\.url$/.test(k)).map((k) => k.split('.')[1]!))];
  }
  async resolveCommit(rev: string): Promise<string | null> {
    this.log('resolveCommit', rev);
    const id = this.refs.get(rev) ?? this.refs.get(`refs/heads/${rev}`) ?? this.refs.get(`refs/remotes/${rev}`) ?? rev;
    return this.commits.has(id) ? id : null;
  }
  async symbolicFullName(name: string): Promise<string | null> {
    this.log('symbolicFullName', name);
    for (const full of [name, `refs/heads/${name}`, `refs/remotes/${name}`]) if (full.startsWith('refs/') && this.refs.has(full)) return full;
    return null;
  }
  async readRefFast(name: string): Promise<string | null> {
    return this.refs.get(name) ?? null;
  }
  async refTips(prefix: string): Promise<Array<{ id: string; ref: string }>> {
    return [...this.refs].filter(([r]) => r.startsWith(prefix)).map(([ref, id]) => ({ id, ref }));
  }
  async hasObject(id: string): Promise<boolean> {
    return this.commits.has(id);
  }
  async isAncestor(a: string, d: string): Promise<boolean> {
    return this.reach([d]).has(a);
  }
  async isClean(): Promise<boolean> {
    return true;
  }
  async currentBranch(): Promise<string | null> {
    return this.refs.has('HEAD') ? null : 'refs/heads/main';
  }
  async hooksPath(): Promise<string> {
    return `${this.dir}/.git/hooks`;
  }
  async operatorIdentity(): Promise<string> {
    return `${this.config.get('user.name') ?? 'Fake Operator'} <${this.config.get('user.email') ?? 'fake@example.com'}>`;
  }
  /** oldest first, parents before children, in insertion order (which the test keeps topological) */
  async revList(include: readonly string[], exclude: readonly string[] = []): Promise<Array<{ id: string; parents: string[] }>> {
    this.log('revList', include, exclude);
    const yes = this.reach(include);
    const no = this.reach(exclude);
    return [...this.commits].filter(([id]) => yes.has(id) && !no.has(id)).map(([id, c]) => ({ id, parents: c.parents }));
  }
  async updateRange(oldId: string, newId: string): Promise<{ fastForward: boolean; commits: Array<{ id: string; parents: string[] }> }> {
    return { fastForward: this.reach([newId]).has(oldId), commits: await this.revList([newId], [oldId]) };
  }
  async readCommits(ids: readonly string[]): Promise<Map<string, CommitObject>> {
    const m = new Map<string, CommitObject>();
    for (const id of ids) {
      const c = this.commits.get(id);
      if (c) m.set(id, { id, tree: c.tree, parents: c.parents, author: 'Fake Operator <fake@example.com>', authorTime: 0, committer: 'Fake Operator <fake@example.com>', committerTime: 0, message: c.message });
    }
    return m;
  }
  async readCommit(id: string): Promise<CommitObject | null> {
    return (await this.readCommits([id])).get(id) ?? null;
  }
  async readBlobs(): Promise<Map<string, Buffer>> {
    return this.notFaked('readBlobs');
  }
  async treeBlobs(): Promise<Map<string, string>> {
    return this.notFaked('treeBlobs');
  }
  async readFileAt(): Promise<Buffer | null> {
    return this.notFaked('readFileAt');
  }
  async grepCommits(text: string, o: { all?: boolean; rev?: string; max?: number } = {}): Promise<string[]> {
    const pool = o.all ? [...this.commits.keys()] : [...this.reach([this.refs.get(o.rev ?? 'HEAD') ?? o.rev ?? 'HEAD'])];
    return pool.filter((id) => this.commits.get(id)!.message.includes(text)).reverse().slice(0, o.max ?? Infinity);
  }
  async logChanges(): Promise<MirrorCommit[]> {
    return this.notFaked('logChanges');
  }
  async firstParents(): Promise<string[]> {
    return this.notFaked('firstParents');
  }
  async walkFirstParents(head: string, o: { exclude?: readonly string[]; max?: number } = {}): Promise<string[]> {
    const no = this.reach(o.exclude ?? []);
    const out: string[] = [];
    for (let id: string | undefined = head; id && this.commits.has(id) && !no.has(id) && out.length < (o.max ?? Infinity); id = this.commits.get(id)!.parents[0]) out.push(id);
    return out;
  }
  async countCommits(): Promise<number> {
    return this.notFaked('countCommits');
  }
  async ensureCommitGraph(): Promise<void> {}
  async firstAdding(): Promise<string | null> {
    return this.notFaked('firstAdding');
  }
  async pathChanges(): Promise<Array<{ id: string; parents: string[] }>> {
    return this.notFaked('pathChanges');
  }
  async mergeTree(): Promise<string | null> {
    return this.notFaked('mergeTree');
  }
  async patchIds(): Promise<Map<string, string>> {
    return this.notFaked('patchIds');
  }
  async changedPaths(): Promise<Array<{ path: string; id: string | null }>> {
    return this.notFaked('changedPaths');
  }
  async idsAt(): Promise<Map<string, string>> {
    return this.notFaked('idsAt');
  }
  async shallowCommits(): Promise<ReadonlySet<string>> {
    return new Set();
  }
  async fetchHistory(): Promise<string | null> {
    return this.notFaked('fetchHistory');
  }
  async initBare(): Promise<string | null> {
    return this.notFaked('initBare');
  }
  async cloneBare(): Promise<string | null> {
    return this.notFaked('cloneBare');
  }
  async fetchBranches(): Promise<{ ok: boolean; transient: boolean; stderr: string }> {
    return this.notFaked('fetchBranches');
  }
  async pushCommit(): Promise<PushOutcome> {
    return this.notFaked('pushCommit');
  }
  async updateRef(): Promise<void> {
    return this.notFaked('updateRef');
  }
  async commitEmpty(): Promise<string> {
    return this.notFaked('commitEmpty');
  }
  async hashObjects(): Promise<string[]> {
    return this.notFaked('hashObjects');
  }
  async commitAdding(): Promise<string> {
    return this.notFaked('commitAdding');
  }
}
