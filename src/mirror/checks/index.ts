// The chain stage of the verification pipeline (DESIGN §5 checks 1-4), one module per check, run by
// mirror/chain.ts verifyEntry in the order of CHAIN_CHECKS (src/core/checks.ts, the one ordered list of
// all nine). The entry stage (5-9) is validate/checks/.
import type { ChainCheckName, CheckOutcome } from '../../core/checks.js';
import type { ChainStepContext } from './context.js';
import { chain } from './link.js';
import { repository } from './repository.js';
import { schema } from './schema.js';
import { signature } from './signature.js';

export type { ChainStepContext } from './context.js';
export { isCanonical, parseEntry } from './schema.js';
export { usable } from './signature.js';

/** each chain-stage name to its module; the order is CHAIN_CHECKS', not this object's */
export const CHAIN_STEPS: { readonly [K in ChainCheckName]: (ctx: ChainStepContext) => CheckOutcome } = { schema, signature, chain, repository };
