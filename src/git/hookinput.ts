// Parsing what git writes on a hook's standard input. Pure; malformed input is a hook-input error
// (exit 2), which rejects the push: fail closed.
import { CsaeError } from '../core/errors.js';

export interface RefUpdate {
  localRef: string;
  localSha: string; // zeros for a deletion
  remoteRef: string;
  remoteSha: string; // zeros for a new ref
}

const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const REF = /^(?:refs\/[^\s\x00-\x1f\\~^:?*[]+|HEAD|\(delete\))$/;

export function isZero(oid: string): boolean {
  return /^0+$/.test(oid);
}

function bad(lineNo: number, why: string): never {
  throw new CsaeError('hook-input', `hook input line ${lineNo}: ${why}`, { next: 'this input comes from git; if you typed it by hand, see githooks(5) for the format' });
}

/** pre-push: "<local ref> SP <local sha> SP <remote ref> SP <remote sha>" per line */
export function parsePrePush(text: string): RefUpdate[] {
  const out: RefUpdate[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const f = line.replace(/\r$/, '').split(' ');
    if (f.length !== 4) bad(i + 1, `expected 4 space-separated fields, got ${f.length}`);
    const [localRef, localSha, remoteRef, remoteSha] = f as [string, string, string, string];
    // NOTE: git writes the push source as given (a commit id, HEAD~1, a ref): informational only; the
    // object id beside it is what gets validated
    if (!/^[^\s\x00-\x1f\x7f]{1,1024}$/.test(localRef)) bad(i + 1, `local ref ${JSON.stringify(localRef)} is not a revision name`);
    if (!REF.test(remoteRef) || remoteRef === '(delete)') bad(i + 1, `remote ref ${JSON.stringify(remoteRef)} is not a ref name`);
    if (!OID.test(localSha)) bad(i + 1, `local object ${JSON.stringify(localSha)} is not an object id`);
    if (!OID.test(remoteSha)) bad(i + 1, `remote object ${JSON.stringify(remoteSha)} is not an object id`);
    if (localSha.length !== remoteSha.length) bad(i + 1, 'object ids of different lengths');
    out.push({ localRef, localSha, remoteRef, remoteSha });
  });
  return out;
}

/** pre-receive: "<old> SP <new> SP <ref>" per line; mapped onto RefUpdate (remote = old, local = new). */
export function parsePreReceive(text: string): RefUpdate[] {
  const out: RefUpdate[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const f = line.replace(/\r$/, '').split(' ');
    if (f.length !== 3) bad(i + 1, `expected 3 space-separated fields, got ${f.length}`);
    const [oldSha, newSha, ref] = f as [string, string, string];
    if (!OID.test(oldSha) || !OID.test(newSha)) bad(i + 1, 'not an object id');
    if (!REF.test(ref) || ref === '(delete)') bad(i + 1, `ref ${JSON.stringify(ref)} is not a ref name`);
    out.push({ localRef: ref, localSha: newSha, remoteRef: ref, remoteSha: oldSha });
  });
  return out;
}
