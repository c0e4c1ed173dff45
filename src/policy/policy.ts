// The policy (.csae/policy.yaml): types, parsing with schema validation, serialisation, and the trusted
// keys it declares per role. Pure except loadPolicyAt, which reads through the git interface.
import { createRequire } from 'node:module';
import { readPolicyCache, writePolicyCache } from '../state/policy-cache.js';
import { CsaeError } from '../core/errors.js';
import { sha256Hex } from '../core/digest.js';
import { assertSchema } from '../schema/validate.js';
import { trustedSigners, type TrustContext } from '../sign/tiers/index.js';
import type { SignerEntry, TrustedSigner } from '../sign/signer.js';
import type { GitPort } from '../git/port.js';

export const POLICY_PATH = '.csae/policy.yaml';

export type Role = 'bundles' | 'verdicts' | 'bypass' | 'checkpoints' | 'witnesses';
export const ROLES: readonly Role[] = ['bundles', 'verdicts', 'bypass', 'checkpoints', 'witnesses'];

export type { SignerEntry } from '../sign/signer.js';

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
  /** keyless verification: the trusted root JSON file committed in this repository (default: the pinned public-good root) */
  sigstore?: { trustedRoot?: string };
  /** how many trusted witnesses must cosign a checkpoint for it to count (C2SP tlog-cosignature) */
  witnesses?: { required?: number };
  /** under twoParty, may a retroactive entry stand without a second party's verdict? (default two-party) */
  retroactive?: 'two-party' | 'solo';
  /** keys distrusted from `since` on under every epoch (`csae policy revoke --compromised`) */
  compromised?: CompromisedSigner[];
}

export interface CompromisedSigner {
  name: string;
  key?: string;
  ssh?: string;
  since: number;
}

// Trust material a policy names by path (the Sigstore trusted root) is read by whoever loaded the
// policy, from the same revision, and attached here; trustedKeys hands it to the signer tiers.
const trustMaterial = new WeakMap<Policy, TrustContext>();

/** Attach the trusted root `read(path)` returns for `p` (read at the policy's own revision). */
export async function attachTrustMaterial(p: Policy, read: (path: string) => Promise<Buffer | null>): Promise<Policy> {
  const path = p.sigstore?.trustedRoot;
  return path ? attachTrustBytes(p, await read(path).catch(() => null)) : p;
}

/** Attach the bytes of the trusted root `p` names (null: not found). */
export function attachTrustBytes(p: Policy, bytes: Buffer | null): Policy {
  const path = p.sigstore?.trustedRoot;
  if (!path) return p;
  let t: TrustContext;
  try {
    t = bytes ? { sigstoreTrustedRoot: JSON.parse(bytes.toString('utf8')) } : { sigstoreTrustedRootError: `the trusted root ${path} the policy names is not in the repository` };
  } catch (e) {
    t = { sigstoreTrustedRootError: `the trusted root ${path} the policy names is not JSON: ${(e as Error).message}` };
  }
  trustMaterial.set(p, t);
  return p;
}

/** What the trust material adds to the policy's meaning (for cache keys): null when it adds nothing. */
export function trustFingerprint(p: Policy): string | null {
  if (!p.sigstore?.trustedRoot) return null;
  const t = trustOf(p);
  return t.sigstoreTrustedRoot ? sha256Hex(JSON.stringify(t.sigstoreTrustedRoot)) : `unreadable:${t.sigstoreTrustedRootError}`;
}

function trustOf(p: Policy): TrustContext {
  return trustMaterial.get(p) ?? (p.sigstore?.trustedRoot ? { sigstoreTrustedRootError: `the trusted root ${p.sigstore.trustedRoot} the policy names was not read` } : {});
}

// yaml is loaded on first use only: the pre-push hook usually answers from the parsed-policy cache.
type YamlMod = { parse(t: string, o?: object): unknown; stringify(v: unknown, o?: object): string };
let yamlMod: YamlMod | null = null;
function yaml(): YamlMod {
  return (yamlMod ??= createRequire(import.meta.url)('yaml') as YamlMod);
}

export function parsePolicy(text: string, where: string): Policy {
  let doc: unknown;
  try {
    doc = yaml().parse(text, { prettyErrors: false, uniqueKeys: true, maxAliasCount: 10 });
  } catch (e) {
    throw new CsaeError('policy-invalid', `${where} is not valid YAML: ${(e as Error).message.split('\n')[0]}`, { next: 'fix the file by hand, or run `csae policy show` to see what is read' });
  }
  assertSchema('policy', doc, where, 'policy-invalid');
  return doc as Policy;
}

export function serializePolicy(p: Policy): string {
  return '# csae policy: who may sign bundles and verdicts, what is protected. See `csae policy --help`.\n' + yaml().stringify(p, { lineWidth: 0 });
}

export function mirrorBranch(p: Policy): string {
  return p.mirror.branch ?? 'main';
}

/** The signers `p` trusts for `role`, built by the signer registry (sign/tiers). */
export function trustedKeys(p: Policy, role: Role, t: TrustContext = trustOf(p)): TrustedSigner[] {
  return trustedSigners(p.signers?.[role] ?? [], t);
}

/** The verified identity of a trusted signer: the policy's name, and its email when the policy gives one. */
export function signerIdentity(p: Policy, role: Role, name: string): string {
  const s = (p.signers?.[role] ?? []).find((x) => x.name === name);
  return s?.email ? `${name} <${s.email}>` : name;
}

/** Keys revoked as compromised, with the seq from which their entries are distrusted under every epoch. */
export function compromisedKeys(p: Policy): Array<{ keyid: string; name: string; since: number }> {
  const out: Array<{ keyid: string; name: string; since: number }> = [];
  for (const c of p.compromised ?? []) {
    const k = trustedSigners([{ name: c.name, ...(c.key ? { key: c.key } : {}), ...(c.ssh ? { ssh: c.ssh } : {}) }])[0];
    if (k) out.push({ keyid: k.keyid, name: c.name, since: c.since });
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

/**
 * The policy committed at `rev`, or null when `rev` has none. An unreadable policy throws (fail closed).
 * With `cacheDir`, policies already parsed and validated are looked up by the sha256 of their bytes.
 */
export async function loadPolicyAt(git: GitPort, rev: string, cacheDir?: string): Promise<Policy | null> {
  const buf = await git.readFileAt(rev, POLICY_PATH);
  if (!buf) return null;
  const p = parsePolicyCached(buf, `${POLICY_PATH} at ${rev.slice(0, 12)}`, cacheDir);
  return attachTrustMaterial(p, (path) => git.readFileAt(rev, path));
}

/**
 * Parse (and schema-check) policy bytes, remembering the result under the sha256 of the bytes in
 * `cacheDir`/policy-cache.json: the hooks and audits then need neither yaml nor a schema check.
 */
export function parsePolicyCached(buf: Buffer, where: string, cacheDir?: string): Policy {
  const key = sha256Hex(buf);
  // missing, corrupt or of another version: an empty cache, parse again
  const cache = cacheDir ? readPolicyCache(cacheDir) : null;
  const hit = cache?.get(key);
  if (hit) return hit as unknown as Policy;
  const p = parsePolicy(buf.toString('utf8'), where);
  if (cache && cacheDir) {
    cache.set(key, p as unknown as Record<string, unknown>);
    writePolicyCache(cacheDir, cache); // a cache that cannot be written costs time, never correctness
  }
  return p;
}

export function requireVerdict(p: Policy): boolean {
  return (p.require?.verdict ?? 'required') === 'required';
}
