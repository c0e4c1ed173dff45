// What the chain-stage checks (1-4 of DESIGN §5) are given for one entry file of the mirror, and what
// earlier steps found: the parsed statement (schema) and who signed it (signature).
import type { DsseEnvelope } from '../../core/dsse.js';
import type { BundlePredicate, Statement } from '../../core/statement.js';
import type { SignatureCheck } from '../../sign/envelope.js';
import type { ChainOptions, ChainState } from '../chain.js';

export interface ChainStepContext {
  seq: number;
  path: string;
  bytes: Buffer | undefined;
  /** the chain as verified up to the entry before this one */
  st: ChainState;
  o: Pick<ChainOptions, 'repository' | 'bundleKeys' | 'bypassKeys' | 'compromised' | 'signatures'>;
  sidecar: Buffer | null;
  /** set by the schema check */
  statement?: Statement<BundlePredicate>;
  envelope?: DsseEnvelope;
  /** set by the signature check */
  sig?: SignatureCheck;
}
