// in-toto Statement v1 and the CSAE predicate types. Pure.
import type { Assistance } from './assistance.js';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const VERDICT_PREDICATE = 'https://csae.dev/verdict/v1';
export const BUNDLE_PREDICATE = 'https://csae.dev/bundle/v1';

export interface Subject {
  digest: { gitCommit: string };
}

export interface Statement<P> {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: string;
  predicate: P;
}

export type VerdictStatus = 'pass' | 'fail';
export type Severity = 'critical' | 'major' | 'minor' | 'info';

export interface Defect {
  id: string;
  severity: Severity;
  summary: string;
}

export interface VerdictPredicate {
  reviewer: { name: string; email?: string };
  method: string;
  range: { base: string | null; head: string };
  score: number;
  floor: number;
  status: VerdictStatus;
  defects: Defect[];
  summary: string;
  reviewedAt: string;
  uri?: string;
}

export type BundleKind = 'standard' | 'abandonment' | 'retroactive' | 'repair' | 'bypass';

export interface VerdictRef {
  digest: string; // sha256:<hex> of the stored verdict envelope bytes
  reviewer: string;
  status: VerdictStatus;
  score: number;
  floor: number;
}

export interface Scope {
  commit: string;
  intent: string;
  operator: string;
  registeredAt: string;
}

/** Everything known before the attestation commit (DESIGN §2.3 step 1). */
export interface Claim {
  repository: string;
  workstream: string;
  scope: Scope;
  range: { base: string; commits: string[] };
  verdicts: VerdictRef[];
  /** declared AI assistance (absent when none is declared): bound by the claim digest */
  assistance?: Assistance[];
}

export interface BundlePredicate {
  version: 1;
  kind: BundleKind;
  repository: string;
  workstream: string;
  scope: Scope | null;
  range: { base: string | null; head: string; commits: string[]; ref?: string };
  verdicts: VerdictRef[];
  selfAttestation: { commit: string; claimDigest: string } | null;
  seq: number;
  predecessor: { seq: number; digest: string } | null;
  author: string;
  createdAt: string;
  notes?: { reason: string; breakSeq?: number };
  /** declared AI assistance, as the covered commits declare it; never a check */
  assistance?: Assistance[];
}

export function subjectsFor(commits: readonly string[]): Subject[] {
  return commits.map((c) => ({ digest: { gitCommit: c } }));
}
