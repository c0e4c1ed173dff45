// `csae keygen` and `csae policy trust|set|revoke|show`: editing .csae/policy.yaml in the work tree (the
// change takes effect once it lands on the protected ref). Paths are relative to ctx.cwd.
// Depends on: policy, sign (key files). Must not: print or read process state.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CsaeError } from '../core/errors.js';
import type { Context } from '../context.js';
import { openRepo } from '../git/repo.js';
import { generateKeyFiles } from '../sign/key.js';
import { revokeSigner, setPolicy, trustSigner } from '../policy/edit.js';
import { workingPolicy } from './policyfile.js';
import { MirrorStore } from '../mirror/store.js';
import type { Policy, Role } from '../policy/policy.js';
import { policyWithCutover, type CutoverInEffect } from './policyshow.js';

/** `csae keygen --out PATH`: an Ed25519 key pair, PATH (private, mode 600) and PATH.pub */
export async function keygen(ctx: Context, o: { out: string }): Promise<{ private: string; public: string; keyid: string }> {
  const path = resolve(ctx.cwd, o.out);
  const r = generateKeyFiles(path);
  return { private: path, public: r.publicPath, keyid: r.keyid };
}

export interface TrustOptions {
  roles: Role[];
  name: string;
  /** part of the signer's verified identity: "name <email>" */
  email?: string;
  /** public key files, relative to ctx.cwd */
  key?: string;
  sshKey?: string;
  sigstoreIssuer?: string;
  sigstoreIdentity?: string;
}

export async function policyTrust(ctx: Context, o: TrustOptions): Promise<Policy> {
  const repo = await openRepo(ctx);
  return trustSigner(repo, { roles: o.roles, name: o.name, email: o.email, keyFile: o.key ? resolve(ctx.cwd, o.key) : undefined, sshKeyFile: o.sshKey ? resolve(ctx.cwd, o.sshKey) : undefined, sigstoreIssuer: o.sigstoreIssuer, sigstoreIdentity: o.sigstoreIdentity });
}

export async function policySet(ctx: Context, o: { key: string; value: string }): Promise<Policy> {
  return setPolicy(await openRepo(ctx), o.key, o.value);
}

/**
 * `csae policy revoke --name X [--compromised [--since SEQ]]`: departed (earlier entries stay valid) or
 * compromised (entries from SEQ on are void under every epoch). --since is checked against the audit log.
 */
export async function policyRevoke(ctx: Context, o: { name: string; compromised?: boolean; since?: number }): Promise<{ policy: Policy; removed: number; compromised: number }> {
  const repo = await openRepo(ctx);
  const logSize = async (): Promise<number> => (await new MirrorStore(repo, workingPolicy(repo)).chain()).tip?.seq ?? 0;
  return revokeSigner(repo, o.name, { compromised: o.compromised, since: o.since, logSize });
}

/** `csae policy show`: the policy as csae reads it, and the cutover in effect */
export async function policyShow(ctx: Context): Promise<{ policy: Policy; cutover: CutoverInEffect }> {
  return policyWithCutover(await openRepo(ctx));
}

/** `csae policy sigstore-root --out FILE`: the current Sigstore trusted root, fetched through TUF (network),
 *  written to FILE (relative to ctx.cwd). The TUF client loads lazily: only this command needs it. */
export async function sigstoreRoot(ctx: Context, o: { out: string; tufMirror?: string; tufRoot?: string }): Promise<{ path: string }> {
  if (o.tufMirror && !o.tufRoot) throw new CsaeError('usage', '--tuf-mirror needs --tuf-root: the initial root.json of that TUF repository');
  const { fetchTrustedRoot } = await import('../sign/sigstore/root.js');
  const cachePath = mkdtempSync(join(tmpdir(), 'csae-tuf-'));
  try {
    const root = await fetchTrustedRoot({ cachePath, mirrorURL: o.tufMirror, rootPath: o.tufRoot ? resolve(ctx.cwd, o.tufRoot) : undefined });
    const path = resolve(ctx.cwd, o.out);
    writeFileSync(path, JSON.stringify(root, null, 2) + '\n');
    return { path };
  } finally {
    rmSync(cachePath, { recursive: true, force: true });
  }
}
