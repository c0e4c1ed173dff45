// Mirror operations beyond appending entries: signed checkpoints and inclusion proofs.
import { CsaeError } from '../core/errors.js';
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import { readPolicyFile } from '../policy/edit.js';
import { trustedKeys } from '../policy/policy.js';
import type { Signer } from '../sign/signer.js';
import { noteSignerOf } from '../sign/tiers/key.js';
import { operatorIdentity } from '../intent/intent.js';
import { MirrorStore } from './store.js';
import { makeCheckpoint, proveInclusion, verifyCheckpoint, type CheckpointFinding } from './checkpoint.js';
import { claimIndex } from './claims.js';
import { resolveRev } from '../git/range.js';
import { readFileSync } from 'node:fs';

export async function checkpoint(ctx: Context, repo: Repo, signer: Signer): Promise<{ size: number; root: string; note: string; commit: string }> {
  const policy = readPolicyFile(repo);
  const name = trustedKeys(policy, 'checkpoints').find((k) => k.keyid === signer.keyid)?.name;
  if (!name) throw new CsaeError('config', 'the signing key is not trusted for checkpoints by .csae/policy.yaml', { next: 'csae policy trust --checkpoints --name NAME --key KEY.pub (then commit and land the policy)' });
  const author = await operatorIdentity(repo);
  const m = /^(.*) <(.*)>$/.exec(author)!;
  const store = new MirrorStore(repo, policy);
  let made: { size: number; root: Buffer; note: Buffer } | null = null;
  const r = await store.append(
    async (st) => {
      made = makeCheckpoint(policy, st.leaves ?? [], noteSignerOf(signer, name));
      const path = `checkpoints/${String(made.size).padStart(12, '0')}`;
      if (st.checkpoints.some((c) => c.path === path)) throw new CsaeError('usage', `a checkpoint at size ${made.size} exists already`, { next: 'append entries first, or keep checkpoints/latest' });
      return { files: new Map([[path, made.note], ['checkpoints/latest', made.note]]), message: `csae: checkpoint at size ${made.size}\n` };
    },
    { name: m[1]!, email: m[2]! },
  );
  const c = made! as { size: number; root: Buffer; note: Buffer };
  ctx.info(`signed checkpoint at size ${c.size} (root ${c.root.toString('base64')}) appended to ${store.url}`);
  return { size: c.size, root: c.root.toString('hex'), note: c.note.toString('utf8'), commit: r.commit };
}

/** Every checkpoint the mirror holds, checked against the verified leaves (and `since`, a kept one). */
export async function verifyCheckpoints(store: MirrorStore, leaves: readonly string[], checkpoints: ReadonlyArray<{ path: string; blob: string }>, since?: string): Promise<CheckpointFinding[]> {
  const blobs = await store.readBlobsById(checkpoints.map((c) => c.blob));
  const out: CheckpointFinding[] = [];
  for (const c of checkpoints) {
    const b = blobs.get(c.blob);
    out.push(b ? verifyCheckpoint(c.path, b, leaves, store.policy) : { path: c.path, ok: false, detail: 'checkpoint file could not be read' });
  }
  if (since) {
    let note: Buffer;
    try {
      note = readFileSync(since);
    } catch {
      throw new CsaeError('usage', `cannot read the kept checkpoint ${since}`);
    }
    out.push(verifyCheckpoint(`--since ${since}`, note, leaves, store.policy));
  }
  return out;
}

export async function prove(ctx: Context, repo: Repo, what: string): Promise<ReturnType<typeof proveInclusion> & { checkpoint: string | null }> {
  const policy = readPolicyFile(repo);
  const store = new MirrorStore(repo, policy);
  const chain = await store.chain({ sync: false });
  let seq: number;
  if (/^\d{1,12}$/.test(what)) seq = Number(what);
  else {
    const commit = await resolveRev(repo.git, what);
    const e = claimIndex(chain).byCommit.get(commit)?.[0];
    if (!e) throw new CsaeError('coverage-failed', `no mirrored entry lists ${commit}`, { next: `csae audit who ${commit.slice(0, 12)}` });
    seq = e.seq;
  }
  const latest = chain.checkpoints.filter((c) => c.path === 'checkpoints/latest').pop();
  const note = latest ? (await store.readBlob(latest.blob))?.toString('utf8') ?? null : null;
  const size = note ? Number(note.split('\n')[1]) : (chain.leaves ?? []).length;
  void ctx;
  return { ...proveInclusion(chain.leaves ?? [], seq, seq <= size ? size : (chain.leaves ?? []).length), checkpoint: seq <= size ? note : null };
}
