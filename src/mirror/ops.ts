// Mirror operations beyond appending entries: signed checkpoints and inclusion proofs.
import { CsaeError } from '../core/errors.js';
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import { trustedKeys, type Policy } from '../policy/policy.js';
import type { Signer } from '../sign/signer.js';
import { noteSignerOf } from '../sign/tiers/key.js';
import { MirrorStore } from './store.js';
import { makeCheckpoint, proveInclusion, securityError, verifyCheckpoint, witnessesOf, type CheckpointFinding, type Inconsistency } from './checkpoint.js';
import { cosignNote, verifyCosignatures } from '../core/cosignature.js';
import { claimIndex } from './claims.js';
import { resolveRev } from '../git/range.js';
import { readFileSync } from 'node:fs';
import { heldCheckpointPath, readHeldCheckpoint, readWitnessCheckpoint, witnessCheckpointPath, writeHeldCheckpoint, writeWitnessCheckpoint } from '../state/witness.js';

export async function checkpoint(ctx: Context, repo: Repo, policy: Policy, signer: Signer): Promise<{ size: number; root: string; note: string; commit: string }> {
  const name = trustedKeys(policy, 'checkpoints').find((k) => k.keyid === signer.keyid)?.name;
  if (!name) throw new CsaeError('config', 'the signing key is not trusted for checkpoints by .csae/policy.yaml', { next: 'csae policy trust --checkpoints --name NAME --key KEY.pub (then commit and land the policy)' });
  const author = await repo.git.operatorIdentity();
  const m = /^(.*) <(.*)>$/.exec(author)!;
  const store = new MirrorStore(repo, policy);
  let made: { size: number; root: Buffer; note: Buffer } | null = null;
  const r = await store.append(
    async (view) => {
      const st = await view.full();
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

/**
 * Every checkpoint the mirror holds, checked against the verified leaves, plus the ones held outside it:
 * `since` (an auditor's) and the newest one this clone verified before. A validly signed checkpoint the
 * mirror contradicts (rewritten, truncated, forked) is a SECURITY error, thrown, when the chain was read
 * to its end (`complete`); with `witnesses.required`, some checkpoint must carry that many cosignatures.
 */
export async function verifyCheckpoints(store: MirrorStore, leaves: readonly string[], checkpoints: ReadonlyArray<{ path: string; blob: string }>, since?: string, complete = true): Promise<CheckpointFinding[]> {
  const blobs = await store.readBlobsById(checkpoints.map((c) => c.blob));
  const out: CheckpointFinding[] = [];
  const notes = new Map<CheckpointFinding, Buffer>();
  for (const c of checkpoints) {
    const b = blobs.get(c.blob);
    const f = b ? verifyCheckpoint(c.path, b, leaves, store.policy) : { path: c.path, ok: false, detail: 'checkpoint file could not be read' };
    if (b) notes.set(f, b);
    out.push(f);
  }
  const outside: Array<{ f: CheckpointFinding; holder: string }> = [];
  const heldFile = heldCheckpointPath(store.repo.stateDir);
  const held = readHeldCheckpoint(store.repo.stateDir);
  if (held) {
    const f = verifyCheckpoint(`held by this clone (${heldFile})`, held, leaves, store.policy);
    outside.push({ f, holder: 'the checkpoint this clone verified before' });
    out.push(f);
  }
  if (since) {
    const note = readOptional(since);
    if (!note) throw new CsaeError('usage', `cannot read the kept checkpoint ${since}`, { next: 'pass the file you saved from checkpoints/latest (or csae mirror prove)' });
    const f = verifyCheckpoint(`--since ${since}`, note, leaves, store.policy);
    outside.push({ f, holder: 'the checkpoint you hold' });
    out.push(f);
  }
  if (complete) {
    // outside ones first: what the holder kept is the strongest evidence; then witnessed, then signed
    const inMirror = out.filter((f) => !outside.some((o) => o.f === f));
    const order = [...outside, ...inMirror.filter((f) => f.witnesses?.length).map((f) => ({ f, holder: 'a witnessed checkpoint in the mirror' })), ...inMirror.map((f) => ({ f, holder: 'a signed checkpoint in the mirror' }))];
    for (const { f, holder } of order) if (f.inconsistent) throw securityError(f as CheckpointFinding & { inconsistent: Inconsistency }, holder);
  }
  const policy = store.policy;
  const required = policy.witnesses?.required ?? 0;
  if (required > 0 && leaves.length > 0 && !out.some((f) => f.ok && (f.witnesses?.length ?? 0) >= required)) {
    out.push({ path: 'witnesses', ok: false, detail: `no checkpoint carries the ${required} witness cosignature(s) the policy requires (witnesses.required): a fresh clone has nothing outside the mirror to check it against` });
  }
  if (complete && out.every((f) => f.ok)) {
    // remember the newest checkpoint (witnessed first): later verifications prove the mirror only grew since
    const best = [...notes.keys()].filter((f) => f.ok).sort((a, b) => (a.size ?? 0) - (b.size ?? 0) || (a.witnesses?.length ?? 0) - (b.witnesses?.length ?? 0)).pop();
    const heldSize = outside.find((o) => o.holder.includes('clone'))?.f.size ?? -1;
    if (best && (best.size ?? 0) >= heldSize) {
      writeHeldCheckpoint(store.repo.stateDir, notes.get(best)!); // a failure weakens the next check, never this one
    }
  }
  return out;
}

function readOptional(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

/**
 * `csae mirror cosign --key K`: a witness cosigns the mirror's latest checkpoint (C2SP tlog-cosignature)
 * after proving it consistent with the newest checkpoint this witness cosigned before — the one it keeps
 * itself (under .git/csae/witness/) or, failing that, the newest in the mirror carrying its cosignature.
 */
export async function cosign(ctx: Context, repo: Repo, policy: Policy, signer: Signer): Promise<{ witness: string; size: number; root: string; previous: { size: number; root: string } | null; note: string; commit: string }> {
  const name = trustedKeys(policy, 'witnesses').find((k) => k.keyid === signer.keyid)?.name;
  if (!name) throw new CsaeError('config', 'the signing key is not trusted as a witness by .csae/policy.yaml', { next: 'csae policy trust --witnesses --name NAME --key WITNESS.pub (then commit and land the policy)' });
  const key = noteSignerOf(signer, name);
  const author = await repo.git.operatorIdentity();
  const m = /^(.*) <(.*)>$/.exec(author)!;
  const store = new MirrorStore(repo, policy);
  const stateFile = witnessCheckpointPath(repo.stateDir, name);
  const witness = witnessesOf(policy).filter((w) => w.name === name);
  let made: { size: number; root: string; previous: { size: number; root: string } | null; note: Buffer } | null = null;
  // first what this witness kept, against the mirror as it is now (a rewritten mirror refuses appends
  // before any check could name what it contradicts)
  const kept = readWitnessCheckpoint(repo.stateDir, name);
  if (kept) {
    const now = await store.chain();
    if (now.intact || ('rewritten' in now && now.rewritten && now.problems.length === 1)) {
      const f = verifyCheckpoint(`the checkpoint witness ${name} cosigned before (${stateFile})`, kept, now.leaves ?? [], policy);
      if (f.inconsistent) throw securityError(f as CheckpointFinding & { inconsistent: Inconsistency }, `the newest checkpoint witness ${name} cosigned before`);
    }
  }
  const r = await store.append(
    async (view) => {
      const st = await view.full();
      const latest = [...st.checkpoints].reverse().find((c) => c.path === 'checkpoints/latest');
      if (!latest) throw new CsaeError('usage', 'the mirror has no checkpoint to cosign yet', { next: 'csae mirror checkpoint --key CHECKPOINT_KEY' });
      const all = await store.readBlobsById(st.checkpoints.map((c) => c.blob));
      const note = all.get(latest.blob);
      if (!note) throw new CsaeError('io', 'checkpoints/latest could not be read from the mirror clone');
      const leaves = st.leaves ?? [];
      const now = verifyCheckpoint('checkpoints/latest', note, leaves, policy);
      if (now.inconsistent) throw securityError(now as CheckpointFinding & { inconsistent: Inconsistency }, 'its own latest checkpoint');
      if (!now.ok) throw new CsaeError('verification-failed', `checkpoints/latest does not verify: ${now.detail}`, { next: 'csae mirror verify' });
      // the newest checkpoint this witness cosigned before: its own record first, the mirror's second
      const mine: Array<{ path: string; note: Buffer }> = [];
      if (kept) mine.push({ path: `the checkpoint witness ${name} cosigned before (${stateFile})`, note: kept });
      for (const c of st.checkpoints) {
        const b = all.get(c.blob);
        if (b && verifyCosignatures(b, witness).length) mine.push({ path: `${c.path} cosigned by ${name}`, note: b });
      }
      let previous: CheckpointFinding | null = null;
      for (const x of mine) {
        const f = verifyCheckpoint(x.path, x.note, leaves, policy);
        if (f.inconsistent) throw securityError(f as CheckpointFinding & { inconsistent: Inconsistency }, `the newest checkpoint witness ${name} cosigned before`);
        if (f.ok && (!previous || (f.size ?? 0) > (previous.size ?? 0))) previous = f;
      }
      const cosigned = cosignNote(note, key, Math.floor(ctx.now().getTime() / 1000));
      made = { size: now.size!, root: now.root!, previous: previous ? { size: previous.size!, root: previous.root! } : null, note: cosigned };
      return { files: new Map([['checkpoints/latest', cosigned]]), message: `csae: witness ${name} cosigns the checkpoint at size ${now.size}\n` };
    },
    { name: m[1]!, email: m[2]! },
  );
  const c = made! as { size: number; root: string; previous: { size: number; root: string } | null; note: Buffer };
  writeWitnessCheckpoint(repo.stateDir, name, c.note);
  ctx.info(`witness ${name} cosigned the checkpoint at size ${c.size} (root ${c.root})${c.previous ? `, consistent with size ${c.previous.size} it cosigned before` : ' (its first cosignature)'}`);
  return { witness: name, size: c.size, root: c.root, previous: c.previous, note: c.note.toString('utf8'), commit: r.commit };
}

export async function prove(ctx: Context, repo: Repo, policy: Policy, what: string): Promise<ReturnType<typeof proveInclusion> & { checkpoint: string | null }> {
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
