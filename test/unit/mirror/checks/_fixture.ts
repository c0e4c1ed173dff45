// The chain checks' test fixture: an entry predicate, its file bytes (canonical or not, with a placeholder
// signature; real signatures come from ../../_signed.ts), and the context a chain check is given.
import { canonicalize } from '../../../../src/core/jcs.js';
import { IN_TOTO_PAYLOAD_TYPE } from '../../../../src/core/dsse.js';
import { BUNDLE_PREDICATE, STATEMENT_TYPE, subjectsFor, type BundlePredicate } from '../../../../src/core/statement.js';
import type { ChainState } from '../../../../src/mirror/chain.js';
import type { ChainStepContext } from '../../../../src/mirror/checks/context.js';
import { entryPath } from '../../../../src/mirror/layout.js';

export const C = (n: number): string => n.toString(16).padStart(40, '0');
export const OP = 'Olive <olive@example.com>';

export function predicate(o: Partial<BundlePredicate> = {}): BundlePredicate {
  return {
    version: 1, kind: 'retroactive', repository: 'acme/app', workstream: 'ws-1', scope: null,
    range: { base: C(1), head: C(3), commits: [C(2), C(3)] }, verdicts: [], selfAttestation: null,
    seq: 1, predecessor: null, author: OP, createdAt: '2026-01-01T00:00:00Z', notes: { reason: 'found late' }, ...o,
  };
}

export function entryBytes(p: BundlePredicate, o: { canonical?: boolean; subjects?: string[] } = {}): Buffer {
  const stmt = { _type: STATEMENT_TYPE, subject: subjectsFor(o.subjects ?? p.range.commits), predicateType: BUNDLE_PREDICATE, predicate: p };
  const env = { payloadType: IN_TOTO_PAYLOAD_TYPE, payload: Buffer.from(canonicalize(stmt)).toString('base64'), signatures: [{ keyid: 'k', sig: Buffer.from('not a signature').toString('base64') }] };
  return Buffer.from((o.canonical === false ? JSON.stringify(env, null, 1) : canonicalize(env)) + '\n');
}

export const EMPTY: ChainState = { head: null, lastSeq: 0, lastDigest: null, entries: [] } as unknown as ChainState;
export const NO_POLICY = { repository: null, bundleKeys: null, bypassKeys: null };

export function ctx(bytes: Buffer | undefined, o: Partial<ChainStepContext> = {}): ChainStepContext {
  return { seq: 1, path: entryPath(1), bytes, st: EMPTY, o: NO_POLICY, sidecar: null, ...o };
}
