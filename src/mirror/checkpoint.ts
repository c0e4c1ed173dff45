// Signed checkpoints of the audit mirror (C2SP tlog-checkpoint in a signed note): the RFC 6962 Merkle
// root over every entry file, in seq order, at a size. A kept checkpoint lets an auditor prove later that
// the mirror only grew. Verification is pure: leaves, note bytes and verifier keys in, findings out.
import { CsaeError } from '../core/errors.js';
import { rootOfFirst, inclusionProof, consistencyProof, verifyConsistency } from '../core/merkle.js';
import { verifyCosignatures, type Witness } from '../core/cosignature.js';
import { formatCheckpoint, keyId, openCheckpoint, signNote, type NoteVerifierKey } from '../core/note.js';
import type { KeyObject } from 'node:crypto';
import { TIERS } from '../sign/tiers/index.js';
import type { Policy } from '../policy/policy.js';

export function checkpointOrigin(p: Policy): string {
  return `csae-mirror:${p.repository}`;
}

export function checkpointVerifiers(p: Policy): NoteVerifierKey[] {
  const out: NoteVerifierKey[] = [];
  for (const s of p.signers?.checkpoints ?? []) {
    const nv = TIERS.find((t) => t.names(s))?.noteVerifier?.(s);
    if (nv) out.push({ name: s.name, keyIdHex: keyId(s.name, nv.raw).toString('hex'), publicKey: nv.raw, key: nv.key });
  }
  return out;
}

export function leafBuffers(leaves: readonly string[]): Buffer[] {
  return leaves.map((h) => Buffer.from(h, 'hex'));
}

export function makeCheckpoint(p: Policy, leaves: readonly string[], signer: { name: string; privateKey: KeyObject }): { size: number; root: Buffer; note: Buffer } {
  const size = leaves.length;
  if (size === 0) throw new CsaeError('usage', 'the mirror has no entries yet: nothing to checkpoint');
  const root = rootOfFirst(leafBuffers(leaves), size);
  const note = signNote(formatCheckpoint({ origin: checkpointOrigin(p), size, rootHash: root }), [signer]);
  return { size, root, note };
}

/** Witnesses the policy trusts to cosign checkpoints (Ed25519 keys of their own). */
export function witnessesOf(p: Policy): Witness[] {
  const out: Witness[] = [];
  for (const s of p.signers?.witnesses ?? []) {
    // the signer registry knows which tiers can verify signed notes (Ed25519 keys)
    const nv = TIERS.find((t) => t.names(s))?.noteVerifier?.(s);
    if (nv) out.push({ name: s.name, publicKey: nv.raw, key: nv.key });
  }
  return out;
}

/** How many witness cosignatures make a checkpoint "witnessed": the policy's witnesses.required, at least 1. */
export function witnessesRequired(p: Policy): number {
  return Math.max(1, p.witnesses?.required ?? 1);
}

export interface Inconsistency {
  /** the checkpoint that was held (signed, maybe witnessed): size and root */
  held: { size: number; root: string; witnesses: string[] };
  /** what the mirror holds now */
  mirror: { size: number; root: string };
  /** the proof that failed */
  proof: string;
  what: 'rewritten' | 'truncated';
}

export interface CheckpointFinding {
  path: string;
  ok: boolean;
  size?: number;
  root?: string;
  signers?: string[];
  /** witnesses whose cosignatures verify */
  witnesses?: string[];
  /** the mirror contradicts this validly signed checkpoint: a SECURITY error */
  inconsistent?: Inconsistency;
  detail: string;
}

const b64 = (b: Buffer): string => b.toString('base64');

/**
 * Check one checkpoint note against the mirror's leaves: signature by a checkpoint signer, origin, then
 * the consistency proof from its size to the mirror's size, which must verify against both roots. A
 * validly signed checkpoint the mirror contradicts is an inconsistency (rewritten, truncated, forked).
 */
export function verifyCheckpoint(path: string, note: Buffer, leaves: readonly string[], p: Policy): CheckpointFinding {
  const verifiers = checkpointVerifiers(p);
  if (verifiers.length === 0) return { path, ok: false, detail: 'the policy names no checkpoint signer (csae policy trust --checkpoints ...)' };
  let opened;
  try {
    opened = openCheckpoint(note, verifiers);
  } catch (e) {
    return { path, ok: false, detail: `not a checkpoint signed by a trusted checkpoint signer: ${(e as Error).message}` };
  }
  const c = opened.checkpoint;
  const signers = opened.verified.map((v) => v.name);
  const witnesses = verifyCosignatures(note, witnessesOf(p)).map((w) => w.name);
  if (c.origin !== checkpointOrigin(p)) return { path, ok: false, signers, witnesses, detail: `origin ${c.origin} is not ${checkpointOrigin(p)}` };
  const size = Number(c.size);
  const n = leaves.length;
  const mine = rootOfFirst(leafBuffers(leaves), n);
  const held = { size, root: b64(c.rootHash), witnesses };
  const mirror = { size: n, root: b64(mine) };
  if (c.size > BigInt(n)) {
    const inconsistent: Inconsistency = { held, mirror, what: 'truncated', proof: `no consistency proof from size ${size} to size ${n} can exist: the mirror holds fewer entries than the checkpoint` };
    return { path, ok: false, size, root: held.root, signers, witnesses, inconsistent, detail: `checkpoint size ${size} is larger than the mirror (${n} entries): entries were removed` };
  }
  const proof = consistencyProof(leafBuffers(leaves), size, n);
  if (!verifyConsistency(c.size, BigInt(n), c.rootHash, mine, proof)) {
    const inconsistent: Inconsistency = { held, mirror, what: 'rewritten', proof: `the consistency proof from size ${size} to size ${n} (${proof.length} hash(es)) does not verify against the checkpoint's root` };
    return { path, ok: false, size, root: held.root, signers, witnesses, inconsistent, detail: `the first ${size} entries no longer hash to the signed root: the mirror was rewritten` };
  }
  return { path, ok: true, size, root: held.root, signers, witnesses, detail: `size ${size}, root ${held.root}, signed by ${signers.join(', ')}${witnesses.length ? `, cosigned by ${witnesses.join(', ')}` : ''}` };
}

/** The SECURITY error for a mirror that contradicts a checkpoint someone holds (exit 1). */
export function securityError(f: CheckpointFinding & { inconsistent: Inconsistency }, holder: string): CsaeError {
  const x = f.inconsistent;
  const w = x.held.witnesses.length ? `, cosigned by witness(es) ${x.held.witnesses.join(', ')}` : '';
  return new CsaeError(
    'mirror-inconsistent',
    `SECURITY ERROR: the audit mirror is inconsistent with ${holder} (${f.path}: size ${x.held.size}, root ${x.held.root}${w}). The mirror now holds size ${x.mirror.size}, root ${x.mirror.root}. ${x.proof}: the mirror was ${x.what === 'truncated' ? 'truncated' : 'rewritten or forked'} after that checkpoint was signed.`,
    {
      next: 'do not trust this mirror: keep the checkpoint as evidence, compare with other clones and the witnesses, restore the mirror from a clone that holds the verified history (docs/RECOVERY.md: mirror tampering)',
      data: { held: x.held, mirror: x.mirror, proof: x.proof, what: x.what, checkpoint: f.path },
    },
  );
}

export function proveInclusion(leaves: readonly string[], seq: number, size = leaves.length): { seq: number; treeSize: number; leafHash: string; root: string; proof: string[] } {
  if (seq < 1 || seq > size) throw new CsaeError('usage', `entry ${seq} is not in a tree of ${size} entries`);
  const buf = leafBuffers(leaves.slice(0, size));
  return { seq, treeSize: size, leafHash: leaves[seq - 1]!, root: rootOfFirst(buf, size).toString('hex'), proof: inclusionProof(buf, seq - 1).map((b) => b.toString('hex')) };
}

