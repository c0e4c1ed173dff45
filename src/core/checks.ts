// Named, ordered verification checks (DESIGN §5). Pure.
export const CHECK_NAMES = ['schema', 'signature', 'chain', 'repository', 'range', 'scope', 'attestation', 'verdicts', 'kind'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface CheckResult {
  name: CheckName;
  ok: boolean;
  detail?: string;
}

export class CheckList {
  readonly results: CheckResult[] = [];
  pass(name: CheckName, detail?: string): void {
    this.results.push({ name, ok: true, ...(detail ? { detail } : {}) });
  }
  fail(name: CheckName, detail: string): void {
    this.results.push({ name, ok: false, detail });
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
