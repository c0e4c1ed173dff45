// A SLSA Verification Summary Attestation (in-toto Statement, predicate verification_summary/v1) of a
// replay: which commit of which ref was verified, against which policy and which mirror entries, with
// what result. Written as a bare Statement, or as a DSSE envelope when a signer is given.
import { canonicalize, storedBytes } from '../core/jcs.js';
import { sha256Hex } from '../core/digest.js';
import { rfc3339 } from '../core/time.js';
import { STATEMENT_TYPE } from '../core/statement.js';
import type { Policy } from '../policy/policy.js';
import type { ChainResult } from '../mirror/chain.js';
import type { Report } from './validate.js';
import { signStatement } from '../sign/envelope.js';
import type { Signer } from '../sign/signer.js';

export const VSA_PREDICATE = 'https://slsa.dev/verification_summary/v1';

export function vsaStatement(o: { report: Report; tip: string; policy: Policy; chain: ChainResult; now: Date }): object {
  const r = o.report.refs[0]!;
  const used = new Set(r.entries.map((e) => e.seq));
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: `${o.policy.repository}@${r.ref}`, digest: { gitCommit: o.tip } }],
    predicateType: VSA_PREDICATE,
    predicate: {
      verifier: { id: 'https://csae.dev/verifier/csae-verify/v1' },
      timeVerified: rfc3339(o.now),
      resourceUri: `git+${o.policy.repository}@${r.ref}`,
      policy: { uri: 'git+.csae/policy.yaml', digest: { sha256: sha256Hex(canonicalize(o.policy)) } },
      inputAttestations: o.chain.entries.filter((e) => used.has(e.seq)).map((e) => ({ uri: `${o.policy.mirror.url}#${e.path}`, digest: { sha256: e.digest.slice(7) } })),
      verificationResult: o.report.ok ? 'PASSED' : 'FAILED',
      verifiedLevels: o.report.ok ? ['CSAE_COVERAGE_V1'] : [],
      csae: { commits: r.commits, covered: r.covered, uncovered: r.uncovered.map((d) => d.commit), mirrorHead: o.chain.head },
    },
  };
}

export async function vsaBytes(statement: object, signer?: Signer): Promise<Buffer> {
  return storedBytes(signer ? await signStatement(statement, signer) : statement);
}
