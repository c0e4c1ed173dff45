// Editing the working tree's .csae/policy.yaml: trust, revoke, set. Every edit is re-validated against
// the schema before it is written, so a policy csae writes is always one csae can read.
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CsaeError } from '../core/errors.js';
import { isCommitId } from '../core/ids.js';
import type { Repo } from '../git/repo.js';
import { policyEntry } from '../sign/tiers/index.js';
import { POLICY_PATH, ROLES, attachTrustBytes, parsePolicyCached, serializePolicy, type CompromisedSigner, type Policy, type Role, type SignerEntry } from './policy.js';
import { assertSchema } from '../schema/validate.js';

export function policyFile(repo: Repo): string {
  return join(repo.top, POLICY_PATH);
}

export function readPolicyFile(repo: Repo): Policy {
  let buf: Buffer;
  try {
    buf = readFileSync(policyFile(repo));
  } catch {
    throw new CsaeError('not-initialised', `no ${POLICY_PATH} here`, { next: 'csae init --mirror URL --key PATH' });
  }
  const p = parsePolicyCached(buf, POLICY_PATH, repo.stateDir);
  // the trusted root the policy names is read from the same work tree
  let root: Buffer | null = null;
  if (p.sigstore?.trustedRoot && !p.sigstore.trustedRoot.split('/').includes('..')) {
    try {
      root = readFileSync(join(repo.top, p.sigstore.trustedRoot));
    } catch {
      root = null;
    }
  }
  return attachTrustBytes(p, root);
}

export function writePolicyFile(repo: Repo, p: Policy): void {
  assertSchema('policy', p, 'the edited policy', 'policy-invalid');
  writeFileSync(policyFile(repo), serializePolicy(p));
}

export function trustSigner(repo: Repo, o: { roles: Role[]; name: string; email?: string; keyFile?: string; sshKeyFile?: string; sigstoreIssuer?: string; sigstoreIdentity?: string; ssh?: string }): Policy {
  if (o.roles.length === 0) throw new CsaeError('usage', 'say which role to trust the signer for: --bundles, --verdicts, --bypass, --checkpoints or --witnesses');
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(o.name)) throw new CsaeError('usage', `--name ${JSON.stringify(o.name)}: use 1-64 letters, digits, . _ @ -`);
  let entry: SignerEntry = policyEntry(o.name, { key: o.keyFile, sshKey: o.sshKeyFile, ssh: o.ssh, sigstoreIssuer: o.sigstoreIssuer, sigstoreIdentity: o.sigstoreIdentity });
  if (o.email !== undefined) {
    if (!/^[^<>\s]{1,200}@[^<>\s]{1,200}$/.test(o.email)) throw new CsaeError('usage', `--email ${JSON.stringify(o.email)} is not an email address`);
    const { name, ...rest } = entry;
    entry = { name, email: o.email, ...rest };
  }
  const p = readPolicyFile(repo);
  p.signers ??= {};
  for (const role of o.roles) {
    const list: SignerEntry[] = (p.signers[role] ??= []);
    const i = list.findIndex((s) => s.name === o.name);
    if (i >= 0) list[i] = entry;
    else list.push(entry);
  }
  writePolicyFile(repo, p);
  return p;
}

/**
 * Remove a signer from every role. A departed signer (the default) keeps its earlier entries: each entry
 * is judged under the policy in force when it was appended. `compromised` also records the signer's keys
 * with `since` (default 1): its entries from that seq on are distrusted under every epoch.
 */
export async function revokeSigner(repo: Repo, name: string, o: { compromised?: boolean; since?: number; logSize?: () => Promise<number> } = {}): Promise<{ policy: Policy; removed: number; compromised: number }> {
  if (o.since !== undefined && !o.compromised) throw new CsaeError('usage', '--since only applies to a compromised signer', { next: `csae policy revoke --name ${name} --compromised --since SEQ` });
  if (o.since !== undefined && (!Number.isInteger(o.since) || o.since < 1)) throw new CsaeError('usage', `--since must be an entry seq (1 or more), got ${JSON.stringify(o.since)}`, { next: 'csae mirror log   (the seqs of the entries)' });
  const p = readPolicyFile(repo);
  let removed = 0;
  const keys: CompromisedSigner[] = [];
  for (const role of ROLES) {
    const list = p.signers?.[role];
    if (!list) continue;
    for (const s of list) {
      if (s.name !== name) continue;
      if (s.key && !keys.some((k) => k.key === s.key)) keys.push({ name, key: s.key, since: o.since ?? 1 });
      if (s.ssh && !keys.some((k) => k.ssh === s.ssh)) keys.push({ name, ssh: s.ssh, since: o.since ?? 1 });
    }
    const kept = list.filter((s) => s.name !== name);
    removed += list.length - kept.length;
    p.signers![role] = kept;
  }
  if (removed === 0) throw new CsaeError('usage', `no signer named ${JSON.stringify(name)} in the policy`, { next: 'csae policy show   (the names are under signers)' });
  if (o.compromised) {
    if (o.since !== undefined && o.logSize) {
      const n = await o.logSize();
      if (o.since > n) throw new CsaeError('usage', `--since ${o.since} is past the end of the audit log (its last entry is ${n})`, { next: `csae mirror log   (pick a seq from 1 to ${n})` });
    }
    p.compromised = [...(p.compromised ?? []).filter((c) => !keys.some((k) => (k.key && k.key === c.key) || (k.ssh && k.ssh === c.ssh))), ...keys];
  }
  writePolicyFile(repo, p);
  return { policy: p, removed, compromised: o.compromised ? keys.length : 0 };
}

const SETTABLE = ['twoParty', 'retroactive', 'floor', 'verdict', 'mergeCommits', 'rewrites', 'intentGuard', 'cutover', 'repository', 'mirror.url', 'mirror.branch', 'protect', 'bypass.allowed', 'sigstore.trustedRoot', 'witnesses.required'] as const;

/**
 * A trusted root file for keyless verification: a path inside the repository (it is committed with the
 * policy and read at the policy's revision) holding a Sigstore trusted root.
 */
function checkTrustedRootFile(repo: Repo, value: string): string {
  const abs = resolve(repo.top, value);
  const rel = relative(repo.top, abs).split(sep).join('/');
  if (!rel || rel.startsWith('../') || isAbsolute(rel)) throw new CsaeError('usage', `sigstore.trustedRoot ${JSON.stringify(value)} is outside the repository; the trusted root is committed beside the policy`, { next: 'copy it into the repository (e.g. .csae/trusted_root.json) and set that path' });
  let json: { mediaType?: unknown; certificateAuthorities?: unknown; tlogs?: unknown };
  try {
    json = JSON.parse(readFileSync(abs, 'utf8'));
  } catch (e) {
    throw new CsaeError('usage', `sigstore.trustedRoot ${rel} cannot be read as JSON: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { next: 'csae policy set sigstore.trustedRoot PATH with a Sigstore trusted_root.json' });
  }
  if (typeof json?.mediaType !== 'string' || !json.mediaType.startsWith('application/vnd.dev.sigstore.trustedroot') || !Array.isArray(json.certificateAuthorities) || !Array.isArray(json.tlogs)) {
    throw new CsaeError('usage', `sigstore.trustedRoot ${rel} is not a Sigstore trusted root (mediaType application/vnd.dev.sigstore.trustedroot+json, certificateAuthorities, tlogs)`);
  }
  return rel;
}

export async function setPolicy(repo: Repo, key: string, value: string): Promise<Policy> {
  const p = readPolicyFile(repo);
  const bool = (): boolean => {
    if (value === 'true' || value === 'false') return value === 'true';
    throw new CsaeError('usage', `${key} takes true or false, got ${JSON.stringify(value)}`);
  };
  switch (key as (typeof SETTABLE)[number]) {
    case 'twoParty':
      (p.require ??= {}).twoParty = bool();
      break;
    case 'retroactive':
      if (value !== 'solo' && value !== 'two-party') throw new CsaeError('usage', `retroactive takes solo or two-party, got ${JSON.stringify(value)}`);
      p.retroactive = value;
      break;
    case 'floor': {
      const n = Number(value);
      if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n)) throw new CsaeError('usage', `floor takes a non-negative number, got ${JSON.stringify(value)}`);
      (p.require ??= {}).floor = n;
      break;
    }
    case 'verdict':
      (p.require ??= {}).verdict = value as 'required';
      break;
    case 'mergeCommits':
      p.mergeCommits = value as 'none';
      break;
    case 'rewrites':
      p.rewrites = value as 'none';
      break;
    case 'intentGuard':
      p.intentGuard = value as 'off';
      break;
    case 'cutover': {
      const id = isCommitId(value) ? value : await repo.git.resolveCommit(value);
      if (!id) throw new CsaeError('usage', `cutover ${JSON.stringify(value)} does not name a commit`);
      p.cutover = id;
      break;
    }
    case 'repository':
      p.repository = value;
      break;
    case 'mirror.url':
      p.mirror.url = value;
      break;
    case 'mirror.branch':
      p.mirror.branch = value;
      break;
    case 'protect':
      p.protect = value.split(',').map((s) => s.trim()).filter(Boolean);
      break;
    case 'bypass.allowed':
      (p.bypass ??= {}).allowed = bool();
      break;
    case 'sigstore.trustedRoot':
      (p.sigstore ??= {}).trustedRoot = checkTrustedRootFile(repo, value);
      break;
    case 'witnesses.required': {
      if (!/^\d{1,3}$/.test(value) || Number(value) > 100) throw new CsaeError('usage', `witnesses.required takes a whole number 0-100, got ${JSON.stringify(value)}`);
      (p.witnesses ??= {}).required = Number(value);
      break;
    }
    default:
      throw new CsaeError('usage', `unknown policy key ${JSON.stringify(key)}; settable: ${SETTABLE.join(', ')}`);
  }
  writePolicyFile(repo, p);
  return p;
}
