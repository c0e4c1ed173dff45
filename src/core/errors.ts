// Typed errors. Every failure a user can meet is a CsaeError with a string-union code, a message that
// names the problem, and `next`: the command to run next. Exit codes are decided from the code's class
// in one place (exitCodeFor), never by callers.

export type UsageCode =
  | 'usage'
  | 'bad-id'
  | 'bad-intent'
  | 'bad-range'
  | 'config'
  | 'policy-invalid'
  | 'key-missing'
  | 'key-invalid'
  | 'dirty-worktree'
  | 'unknown-workstream'
  | 'verdict-mismatch'
  | 'not-initialised'
  | 'nothing-to-publish'
  | 'hook-input';

export type VerifyCode = 'verification-failed' | 'coverage-failed' | 'signature-invalid' | 'schema-invalid' | 'mirror-inconsistent' | 'trust-root';

export type EnvCode = 'git-missing' | 'git-failed' | 'mirror-unreachable' | 'io' | 'shallow-history';

export type ErrorCode = UsageCode | VerifyCode | EnvCode;

const VERIFY: ReadonlySet<string> = new Set<VerifyCode>([
  'verification-failed',
  'coverage-failed',
  'signature-invalid',
  'schema-invalid',
  'mirror-inconsistent',
  'trust-root',
]);
const ENV: ReadonlySet<string> = new Set<EnvCode>(['git-missing', 'git-failed', 'mirror-unreachable', 'io', 'shallow-history']);

export class CsaeError extends Error {
  readonly code: ErrorCode;
  readonly next?: string;
  readonly data?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, opts: { next?: string; cause?: unknown; data?: Record<string, unknown> } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CsaeError';
    this.code = code;
    this.next = opts.next;
    this.data = opts.data;
  }
}

/** 0 ok · 1 verification/coverage failed · 2 usage or configuration · 3 environment. */
export function exitCodeFor(code: ErrorCode): 1 | 2 | 3 {
  if (VERIFY.has(code)) return 1;
  if (ENV.has(code)) return 3;
  return 2;
}

export function isCsaeError(e: unknown): e is CsaeError {
  return e instanceof CsaeError;
}
