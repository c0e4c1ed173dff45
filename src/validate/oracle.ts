// How the validator asks "which commits are in head ^excludes": one `git rev-list` per question for the
// few entries a push touches; an in-memory commit graph answers a full replay without a process per entry.
import type { Git } from '../git/git.js';

export interface RangeCommit {
  id: string;
  parents: string[];
}

export interface RangeOracle {
  /** rev-list head ^exclude..., oldest first (parents before children) */
  range(head: string, exclude: readonly string[]): Promise<RangeCommit[]>;
}

export class GitOracle implements RangeOracle {
  constructor(private readonly git: Git) {}
  async range(head: string, exclude: readonly string[]): Promise<RangeCommit[]> {
    return this.git.revList([head], exclude, { topoOrder: false });
  }
}
