// Declared AI assistance of commits with no claim (the recovery kinds): their own trailers, read from
// git through one batch. Standard entries gather it inside the claim (core/claim.ts), where check 7
// recomputes it; here it is signed with the entry and reported as declared, never checked.
import { declaredAssistance, type Assistance } from '../core/assistance.js';
import type { GitPort } from '../git/port.js';

/** `{assistance}` for a predicate, or `{}` when the commits declare none. */
export async function assistanceOf(git: GitPort, commits: readonly string[]): Promise<{ assistance?: Assistance[] }> {
  const objs = await git.readCommits(commits);
  const sources = [];
  for (const id of commits) {
    const c = objs.get(id);
    if (c) sources.push({ id, message: c.message, author: c.author });
  }
  const list = declaredAssistance(sources);
  return list.length ? { assistance: list } : {};
}
