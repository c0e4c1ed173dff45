// Signed checkpoints of the audit mirror (C2SP tlog-checkpoint in a signed note): the RFC 6962 Merkle
// root over every entry file, in seq order, at a size. A kept checkpoint lets an auditor prove later that
// the mirror only grew. Verification is pure: leaves, note bytes and verifier keys in, findings out.
import { CsaeError } from '../core/errors.js';
import { rootOfFirst, inclusionProof } from '../core/merkle.js';
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

export interface CheckpointFinding {
  path: string;
  ok: boolean;
  size?: number;
  signers?: string[];
  detail: string;
}

/** Check one checkpoint note against the mirror's leaves: signature by a checkpoint signer, origin, root. */
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
  if (c.origin !== checkpointOrigin(p)) return { path, ok: false, signers, detail: `origin ${c.origin} is not ${checkpointOrigin(p)}` };
  if (c.size > BigInt(leaves.length)) return { path, ok: false, size: Number(c.size), signers, detail: `checkpoint size ${c.size} is larger than the mirror (${leaves.length} entries): entries were removed` };
  const root = rootOfFirst(leafBuffers(leaves), Number(c.size));
  if (!root.equals(c.rootHash)) return { path, ok: false, size: Number(c.size), signers, detail: `the first ${c.size} entries no longer hash to the signed root: the mirror was rewritten` };
  return { path, ok: true, size: Number(c.size), signers, detail: `size ${c.size}, root ${c.rootHash.toString('base64')}, signed by ${signers.join(', ')}` };
}

export function proveInclusion(leaves: readonly string[], seq: number, size = leaves.length): { seq: number; treeSize: number; leafHash: string; root: string; proof: string[] } {
  if (seq < 1 || seq > size) throw new CsaeError('usage', `entry ${seq} is not in a tree of ${size} entries`);
  const buf = leafBuffers(leaves.slice(0, size));
  return { seq, treeSize: size, leafHash: leaves[seq - 1]!, root: rootOfFirst(buf, size).toString('hex'), proof: inclusionProof(buf, seq - 1).map((b) => b.toString('hex')) };
}

