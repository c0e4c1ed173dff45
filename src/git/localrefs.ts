// Refs of a repository on this machine read from its files (loose refs, then packed-refs), without a
// process. Only the plain layout is read: a symbolic ref, a reftable repository or anything unexpected
// answers null, and the caller asks git instead. Part of the git adapter.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Every ref under `prefix` (e.g. `refs/heads/`) of the git dir `gitDir`, by its name after the prefix; null: ask git. */
export function readRefsUnder(gitDir: string, prefix: string): Map<string, string> | null {
  if (!/^refs\/([A-Za-z0-9._-]+\/)+$/.test(prefix)) return null;
  try {
    if (!existsSync(join(gitDir, 'HEAD')) || existsSync(join(gitDir, 'reftable')) || !statSync(join(gitDir, 'objects')).isDirectory()) return null;
    const refs = new Map<string, string>();
    try {
      for (const line of readFileSync(join(gitDir, 'packed-refs'), 'utf8').split('\n')) {
        if (!line || line.startsWith('#') || line.startsWith('^')) continue;
        const sp = line.indexOf(' ');
        const id = line.slice(0, sp);
        const name = line.slice(sp + 1);
        if (!ID.test(id)) return null;
        if (name.startsWith(prefix)) refs.set(name.slice(prefix.length), id);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return null;
    }
    // loose refs win over packed ones
    const walk = (dir: string, rel: string): boolean => {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'ENOENT';
      }
      for (const n of names) {
        const p = join(dir, n);
        const st = statSync(p);
        if (st.isDirectory()) {
          if (!walk(p, rel + n + '/')) return false;
        } else if (st.isFile()) {
          if (n.endsWith('.lock')) continue; // a writer at work: its old value is the ref until it renames
          const v = readFileSync(p, 'utf8').trim();
          if (!ID.test(v)) return false; // symbolic or damaged: ask git
          refs.set(rel + n, v);
        } else return false;
      }
      return true;
    };
    return walk(join(gitDir, prefix), '') ? refs : null;
  } catch {
    return null;
  }
}
