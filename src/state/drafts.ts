// Bundle drafts: what `bundle author` leaves for `bundle publish`, under .git/csae/drafts/ (never
// committed). Validated against schemas/draft.v1.json on read and write.
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { writeAtomic } from './atomic.js';
import { statePath } from './files.js';
import { join } from 'node:path';
import { assertSchema } from '../schema/validate.js';
import { CsaeError } from '../core/errors.js';
import type { BundleKind, BundlePredicate, Claim } from '../core/statement.js';
import { ensureDir } from '../context.js';
import type { Repo } from '../git/repo.js';

export interface Draft {
  version: 1;
  kind: BundleKind;
  claim: Claim | Record<string, never>;
  claimDigest: string;
  head: string;
  verdictFiles: string[];
  /** for the recovery kinds: the predicate minus seq, predecessor, author and createdAt */
  predicate?: Omit<BundlePredicate, 'seq' | 'predecessor' | 'author' | 'createdAt'>;
}

export function draftDir(repo: Repo): string {
  return statePath(repo.stateDir, 'drafts');
}

/** Is there a draft file for this workstream (readable or not)? */
export function hasDraft(repo: Repo, name: string): boolean {
  return existsSync(join(draftDir(repo), `${name}.json`));
}

export function writeDraft(repo: Repo, name: string, d: Draft): string {
  assertSchema('draft', d, 'new draft', 'config');
  const p = join(draftDir(repo), `${name}.json`);
  writeAtomic(p, JSON.stringify(d, null, 2) + '\n');
  return p;
}

export interface DraftFile {
  name: string;
  path: string;
  draft?: Draft;
  /** set when the file cannot be read as a draft: names the file and the next step */
  error?: CsaeError;
}

/** Every draft file, each parsed on its own: a corrupt one is reported with its path, never hides the others. */
export function readDrafts(repo: Repo): DraftFile[] {
  let names: string[];
  try {
    names = readdirSync(draftDir(repo)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: DraftFile[] = [];
  for (const n of names) {
    const path = join(draftDir(repo), n);
    const name = n.replace(/\.json$/, '');
    try {
      let d: Draft;
      try {
        d = JSON.parse(readFileSync(path, 'utf8')) as Draft;
      } catch (e) {
        throw new CsaeError('config', `the draft ${path} is not JSON (${(e as Error).message})`);
      }
      assertSchema('draft', d, path, 'config');
      out.push({ name, path, draft: d });
    } catch (e) {
      const why = e instanceof CsaeError ? e.message : String(e);
      out.push({
        name,
        path,
        error: new CsaeError('config', `cannot read the bundle draft ${path}: ${why}`, {
          next: `move it aside (mv ${path} ${path}.bad), then author the bundle again: csae bundle author --workstream ${name}`,
          data: { path },
        }),
      });
    }
  }
  return out;
}

/** Every commit some local draft would cover (for the "not yet mirrored" diagnosis). */
export function draftCommits(repo: Repo): Set<string> {
  const s = new Set<string>();
  try {
    for (const { draft } of readDrafts(repo)) {
      if (!draft) continue;
      s.add(draft.head);
      for (const c of (draft.claim as Claim).range?.commits ?? []) s.add(c);
      for (const c of draft.predicate?.range.commits ?? []) s.add(c);
    }
  } catch {
    // a broken draft does not change a diagnosis
  }
  return s;
}

export function retireDraft(repo: Repo, name: string, seq: number): void {
  const done = ensureDir(statePath(repo.stateDir, 'published'));
  renameSync(join(draftDir(repo), `${name}.json`), join(done, `${String(seq).padStart(12, '0')}-${name}.json`));
}
