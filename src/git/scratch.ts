// Git for a scratch repository that csae builds itself (`csae demo`): the porcelain a person would type
// — add, commit, switch, merge, push — named, so the demo spawns git only through the port. Not for
// users' repositories: these commands honour hooks and touch the work tree.
import { Git } from './git.js';

export class ScratchRepo {
  private readonly git: Git;

  /** @param dir a work tree (or the parent of repositories to create) @param env git's environment, isolated */
  constructor(dir: string, env: Record<string, string | undefined>) {
    this.git = new Git(dir, env, { isolated: true });
  }

  async initBare(name: string): Promise<void> {
    await Git.raw(this.git).run(['init', '-q', '--bare', '--', name]);
  }

  async clone(url: string, name: string): Promise<void> {
    await Git.raw(this.git).run(['clone', '-q', '--', url, name]);
  }

  async add(paths: readonly string[]): Promise<void> {
    await Git.raw(this.git).run(['add', '--', ...paths]);
  }

  /** commit what is staged (`all`: every tracked change too) */
  async commit(message: string, o: { all?: boolean } = {}): Promise<void> {
    await Git.raw(this.git).run(['commit', '-q', ...(o.all ? ['-a'] : []), '-m', message]);
  }

  async switchNew(branch: string): Promise<void> {
    await Git.raw(this.git).run(['checkout', '-q', '-b', branch]);
  }

  async switchTo(branch: string): Promise<void> {
    await Git.raw(this.git).run(['checkout', '-q', branch]);
  }

  async fetch(remote: string): Promise<void> {
    await Git.raw(this.git).run(['fetch', '-q', remote]);
  }

  async mergeFastForward(branch: string): Promise<void> {
    await Git.raw(this.git).run(['merge', '-q', '--ff-only', branch]);
  }

  /** `git push ARGS` with the hooks running; a refusal (exit 1) is an answer, not an error */
  async push(args: readonly string[]): Promise<{ code: number; stderr: string }> {
    const r = await Git.raw(this.git).run(['push', ...args], { okCodes: [1] });
    return { code: r.code, stderr: r.stderr };
  }

  resolveCommit(rev: string): Promise<string | null> {
    return this.git.resolveCommit(rev);
  }
}
