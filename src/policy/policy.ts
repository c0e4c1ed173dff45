// The policy (.csae/policy.yaml): types, parsing with schema validation, serialisation, and the trusted
// keys it declares per role. Pure except loadPolicyAt, which reads through the git interface.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { CsaeError } from '../core/errors.js';
import { sha256Hex } from '../core/digest.js';
import { canonicalize } from '../core/jcs.js';
import { assertSchema } from '../schema/validate.js';
import { Ed25519TrustedKey } from '../sign/key.js';
import type { TrustedKey } from '../sign/signer.js';
import type { Git } from '../git/git.js';

export const POLICY_PATH = '.csae/policy.yaml';

export type Role = 'bundles' | 'verdicts' | 'bypass' | 'checkpoints';
export const ROLES: readonly Role[] = ['bundles', 'verdicts', 'bypass', 'checkpoints'];

export interface SignerEntry {
  name: string;
  key?: string; // ed25519:<base64 raw public key>
  ssh?: string;
  sigstore?: { issuer: string; identity: string };
}

export interface Policy {
  version: 1;
  repository: string;
  mirror: { url: string; branch?: string };
  protect: string[];
  cutover?: string;
  signers?: Partial<Record<Role, SignerEntry[]>>;
  require?: { verdict?: 'required' | 'optional'; twoParty?: boolean; floor?: number };
  bypass?: { allowed?: boolean };
  mergeCommits?: 'none' | 'clean';
  rewrites?: 'none' | 'replay';
  intentGuard?: 'off' | 'warn' | 'block';
}

export function parsePolicy(text: string, where: string): Policy {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: false, uniqueKeys: true, maxAliasCount: 10 });
  } catch (e) {
    throw new CsaeError('policy-invalid', `${where} is not valid YAML: ${(e as Error).message.split('\n')[0]}`, { next: 'fix the file by hand, or run `csae policy show` to see what is read' });
  }
  assertSchema('policy', doc, where, 'policy-invalid');
  return doc as Policy;
}

export function serializePolicy(p: Policy): string {
  return '# csae policy: who may sign bundles and verdicts, what is protected. See `csae policy --help`.\n' + stringifyYaml(p, { lineWidth: 0 });
}

/** A digest of everything in the policy that affects verification (used to key caches). */
export function policyDigest(p: Policy): string {
  return sha256Hex(canonicalize(p));
}

export function mirrorBranch(p: Policy): string {
  return p.mirror.branch ?? 'main';
}

export function trustedKeys(p: Policy, role: Role): TrustedKey[] {
  const out: TrustedKey[] = [];
  for (const s of p.signers?.[role] ?? []) {
    if (s.key) out.push(new Ed25519TrustedKey(s.name, Buffer.from(s.key.slice('ed25519:'.length), 'base64')));
    // ssh and sigstore entries are verified by their own tiers; a policy naming one is still valid here.
  }
  return out;
}

export function isProtected(p: Policy, ref: string): boolean {
  return p.protect.some((pat) => globMatch(pat, ref));
}

function globMatch(pattern: string, s: string): boolean {
  if (!pattern.includes('*')) return pattern === s;
  const re = new RegExp('^' + pattern.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('[^/]*') + '$');
  return re.test(s);
}

/** The policy committed at `rev`, or null when `rev` has none. An unreadable policy throws (fail closed). */
export async function loadPolicyAt(git: Git, rev: string): Promise<Policy | null> {
  const buf = await git.readFileAt(rev, POLICY_PATH);
  if (!buf) return null;
  return parsePolicy(buf.toString('utf8'), `${POLICY_PATH} at ${rev.slice(0, 12)}`);
}

export function requireVerdict(p: Policy): boolean {
  return (p.require?.verdict ?? 'required') === 'required';
}
