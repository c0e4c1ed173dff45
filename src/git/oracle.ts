// Part of the git port. How the validator asks "which commits are in head ^excludes": one `git rev-list`
// per question for the few entries a push touches; an in-memory commit graph (graph.ts) answers a full
// replay without a process per entry.
import type { GitPort } from './port.js';

export interface RangeCommit {
  id: string;
  parents: string[];
}

export interface RangeOracle {
  /** rev-list head ^exclude..., oldest first (parents before children) */
  range(head: string, exclude: readonly string[]): Promise<RangeCommit[]>;
}

export class GitOracle implements RangeOracle {
  constructor(private readonly git: GitPort) {}
  async range(head: string, exclude: readonly string[]): Promise<RangeCommit[]> {
    return this.git.revList([head], exclude, { topoOrder: false });
  }
}
