// The entry stage of the verification pipeline (DESIGN §5 checks 5-9), run in the order of ENTRY_CHECKS
// (src/core/checks.ts, the one ordered list of all nine). Checks 1-4 ran in the chain stage
// (mirror/chain.ts verifyEntry) before an entry is a VerifiedEntry; they are recorded here as passed in
// one place, chainPassed, with who signed. Every entry check runs and records its problems (all of an
// entry's problems are reported together) unless one says stop: a range this repository lacks.
import { CheckList, ENTRY_CHECKS, type EntryCheckName } from '../../core/checks.js';
import type { VerifiedEntry } from '../../mirror/chain.js';
import { attestation } from './attestation.js';
import type { EntryCheck, EntryContext, EntryEnv } from './context.js';
import { kind } from './kind.js';
import { range } from './range.js';
import { scope } from './scope.js';
import { verdicts } from './verdicts.js';

export type { EntryCheck, EntryContext, EntryEnv, EnvironmentParts } from './context.js';
export { entryEnvironment } from './context.js';

/** each entry-stage name to its module; the order is ENTRY_CHECKS', not this object's */
const STEPS: { readonly [K in EntryCheckName]: EntryCheck } = { range, scope, attestation, verdicts, kind };

export async function checkEntry(e: VerifiedEntry, env: EntryEnv): Promise<CheckList> {
  const checks = chainPassed(e);
  const p = e.predicate;
  // one batch read for every commit object the checks need
  const objs = await env.readCommits([p.range.head, p.range.base, p.scope?.commit].filter((x): x is string => !!x));
  const ctx: EntryContext = { entry: e, env, objs, ranged: [] };
  for (const name of ENTRY_CHECKS) {
    const o = await STEPS[name](ctx);
    checks.record(name, o);
    if (!o.ok && o.stop) break;
  }
  return checks;
}

/** Checks 1-4 as the chain stage passed them: the one place they are re-stated for an entry's report. */
export function chainPassed(e: VerifiedEntry): CheckList {
  const c = new CheckList();
  c.pass('schema');
  c.pass('signature', signedBy(e));
  c.pass('chain');
  c.pass('repository');
  return c;
}

/** The checks of an entry this clone saw pass 5-9 before (verified index): all passed, said so. */
export function cachedChecks(e: VerifiedEntry): CheckList {
  const c = chainPassed(e);
  for (const n of ENTRY_CHECKS) c.pass(n, 'passed before in this clone (verified index)');
  return c;
}

/** "olive (key) under the policy at <commit>": who signed, verified, and which policy version said so. */
export function signedBy(e: VerifiedEntry): string {
  return `${e.signedAs ?? e.signer} (${e.tier})${e.epochCommit ? ` under the policy at ${e.epochCommit.slice(0, 12)}` : ''}`;
}
