// Verification of the mirror chain: checks 1-4 of DESIGN §5 for every entry (schema, signature by a
// trusted signer, chain link and append-only history, repository id) plus the verdict files' integrity.
// Pure: mirror commits and blob bytes in, verified entries and problems out.
//
// Policy epochs (DESIGN §2.5): each entry is judged under the policy version in force when it was
// appended — the newest version activated by an earlier entry listing its commit. Structure (schema,
// seq, predecessor, append-only history, repository) breaks the chain; authority only voids an entry: an
// entry whose signer is not trusted under its epoch (or is revoked as compromised) stays in the chain and
// keeps it linked, but covers nothing.
import { sha256Hex } from '../core/digest.js';
import { leafHash } from '../core/merkle.js';
import { CHAIN_CHECKS, CheckList, type ChainCheckName, type CheckOutcome, type CheckResult } from '../core/checks.js';
import { CHAIN_STEPS, isCanonical, parseEntry, usable, type ChainStepContext } from './checks/index.js';
import type { BundlePredicate } from '../core/statement.js';
import { verifyEnvelope } from '../sign/envelope.js';
import type { Tier, TrustedSigner } from '../sign/signer.js';
import { classifyPath, entryPath, isModifiablePath, markerProblem, MARKER_PATH, sigstorePath } from './layout.js';
import type { MirrorCommit } from '../git/log.js';
import type { SignatureMemo } from '../verify/pool.js';
import { signerIdentity, trustedKeys } from '../policy/policy.js';
import type { EpochPlan } from '../policy/epochs.js';

export interface VerifiedEntry {
  seq: number;
  digest: string;
  path: string;
  mirrorCommit: string;
  signer: string;
  keyid: string;
  tier: Tier;
  /** the certificate identity of a keyless (sigstore) signature: issuer + subject */
  identity?: string;
  predicate: BundlePredicate;
  /** index of the policy epoch the entry was verified under (0: genesis) */
  epoch?: number;
  /** the commit of that policy version (null: no epoch history, the single policy given) */
  epochCommit?: string | null;
  /** the verified identity of the signer as the policy of its epoch names it: policy name (+ email) */
  signedAs?: string;
}

export interface ChainProblem {
  mirrorCommit: string;
  seq?: number;
  path?: string;
  checks: CheckResult[];
}

export interface VoidedEntry {
  seq: number;
  digest: string;
  /** seq of the repair entry naming (acknowledging) it; absent until one does */
  repairedBy?: number;
  /** why: 'structure' (a repaired break) or 'authority' (signer not trusted under its epoch, or compromised) */
  why?: 'structure' | 'authority';
  epochCommit?: string | null;
  checks: CheckResult[];
}

export interface ChainState {
  head: string | null; // last mirror commit verified
  lastSeq: number;
  lastDigest: string | null;
  entries: VerifiedEntry[];
  /** entries that fail verification but are named as breaks by a later, valid repair entry: they cover nothing */
  voided?: VoidedEntry[];
  /** RFC 6962 leaf hashes (hex) of every entry file in seq order, voided ones included: the checkpoint tree */
  leaves?: string[];
  verdicts: Record<string, string>; // digest -> blob id
  checkpoints: Array<{ path: string; blob: string }>;
  /** current epoch index and the seq of the entry that activated each epoch (epoch 0: 0) */
  epoch?: number;
  activations?: number[];
}

export interface ChainResult extends ChainState {
  problems: ChainProblem[];
  /** false once any problem is found: entries after the first problem are not trusted */
  intact: boolean;
  /** the last entry file in the history, verified or not (a repair entry links to it) */
  tip?: { seq: number; digest: string } | null;
  /** the head this clone verified before, when the mirror's history no longer contains it */
  rewritten?: string;
  /** every entry was verified from the mirror's bytes by this process (never set on what is read from .git/csae) */
  verifiedHere?: boolean;
}

export interface ChainOptions {
  /** null: structure only (the mirror's own pre-receive guard when no policy is configured) */
  repository: string | null;
  bundleKeys: readonly TrustedSigner[] | null;
  bypassKeys: readonly TrustedSigner[] | null;
  /** signature results verified ahead in parallel (verify/pool.ts); a miss is verified here */
  signatures?: SignatureMemo;
  /** policy epochs, oldest first; when given they replace the three fields above */
  epochs?: readonly ChainEpoch[];
  /** keys distrusted from `since` on under every epoch */
  compromised?: ReadonlyArray<{ keyid: string; name: string; since: number }>;
}

export interface ChainEpoch {
  commit: string | null;
  repository: string | null;
  bundleKeys: readonly TrustedSigner[] | null;
  bypassKeys: readonly TrustedSigner[] | null;
  /** an entry listing any of these commits activates this epoch for the entries after it */
  activatedBy: readonly string[];
  identity?: (name: string, role: 'bundles' | 'bypass') => string;
}

function epochsOf(o: ChainOptions): readonly ChainEpoch[] {
  return o.epochs?.length ? o.epochs : [{ commit: null, repository: o.repository, bundleKeys: o.bundleKeys, bypassKeys: o.bypassKeys, activatedBy: [] }];
}

export function emptyChain(): ChainState {
  return { head: null, lastSeq: 0, lastDigest: null, entries: [], verdicts: {}, checkpoints: [] };
}

/** Extend `prev` (already verified) with `commits` (the mirror commits after prev.head, oldest first). */
export function verifyChain(prev: ChainState, commits: readonly MirrorCommit[], blobs: ReadonlyMap<string, Buffer>, o: ChainOptions): ChainResult {
  const st: ChainResult = { ...prev, entries: [...prev.entries], voided: [...(prev.voided ?? [])], leaves: [...(prev.leaves ?? [])], verdicts: { ...prev.verdicts }, checkpoints: [...prev.checkpoints], epoch: prev.epoch ?? 0, activations: [...(prev.activations ?? [0])], problems: [], intact: true, tip: prev.lastSeq ? { seq: prev.lastSeq, digest: prev.lastDigest! } : null };
  const epochs = epochsOf(o);
  const repairs = scanRepairs(commits, blobs, o);
  // a repair appended now may acknowledge a void entry verified before
  for (const v of st.voided!) if (v.repairedBy === undefined && repairs.has(v.seq)) st.voided![st.voided!.indexOf(v)] = { ...v, repairedBy: repairs.get(v.seq)! };
  for (const c of commits)
    for (const ch of c.changes) {
      const k = classifyPath(ch.path);
      const bytes = blobs.get(ch.blob);
      if (k.kind === 'entry' && ch.status === 'A' && bytes) st.tip = { seq: k.seq, digest: 'sha256:' + sha256Hex(bytes) };
    }
  for (const c of commits) {
    const problem = (checks: CheckResult[], seq?: number, path?: string): void => {
      st.problems.push({ mirrorCommit: c.id, ...(seq ? { seq } : {}), ...(path ? { path } : {}), checks });
      st.intact = false;
    };
    const expectedParents = st.head ? [st.head] : [];
    if (c.parents.length !== expectedParents.length || c.parents.some((p, i) => p !== expectedParents[i])) {
      problem([{ name: 'chain', ok: false, detail: `mirror history is not linear at ${c.id.slice(0, 12)} (parents ${c.parents.map((p) => p.slice(0, 12)).join(', ') || 'none'}, expected ${expectedParents.map((p) => p.slice(0, 12)).join(', ') || 'none'})` }]);
      break;
    }
    if (!st.head) {
      // the mirror's first commit declares its layout: a reader refuses one it does not know (DESIGN §2.4)
      const m = c.changes.find((ch) => ch.path === MARKER_PATH && ch.status === 'A');
      const why = markerProblem(m ? (blobs.get(m.blob) ?? Buffer.alloc(0)) : undefined);
      if (why) {
        problem([{ name: 'chain', ok: false, detail: why }]);
        break;
      }
    }
    const entryChanges = [];
    const bad: string[] = [];
    const added = new Set(c.changes.filter((ch) => ch.status === 'A').map((ch) => ch.path));
    for (const ch of c.changes) {
      const k = classifyPath(ch.path);
      const modifiable = isModifiablePath(ch.path) && (ch.status === 'M' || ch.status === 'A');
      if (ch.status !== 'A' && !modifiable) bad.push(`${ch.status === 'D' ? 'deletes' : ch.status === 'M' ? 'modifies' : 'changes (' + ch.status + ')'} ${ch.path}`);
      else if (k.kind === 'other') bad.push(`adds ${JSON.stringify(ch.path)}, which is outside the mirror layout`);
      else if (k.kind === 'marker' && st.head) bad.push(`adds ${MARKER_PATH} after the mirror's first commit`);
      else if (k.kind === 'entry') entryChanges.push({ ...ch, seq: k.seq });
      else if (k.kind === 'rendering' && !added.has(entryPath(k.seq))) bad.push(`adds the rendering ${ch.path} without its entry ${entryPath(k.seq)} (a rendering arrives with its envelope, never alone)`);
      else if (k.kind === 'entry-sigstore' || k.kind === 'verdict-sigstore') {
        // a Sigstore bundle arrives with the envelope it signs, never later
        const envelopePath = ch.path.replace(/\.sigstore\.json$/, '.dsse.json');
        if (!added.has(envelopePath)) bad.push(`adds ${ch.path} without its envelope ${envelopePath}`);
      }
      else if (k.kind === 'verdict') {
        const bytes = blobs.get(ch.blob);
        if (!bytes || 'sha256:' + sha256Hex(bytes) !== k.digest) bad.push(`verdict file ${ch.path} does not hash to its name`);
        else if (!isCanonical(bytes)) bad.push(`verdict file ${ch.path} is not canonical JCS`);
        else st.verdicts[k.digest] = ch.blob;
      } else if (k.kind === 'checkpoint' || k.kind === 'checkpoint-latest') st.checkpoints.push({ path: ch.path, blob: ch.blob });
    }
    if (entryChanges.length > 1) bad.push(`appends ${entryChanges.length} entries in one commit (one entry per commit)`);
    if (bad.length) {
      problem([{ name: 'chain', ok: false, detail: `mirror commit ${c.id.slice(0, 12)} is not append-only: ${bad.join('; ')}` }]);
      break;
    }
    st.head = c.id;
    if (entryChanges.length === 0) continue;
    const ch = entryChanges[0]!;
    const bytes = blobs.get(ch.blob);
    const sidecarChange = c.changes.find((x) => x.status === 'A' && x.path === sigstorePath(ch.path));
    const ep = epochs[Math.min(st.epoch!, epochs.length - 1)]!;
    const res = verifyEntry(ch.seq, ch.path, bytes, st, { repository: ep.repository, bundleKeys: ep.bundleKeys, bypassKeys: ep.bypassKeys, compromised: o.compromised, signatures: o.signatures }, sidecarChange ? (blobs.get(sidecarChange.blob) ?? null) : null);
    if (!res.entry) {
      const repairedBy = repairs.get(ch.seq);
      // authority, not structure: only the signature failed — void, never a break
      const authority = bytes !== undefined && res.checks.failed().every((f) => f.name === 'signature');
      if (bytes && (repairedBy !== undefined || authority)) {
        // it covers nothing, and the chain goes on linked through its bytes
        st.voided!.push({ seq: ch.seq, digest: 'sha256:' + sha256Hex(bytes), ...(repairedBy !== undefined ? { repairedBy } : {}), why: authority ? 'authority' : 'structure', epochCommit: ep.commit, checks: res.checks.results });
        st.leaves!.push(leafHash(bytes).toString('hex'));
        st.lastSeq = ch.seq;
        st.lastDigest = 'sha256:' + sha256Hex(bytes);
        continue;
      }
      problem(res.checks.results, ch.seq, ch.path);
      break;
    }
    const role = res.entry.predicate.kind === 'bypass' ? 'bypass' : 'bundles';
    st.entries.push({ ...res.entry, mirrorCommit: c.id, epoch: st.epoch!, epochCommit: ep.commit, signedAs: ep.identity ? ep.identity(res.entry.signer, role) : res.entry.signer });
    st.leaves!.push(leafHash(bytes!).toString('hex'));
    st.lastSeq = res.entry.seq;
    st.lastDigest = res.entry.digest;
    // the next policy versions this entry lists take effect after it (several at once when it lists several)
    const listed = new Set(res.entry.predicate.range.commits);
    while (st.epoch! + 1 < epochs.length && epochs[st.epoch! + 1]!.activatedBy.some((x) => listed.has(x))) {
      st.epoch = st.epoch! + 1;
      st.activations![st.epoch] = res.entry.seq;
    }
  }
  return st;
}

/**
 * Breaks named by repair entries (breakSeq -> repair seq). Only a repair whose own signature verifies
 * under a bundle signer, and which names an earlier entry, counts; the repair itself is then verified
 * in order like any entry.
 */
function scanRepairs(commits: readonly MirrorCommit[], blobs: ReadonlyMap<string, Buffer>, o: ChainOptions): Map<number, number> {
  const out = new Map<number, number>();
  for (const c of commits)
    for (const ch of c.changes) {
      const k = classifyPath(ch.path);
      const bytes = blobs.get(ch.blob);
      if (k.kind !== 'entry' || ch.status !== 'A' || !bytes) continue;
      try {
        // the same parse check 1 uses (remembered for it: each entry file is parsed once)
        const { envelope: env, statement: stmt } = parseEntry(bytes, ch.path);
        const p = stmt?.predicate;
        if (p?.kind !== 'repair' || typeof p.notes?.breakSeq !== 'number' || p.notes.breakSeq >= k.seq) continue;
        const sc = c.changes.find((x) => x.status === 'A' && x.path === sigstorePath(ch.path));
        const keys = epochsOf(o).flatMap((e) => e.bundleKeys ?? []);
        if (o.bundleKeys !== null && !verifyEnvelope({ envelope: env, sidecar: sc ? (blobs.get(sc.blob) ?? null) : null }, usable(keys, k.seq, o.compromised)).ok) continue;
        if (!out.has(p.notes.breakSeq)) out.set(p.notes.breakSeq, k.seq);
      } catch {
        // not a readable repair entry
      }
    }
  return out;
}

/** Checks 1-4 for one entry, in the order of CHAIN_CHECKS (core/checks.ts), one module each (./checks/). */
export function verifyEntry(seq: number, path: string, bytes: Buffer | undefined, st: ChainState, o: Pick<ChainOptions, 'repository' | 'bundleKeys' | 'bypassKeys' | 'compromised' | 'signatures'>, sidecar: Buffer | null = null): { checks: CheckList; entry?: Omit<VerifiedEntry, 'mirrorCommit'> } {
  const ctx: ChainStepContext = { seq, path, bytes, st, o, sidecar };
  const checks = runChainSteps(ctx, CHAIN_STEPS);
  if (!checks.ok) return { checks };
  return { checks, entry: { seq, digest: 'sha256:' + sha256Hex(bytes!), path, ...signedFields(ctx), predicate: ctx.statement!.predicate } };
}

type ChainSteps = { readonly [K in ChainCheckName]: (ctx: ChainStepContext) => CheckOutcome };

/** Run the chain stage in CHAIN_CHECKS order; a step that says stop (an unreadable file) ends the run. */
function runChainSteps(ctx: ChainStepContext, steps: ChainSteps): CheckList {
  const checks = new CheckList();
  for (const name of CHAIN_CHECKS) {
    const r = steps[name](ctx);
    checks.record(name, r);
    if (!r.ok && r.stop) break;
  }
  return checks;
}

/** Who signed, as the signature check found it. */
function signedFields(ctx: ChainStepContext): Pick<VerifiedEntry, 'signer' | 'keyid' | 'tier' | 'identity'> {
  const sig = ctx.sig!;
  return { signer: sig.signer!, keyid: sig.keyid!, tier: sig.tier!, ...(sig.identity ? { identity: sig.identity } : {}) };
}

/**
 * Acceptance never rests on a cache (STYLE: caches are claims): the entry a verified index points to is
 * re-read from the mirror's git objects and checked again by the same check modules as the chain stage
 * (schema, signature under the keys of its epoch less compromised ones, repository). A re-read has no
 * predecessor state, so the link check (3) is replaced by what the index claimed: the bytes' digest and
 * the predicate's seq must be the claimed ones. Returns the entry as the bytes say.
 */
export function recheckEntry(claimed: VerifiedEntry, bytes: Buffer | undefined, o: Pick<ChainOptions, 'repository' | 'bundleKeys' | 'bypassKeys' | 'compromised' | 'signatures'>, sidecar: Buffer | null = null): { ok: true; entry: VerifiedEntry } | { ok: false; why: string; checks?: CheckResult[] } {
  if (!bytes) return { ok: false, why: `entry ${claimed.seq} is not in the mirror at ${claimed.path}` };
  const digest = 'sha256:' + sha256Hex(bytes);
  if (digest !== claimed.digest) return { ok: false, why: `entry ${claimed.seq} in the mirror has digest ${digest.slice(0, 19)}, the verified index says ${claimed.digest.slice(0, 19)}` };
  // NOTE: fail closed: a re-read always checks a signature (no keys verify nothing); the chain stage's
  // "not checked" pass is for the mirror's own guard without a policy, never for an acceptance
  const keys = { repository: o.repository, bundleKeys: o.bundleKeys ?? [], bypassKeys: o.bypassKeys ?? [], compromised: o.compromised, ...(o.signatures ? { signatures: o.signatures } : {}) };
  const ctx: ChainStepContext = { seq: claimed.seq, path: claimed.path, bytes, st: emptyChain(), o: keys, sidecar };
  const seqClaimed = (c: ChainStepContext): CheckOutcome => {
    const p = c.statement!.predicate;
    return p.seq === claimed.seq ? { ok: true } : { ok: false, detail: `the entry at ${claimed.path} says seq ${p.seq}, the verified index ${claimed.seq}` };
  };
  const checks = runChainSteps(ctx, { ...CHAIN_STEPS, chain: seqClaimed });
  if (!checks.ok) return { ok: false, why: `entry ${claimed.seq} under the policy in force at it: ${checks.failed().map((f) => `${f.name}: ${f.detail}`).join('; ')}`, checks: checks.results };
  // NOTE: who signed is what the signature says, never what the index claimed (identity, signedAs)
  const { identity: _claimedIdentity, signedAs: _claimedSignedAs, ...rest } = claimed;
  return { ok: true, entry: { ...rest, ...signedFields(ctx), predicate: ctx.statement!.predicate } };
}

/** The plan as the chain verifier takes it: each epoch's keys and repository. */
export function chainEpochs(plan: EpochPlan): ChainEpoch[] {
  return plan.versions.map((v) => ({
    commit: v.commit,
    repository: v.policy?.repository ?? null,
    bundleKeys: v.policy ? trustedKeys(v.policy, 'bundles') : [],
    bypassKeys: v.policy ? trustedKeys(v.policy, 'bypass') : [],
    activatedBy: v.activatedBy,
    identity: (name, role) => (v.policy ? signerIdentity(v.policy, role, name) : name),
  }));
}

