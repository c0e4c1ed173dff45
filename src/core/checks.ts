// Named, ordered verification checks (DESIGN §5). Pure.
// THE ORDERED LIST: the one place that says which checks exist, in which order, and which stage runs them.
//   chain stage (src/mirror/chain.ts verifyEntry, over the mirror's history, before an entry is trusted):
//     schema, signature, chain, repository;
//   entry stage (src/validate/checks/, against the canonical repository's git objects, one module each):
//     range, scope, attestation, verdicts, kind.
// mirror/ may not import validate/, so the list lives here, on the floor both stand on.
export const CHAIN_CHECKS = ['schema', 'signature', 'chain', 'repository'] as const;
export const ENTRY_CHECKS = ['range', 'scope', 'attestation', 'verdicts', 'kind'] as const;
export const CHECK_NAMES = [...CHAIN_CHECKS, ...ENTRY_CHECKS] as const;
export type ChainCheckName = (typeof CHAIN_CHECKS)[number];
export type EntryCheckName = (typeof ENTRY_CHECKS)[number];
export type CheckName = (typeof CHECK_NAMES)[number];

export interface CheckResult {
  name: CheckName;
  ok: boolean;
  detail?: string;
}

/** What one check says: pass (with an optional detail), or fail with the problems joined; `stop` ends the run. */
export type CheckOutcome = { ok: true; detail?: string } | { ok: false; detail: string; stop?: boolean };

export class CheckList {
  readonly results: CheckResult[] = [];
  pass(name: CheckName, detail?: string): void {
    this.results.push({ name, ok: true, ...(detail ? { detail } : {}) });
  }
  fail(name: CheckName, detail: string): void {
    this.results.push({ name, ok: false, detail });
  }
  record(name: CheckName, o: CheckOutcome): void {
    if (o.ok) this.pass(name, o.detail);
    else this.fail(name, o.detail);
  }
  get ok(): boolean {
    return this.results.every((r) => r.ok);
  }
  failed(): CheckResult[] {
    return this.results.filter((r) => !r.ok);
  }
}

export function checkLabel(name: CheckName): string {
  return `${CHECK_NAMES.indexOf(name) + 1}. ${name}`;
}
