// Diagnoses for uncovered commits, from the protocol's field manual. Pure: commit objects, the chain's
// claims, local drafts and the checked entries in; one diagnosis per uncovered commit out.
import { parseTrailers, trailerValue } from '../core/trailers.js';
import type { CheckName } from '../core/checks.js';
import type { CommitObject } from '../git/git.js';
import type { VerifiedEntry } from '../mirror/chain.js';
import type { EntryVerdict } from './coverage.js';

export type DiagnosisCode = 'entry-fails-checks' | 'not-yet-mirrored' | 'rebased-after-attestation' | 'no-bundle-authored' | 'forgot-intent' | 'uncovered';

export interface Diagnosis {
  commit: string;
  subject: string;
  code: DiagnosisCode;
  message: string;
  next: string;
  /** entry-fails-checks: the entry listing the commit, and the first check it fails (by name, for --json) */
  seq?: number;
  check?: CheckName;
}

export interface DiagnoseInput {
  uncovered: readonly string[];
  objects: ReadonlyMap<string, CommitObject>;
  entries: readonly VerifiedEntry[];
  checked: readonly EntryVerdict[];
  draftCommits: ReadonlySet<string>;
  /** true for a push (commits not yet on the ref); false for a replay of landed history */
  pushing: boolean;
  /** which commits really are rewrites of attested work (replay.ts rewriteFacts); else the messages decide */
  rewrites?: { rewritten: ReadonlyMap<string, { seq: number; workstream: string; how: string }>; unknown: ReadonlySet<string> };
}

const KIND = (m: string): string | undefined => {
  try {
    return trailerValue(parseTrailers(m), 'CSAE-Type');
  } catch {
    return undefined;
  }
};

export function diagnose(inp: DiagnoseInput): Diagnosis[] {
  if (inp.uncovered.length === 0) return [];
  const claimBy = new Map<string, VerifiedEntry>();
  const claims = new Map<string, VerifiedEntry>(); // claimDigest -> entry
  const scopes = new Map<string, VerifiedEntry>(); // workstream -> entry
  for (const e of inp.entries) {
    for (const c of e.predicate.range.commits) claimBy.set(c, e);
    if (e.predicate.selfAttestation) claims.set(e.predicate.selfAttestation.claimDigest, e);
    scopes.set(e.predicate.workstream, e);
  }
  const failed = new Map(inp.checked.filter((v) => !v.ok).map((v) => [v.seq, v]));
  const inSet = inp.uncovered.map((id) => inp.objects.get(id)).filter((c): c is CommitObject => !!c);
  const kinds = inSet.map((c) => KIND(c.message));
  const hasIntent = kinds.includes('intent');
  const hasAttestation = kinds.includes('attestation');
  // work whose messages name a mirrored claim or workstream, under other commit ids: a rewrite
  const text = inSet.map((c) => c.message).join('\n');
  const words = new Set(text.split(/[^a-z0-9._-]+/));
  const digests = new Set(text.match(/sha256:[0-9a-f]{64}/g) ?? []);
  const attestedElsewhere = [...claims.keys()].some((d) => digests.has(d)) || [...scopes.keys()].some((ws) => words.has(ws) && !inSet.some((c) => c.id === scopes.get(ws)!.predicate.scope?.commit));
  const rewrite = (id: string): { seq: number; workstream: string; how: string } | boolean => {
    if (!inp.rewrites || inp.rewrites.unknown.has(id)) return attestedElsewhere;
    return inp.rewrites.rewritten.get(id) ?? false;
  };
  return inp.uncovered.map((id): Diagnosis => {
    const c = inp.objects.get(id);
    const subject = c ? c.message.split('\n')[0]! : '(commit not readable)';
    const owner = claimBy.get(id);
    const bad = owner ? failed.get(owner.seq) : undefined;
    if (owner && bad) {
      const f = bad.checks.find((x) => !x.ok)!;
      return { commit: id, subject, code: 'entry-fails-checks', seq: owner.seq, check: f.name, message: `listed by mirror entry ${owner.seq} (${owner.predicate.workstream}), which fails check ${f.name}: ${f.detail}`, next: `csae audit who ${id.slice(0, 12)}   (then re-author the bundle: csae bundle author)` };
    }
    if (inp.draftCommits.has(id) || (inp.pushing && hasIntent && hasAttestation && !attestedElsewhere)) {
      return { commit: id, subject, code: 'not-yet-mirrored', message: 'bundle not yet in the mirror (published after the push): the validator reads the audit mirror, not your work tree', next: 'csae bundle publish, then push again' };
    }
    const rw = rewrite(id);
    if (rw) {
      const which = typeof rw === 'object' ? ` (entry ${rw.seq}, ${rw.workstream}: this commit carries its reviewed change under another id)` : '';
      return { commit: id, subject, code: 'rebased-after-attestation', message: `rebased or squashed after attestation: the mirrored bundle names other commit ids for this workstream${which}`, next: 'push the attested commits as they were, or author a new bundle for the rewritten range (csae bundle author)' };
    }
    if (inp.pushing && hasIntent) {
      return { commit: id, subject, code: 'no-bundle-authored', message: 'intent registered but no bundle authored for this work yet', next: 'csae verdict record --range <base>..HEAD ..., csae bundle author, csae bundle publish, then push again' };
    }
    if (inp.pushing) {
      return { commit: id, subject, code: 'forgot-intent', message: 'forgot intent registration: no csae intent commit precedes this work, so no bundle can cover it', next: 'register intent before working (csae intent register), or cover landed work honestly with csae bundle retroactive --range A..B --reason TEXT' };
    }
    return { commit: id, subject, code: 'uncovered', message: 'uncovered commit (bypass or force-push routed around coverage)', next: `csae bundle retroactive --range ${id.slice(0, 12)}~1..${id.slice(0, 12)} --reason TEXT   (honest, post-hoc coverage)` };
  });
}
