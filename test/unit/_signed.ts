// Real signatures for unit tests: Ed25519 people made in-test, signed verdicts and signed mirror entries.
// Nothing is mocked: verification in the code under test runs on these bytes exactly as on a mirror's.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { sha256Hex } from '../../src/core/digest.js';
import { storedBytes } from '../../src/core/jcs.js';
import { BUNDLE_PREDICATE, STATEMENT_TYPE, VERDICT_PREDICATE, subjectsFor, type BundlePredicate, type VerdictPredicate } from '../../src/core/statement.js';
import { signStatement } from '../../src/sign/envelope.js';
import { rawPublicKey } from '../../src/sign/key.js';
import type { SignerEntry, TrustedSigner } from '../../src/sign/signer.js';
import { Ed25519TrustedKey, KeySigner } from '../../src/sign/tiers/key.js';
import type { VerdictFile } from '../../src/verdict/verdict.js';

export interface Person {
  name: string;
  email: string;
  signer: KeySigner;
  trusted: TrustedSigner;
  /** the policy entry naming this person's key */
  entry: SignerEntry;
}

export function person(name: string): Person {
  const { privateKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(createPublicKey(privateKey));
  const email = `${name}@example.com`;
  return { name, email, signer: new KeySigner(privateKey), trusted: new Ed25519TrustedKey(name, raw), entry: { name, email, key: `ed25519:${raw.toString('base64')}` } };
}

/** A verdict by `who` over `commits` (subjects), signed, as the mirror stores it. */
export async function signedVerdict(who: Person, commits: readonly string[], o: Partial<VerdictPredicate> = {}): Promise<VerdictFile> {
  const predicate: VerdictPredicate = {
    reviewer: { name: who.name, email: who.email }, method: 'structured-review', range: { base: null, head: commits[commits.length - 1]! },
    score: 9, floor: 7, status: 'pass', defects: [], summary: 'reviewed', reviewedAt: '2026-01-01T00:00:00Z', ...o,
  };
  const statement = { _type: STATEMENT_TYPE, subject: subjectsFor(commits), predicateType: VERDICT_PREDICATE, predicate };
  const envelope = await signStatement(statement, who.signer);
  const bytes = storedBytes(envelope);
  return { bytes, digest: 'sha256:' + sha256Hex(bytes), envelope, statement: statement as VerdictFile['statement'] };
}

/** A mirror entry file (canonical DSSE envelope + newline) for `p`, signed by `who`. */
export async function signedEntry(who: Person, p: BundlePredicate): Promise<Buffer> {
  const stmt = { _type: STATEMENT_TYPE, subject: subjectsFor(p.range.commits), predicateType: BUNDLE_PREDICATE, predicate: p };
  return storedBytes(await signStatement(stmt, who.signer));
}

export const digestOf = (bytes: Buffer): string => 'sha256:' + sha256Hex(bytes);
