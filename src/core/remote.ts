// Repository identity: a normalised remote URL. Pure.
// git@github.com:acme/orca.git, https://github.com/acme/orca, ssh://git@github.com:22/acme/orca.git
//   -> github.com/acme/orca
export function normalizeRemote(url: string): string {
  let s = url.trim();
  let m: RegExpExecArray | null;
  if ((m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:]+)(?::\d+)?(\/.*)?$/i.exec(s))) {
    s = m[1]!.toLowerCase() + (m[2] ?? '');
  } else if ((m = /^(?:[^@/]+@)?([^/:]+):(?!\/)(.*)$/.exec(s))) {
    s = m[1]!.toLowerCase() + '/' + m[2]!;
  }
  s = s.replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/+$/, '');
  s = s.replace(/\/{2,}/g, '/');
  return s;
}
