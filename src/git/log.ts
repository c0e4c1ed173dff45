// Reading a history (the audit mirror's) in one `git log --raw` pass: each commit with its parents and
// the files it changed (status, path, blob). Part of the git port; parsing is pure.
export interface MirrorChange {
  status: string; // A, M, D, T, ...
  path: string;
  blob: string; // new blob id (zeros for deletions)
}

export interface MirrorCommit {
  id: string;
  parents: string[];
  changes: MirrorChange[];
}

export const MIRROR_LOG_ARGS = ['log', '--reverse', '--topo-order', '--format=%x01%H %P', '--raw', '--no-renames', '--no-abbrev', '--no-color', '--no-ext-diff', '-c'];

export function parseMirrorLog(text: string): MirrorCommit[] {
  const out: MirrorCommit[] = [];
  let cur: MirrorCommit | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('\x01')) {
      const [id, ...parents] = line.slice(1).trim().split(' ').filter(Boolean);
      cur = { id: id!, parents, changes: [] };
      out.push(cur);
    } else if (line.startsWith(':') && cur) {
      const tab = line.indexOf('\t');
      const meta = line.slice(0, tab).split(' ');
      const path = line.slice(tab + 1);
      // ":<oldmode> <newmode> <oldblob> <newblob> <status>"; combined (-c) lines have more colons
      cur.changes.push({ status: meta[meta.length - 1]!.replace(/\d+$/, ''), path, blob: meta[meta.length - 2]! });
    }
  }
  return out;
}
