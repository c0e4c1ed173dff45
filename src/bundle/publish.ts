// Bundle publishing: sign at publish time (seq and predecessor are only known then), append one entry per
// mirror commit, push the mirror. Every draft is checked with the validator's own checks first, so what
// reaches the mirror would pass them.
import { CsaeError, type ErrorCode } from '../core/errors.js';
import { assertWorkstream } from '../core/ids.js';
import { storedBytes } from '../core/jcs.js';
import { sha256Hex } from '../core/digest.js';
import { rfc3339 } from '../core/time.js';
import { BUNDLE_PREDICATE, STATEMENT_TYPE, subjectsFor, type BundlePredicate, type Claim, type Statement } from '../core/statement.js';
import { assertSchema } from '../schema/validate.js';
import { signEnvelope, verifyEnvelope, type SignatureCheck } from '../sign/envelope.js';
import type { Signer } from '../sign/signer.js';
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import { loadPolicyAt, trustedKeys, type Policy } from '../policy/policy.js';
import { MirrorStore } from '../mirror/store.js';
import { entryPath, renderingPath, sigstorePath, verdictPath } from '../mirror/layout.js';
import { firstClaimant, type ChainView } from '../mirror/view.js';
import { readVerdictFile, type VerdictFile } from '../verdict/verdict.js';
import { checkEntry, entryEnvironment } from '../validate/checks/index.js';
import { GitOracle } from '../git/oracle.js';
import { resolveCutover, verdictLoader } from '../validate/validate.js';
import { readDrafts, retireDraft, type Draft, type DraftFile } from '../state/drafts.js';
import { renderEntry } from './render.js';

export interface Published {
  seq: number;
  workstream: string;
  kind: string;
  digest: string;
  path: string;
  mirrorCommit: string;
  commits: number;
}

export function predicateFromDraft(d: Draft, seq: number, predecessor: BundlePredicate['predecessor'], author: string, createdAt: string): BundlePredicate {
  if (d.kind === 'standard') {
    const c = d.claim as Claim;
    return {
      version: 1,
      kind: 'standard',
      repository: c.repository,
      workstream: c.workstream,
      scope: c.scope,
      range: { base: c.range.base, head: d.head, commits: [...c.range.commits, d.head] },
      verdicts: c.verdicts,
      selfAttestation: { commit: d.head, claimDigest: d.claimDigest },
      ...(c.assistance ? { assistance: c.assistance } : {}),
      seq,
      predecessor,
      author,
      createdAt,
    };
  }
  if (!d.predicate) throw new CsaeError('config', `draft for a ${d.kind} entry has no predicate`);
  return { ...d.predicate, seq, predecessor, author, createdAt };
}

export interface DraftOutcome {
  workstream: string;
  draft: string;
  /** published now · already-published: its entry was in the mirror (a publish interrupted after the push) · failed */
  status: 'published' | 'already-published' | 'failed';
  seq?: number;
  digest?: string;
  entry?: Published;
  error?: { code: ErrorCode; message: string; next?: string };
}

export interface PublishReport {
  ok: boolean;
  results: DraftOutcome[];
  /** the entries appended by this run */
  published: Published[];
  /** drafts of other branches left alone (publish them with --all or --workstream) */
  skipped: string[];
}

/**
 * Publish drafts, each on its own: the drafts of the current branch (those whose attestation commit is in
 * HEAD's history), or one workstream, or all. Idempotent by claim digest: a draft whose entry is already
 * in the mirror is reported as published and retired. One failing draft never stops the others.
 */
export async function publishDrafts(ctx: Context, repo: Repo, policy: Policy, signer: Signer, o: { workstream?: string; all?: boolean } = {}): Promise<PublishReport> {
  const ws = o.workstream === undefined ? undefined : assertWorkstream(o.workstream);
  const files = readDrafts(repo);
  const head = await repo.git.resolveCommit('HEAD');
  const selected: DraftFile[] = [];
  const skipped: string[] = [];
  for (const f of files) {
    if (ws !== undefined) {
      if (f.name === ws) selected.push(f);
    } else if (o.all || !f.draft) selected.push(f); // a corrupt draft is always reported: it names no branch
    else if (head && (await repo.git.hasObject(f.draft.head)) && (await repo.git.isAncestor(f.draft.head, head))) selected.push(f);
    else skipped.push(f.name);
  }
  if (selected.length === 0) {
    const others = skipped.length ? ` (${skipped.length} draft(s) of other branches wait: ${skipped.join(', ')})` : '';
    throw new CsaeError('nothing-to-publish', ws ? `no authored bundle for ${ws} is waiting` : `no authored bundle of this branch is waiting to be published${others}`, {
      next: skipped.length ? `csae bundle publish --workstream ${skipped[0]}   (or --all)` : 'csae bundle author --workstream ID --verdict FILE',
    });
  }
  if (skipped.length) ctx.info(`left ${skipped.length} draft(s) of other branches alone: ${skipped.join(', ')} (csae bundle publish --all, or --workstream ID)`);
  const store = new MirrorStore(repo, policy);
  // what the mirror already holds: the entry first listing a draft's attestation commit, when it carries
  // the draft's claim (a publish killed after its push leaves its draft behind)
  let view: ChainView;
  let results: DraftOutcome[] = [];
  try {
    view = await store.view();
  } catch (e) {
    // the mirror cannot be read: every selected draft fails the same way
    results = selected.map((f) => failed(f, e));
    return { ok: false, results, published: [], skipped };
  }
  for (const f of selected) {
    if (!f.draft) {
      results.push(failed(f, f.error));
      continue;
    }
    try {
      const d = f.draft;
      const had = d.kind === 'standard' ? publishedAs(view, d.head, d.claimDigest) : undefined;
      if (had) {
        retireDraft(repo, f.name, had.seq);
        ctx.info(`${f.name}: already published as entry ${had.seq} (an earlier publish was interrupted after its push); draft retired`);
        results.push({ workstream: f.name, draft: f.path, status: 'already-published', seq: had.seq, digest: had.digest });
        continue;
      }
      const verdicts = d.verdictFiles.map((v) => readDraftVerdict(v, f));
      const published = await publishEntry(ctx, repo, policy, signer, d, verdicts, f.path);
      retireDraft(repo, f.name, published.seq);
      results.push({ workstream: f.name, draft: f.path, status: 'published', seq: published.seq, digest: published.digest, entry: published });
    } catch (e) {
      const had = e instanceof CsaeError ? (e.data?.alreadyPublished as { seq: number; digest: string } | undefined) : undefined;
      if (had) {
        retireDraft(repo, f.name, had.seq);
        ctx.info(`${f.name}: already published as entry ${had.seq}; draft retired`);
        results.push({ workstream: f.name, draft: f.path, status: 'already-published', seq: had.seq, digest: had.digest });
        continue;
      }
      const out = failed(f, e);
      ctx.info(`${f.name}: NOT published: ${out.error!.message}${out.error!.next ? `\n  next: ${out.error!.next}` : ''}`);
      results.push(out);
    }
  }
  return { ok: results.every((r) => r.status !== 'failed'), results, published: results.flatMap((r) => (r.entry ? [r.entry] : [])), skipped };
}

function readDraftVerdict(file: string, f: DraftFile): VerdictFile {
  try {
    return readVerdictFile(file);
  } catch (e) {
    throw new CsaeError('config', `the draft ${f.path} names the verdict ${file}, which cannot be read (${(e as Error).message})`, { next: `restore the verdict file, or move the draft aside and author again: csae bundle author --workstream ${f.name} --verdict FILE` });
  }
}

function failed(f: DraftFile, e: unknown): DraftOutcome {
  const err = e instanceof CsaeError ? e : new CsaeError('io', `publishing ${f.path} failed: ${(e as Error)?.message ?? String(e)}`);
  return { workstream: f.name, draft: f.path, status: 'failed', error: { code: err.code, message: err.message, ...(err.next ? { next: err.next } : {}) } };
}

/** Sign and append one entry built from `draft` (any kind); checks 5-9 run on it first. */
export async function publishEntry(ctx: Context, repo: Repo, policy: Policy, signer: Signer, draft: Draft, verdicts: VerdictFile[], draftPath?: string): Promise<Published> {
  const role = draft.kind === 'bypass' ? 'bypass' : 'bundles';
  // Validators judge by the protected ref's current policy (the trust root), not this work tree's: an
  // entry the trust root would reject breaks the chain for everyone, so it is refused here.
  const root = await trustRootPolicy(repo, policy);
  const judge = root?.policy ?? policy;
  const where = root ? `the policy on ${root.ref} (the trust root)` : '.csae/policy.yaml';
  const untrusted = (who: string, why = ''): CsaeError =>
    new CsaeError('config', `${who} is not trusted for ${role} by ${where}, so the entry would not verify and would break the chain${why ? ` (${why})` : ''}`, {
      next: root && signer.keyid && trustedKeys(policy, role).some((k) => k.keyid === signer.keyid) ? `land the policy change on ${root.ref} first (covered by a bundle signed by an already-trusted key)` : `csae policy trust --${role} --name NAME --key KEY.pub, commit it and land it`,
    });
  // a signer whose key is known before signing is checked now; a keyless one once it has its certificate
  const judgeKeys = trustedKeys(judge, role);
  if (signer.keyid && !judgeKeys.some((k) => k.keyid === signer.keyid)) throw untrusted(`the signing key ${signer.keyid.slice(0, 16)}…`);
  const author = await repo.git.operatorIdentity();
  const m = /^(.*) <(.*)>$/.exec(author)!;
  const store = new MirrorStore(repo, policy);
  let published: Published | null = null;
  // checks 5-9 depend on the chain only through which earlier entries claim this entry's commits: a retry
  // after a lost race re-runs them only when that changed (a short window between fetch and push is what
  // lets a racing publisher win eventually)
  let checkedFor: string | null = null;
  const r = await store.append(
    async (st) => {
      // idempotent by claim digest: an interrupted publish whose push still landed (its git child outlives
      // it) shows up here, on a retry after the race it caused
      const had = draft.kind === 'standard' ? publishedAs(st, draft.head, draft.claimDigest) : undefined;
      if (had) throw new CsaeError('usage', `the bundle for ${draft.predicate?.workstream ?? (draft.claim as Claim).workstream} is already entry ${had.seq}`, { data: { alreadyPublished: { seq: had.seq, digest: had.digest } } });
      // NOTE: a keyless signature is logged in Rekor when made; a retry after a race signs again
      // a repair links to the last entry file even when that entry is the break it names
      const last = draft.kind === 'repair' && st.tip ? st.tip : st.lastSeq === 0 ? null : { seq: st.lastSeq, digest: st.lastDigest! };
      const seq = (last?.seq ?? 0) + 1;
      const predecessor = last;
      const predicate = predicateFromDraft(draft, seq, predecessor, author, rfc3339(ctx.now()));
      const statement: Statement<BundlePredicate> = { _type: STATEMENT_TYPE, subject: subjectsFor(predicate.range.commits), predicateType: BUNDLE_PREDICATE, predicate };
      assertSchema('bundle', statement, `entry ${seq}`);
      const signed = await signEnvelope(statement, signer);
      // what is appended must verify under the trust root, whatever the tier: checked on the stored
      // material (a keyless signer learns who it is only from its certificate)
      const check = verifyEnvelope({ envelope: signed.envelope, sidecar: signed.sidecar ?? null }, judgeKeys);
      if (!check.ok) throw untrusted(`the ${signer.tier} signature`, check.why);
      const claimsKey = predicate.range.commits.map((c) => st.firstClaim(c) ?? '-').join(',') + `|${check.signer}|${st.head}`;
      if (claimsKey !== checkedFor) {
        await preflight(repo, judge, store, st, predicate, check, verdicts, draftPath);
        checkedFor = claimsKey;
      }
      const bytes = storedBytes(signed.envelope);
      const files = new Map<string, Buffer>([
        [entryPath(seq), bytes],
        [renderingPath(seq), Buffer.from(renderEntry(predicate, entryPath(seq).split('/').pop()!))],
      ]);
      if (signed.sidecar) files.set(sigstorePath(entryPath(seq)), signed.sidecar);
      for (const v of verdicts)
        if (!st.verdictBlob(v.digest)) {
          files.set(verdictPath(v.digest), v.bytes);
          if (v.sidecar) files.set(sigstorePath(verdictPath(v.digest)), v.sidecar);
        }
      published = { seq, workstream: predicate.workstream, kind: predicate.kind, digest: 'sha256:' + sha256Hex(bytes), path: entryPath(seq), mirrorCommit: '', commits: predicate.range.commits.length };
      return { files, message: `csae: append entry ${seq} (${predicate.kind} ${predicate.workstream})\n` };
    },
    { name: m[1]!, email: m[2]! },
    draft.kind === 'repair' ? { repairing: draft.predicate?.notes?.breakSeq } : {},
  );
  const p = published! as Published;
  p.mirrorCommit = r.commit;
  ctx.info(`published entry ${p.seq} (${p.kind} ${p.workstream}, ${p.commits} commit(s)) to ${store.url}`);
  return p;
}

/** The policy committed on the first protected branch as this clone last fetched it, if any. */
async function trustRootPolicy(repo: Repo, policy: Policy): Promise<{ ref: string; policy: Policy } | null> {
  for (const ref of policy.protect) {
    const m = /^refs\/heads\/([^*]+)$/.exec(ref);
    if (!m) continue;
    const tracking = `refs/remotes/origin/${m[1]}`;
    const tip = await repo.git.resolveCommit(tracking);
    if (!tip) continue;
    const p = await loadPolicyAt(repo.git, tip, repo.stateDir);
    if (p) return { ref: `origin/${m[1]}`, policy: p };
  }
  return null;
}

/** The entry that published a standard draft: the first to list its attestation commit, with its claim. */
function publishedAs(view: ChainView, attestation: string, claim: string): { seq: number; digest: string } | undefined {
  const e = firstClaimant(view, attestation);
  return e?.predicate.selfAttestation?.claimDigest === claim ? { seq: e.seq, digest: e.digest } : undefined;
}

/** Run checks 5-9 on the entry about to be appended, against this clone's git objects. */
async function preflight(repo: Repo, policy: Policy, store: MirrorStore, st: ChainView, predicate: BundlePredicate, sig: SignatureCheck, local: VerdictFile[], draftPath?: string): Promise<void> {
  const firstClaim = { get: (c: string) => st.firstClaim(c) };
  const fromMirror = await verdictLoader(store, st);
  const cutover = await resolveCutover(repo, policy, predicate.range.head);
  const checks = await checkEntry(
    { seq: predicate.seq, digest: '', path: entryPath(predicate.seq), mirrorCommit: '', signer: sig.signer!, keyid: sig.keyid!, tier: sig.tier!, ...(sig.identity ? { identity: sig.identity } : {}), predicate },
    entryEnvironment(repo.git, { policy, cutover, firstClaim, loadVerdict: async (d) => local.find((v) => v.digest === d) ?? (await fromMirror(d)) }),
  );
  if (!checks.ok) {
    const f = checks.failed();
    throw new CsaeError('verification-failed', `the bundle for ${predicate.workstream} would not verify: ${f.map((x) => `check ${x.name}: ${x.detail}`).join('; ')}`, {
      // NOTE: never advise a reset: the attestation commit may not be HEAD any more, and a new one on top
      // supersedes it (check 5 lists the old one as an ordinary commit of the new range)
      next:
        predicate.kind === 'standard'
          ? `fix the cause, move the draft aside (mv ${draftPath ?? `.git/csae/drafts/${predicate.workstream}.json`} ${draftPath ?? `.git/csae/drafts/${predicate.workstream}.json`}.bad) and author again on top of HEAD: csae bundle author --workstream ${predicate.workstream}`
          : 'fix the cause and run the command again',
    });
  }
}
