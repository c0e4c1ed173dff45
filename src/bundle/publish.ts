// Bundle publishing: sign at publish time (seq and predecessor are only known then), append one entry per
// mirror commit, push the mirror. Every draft is checked with the validator's own checks first, so what
// reaches the mirror would pass them.
import { CsaeError } from '../core/errors.js';
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
import type { ChainResult } from '../mirror/chain.js';
import { readVerdictFile, type VerdictFile } from '../verdict/verdict.js';
import { operatorIdentity } from '../intent/intent.js';
import { checkEntry } from '../validate/entry.js';
import { claimIndex } from '../mirror/claims.js';
import { GitOracle } from '../validate/oracle.js';
import { resolveCutover, verdictLoader } from '../validate/validate.js';
import { readDrafts, retireDraft, type Draft } from '../state/drafts.js';
import { readPolicyFile } from '../policy/edit.js';
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

export async function publishDrafts(ctx: Context, repo: Repo, signer: Signer, o: { workstream?: string } = {}): Promise<Published[]> {
  const policy = readPolicyFile(repo);
  const drafts = readDrafts(repo).filter((d) => !o.workstream || d.name === o.workstream);
  if (drafts.length === 0) throw new CsaeError('nothing-to-publish', o.workstream ? `no authored bundle for ${o.workstream} is waiting` : 'no authored bundle is waiting to be published', { next: 'csae bundle author --workstream ID --verdict FILE' });
  const out: Published[] = [];
  for (const { name, draft } of drafts) {
    const verdicts = draft.verdictFiles.map((f) => readVerdictFile(f));
    const published = await publishEntry(ctx, repo, policy, signer, draft, verdicts);
    retireDraft(repo, name, published.seq);
    out.push(published);
  }
  return out;
}

/** Sign and append one entry built from `draft` (any kind); checks 5-9 run on it first. */
export async function publishEntry(ctx: Context, repo: Repo, policy: Policy, signer: Signer, draft: Draft, verdicts: VerdictFile[]): Promise<Published> {
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
  const author = await operatorIdentity(repo);
  const m = /^(.*) <(.*)>$/.exec(author)!;
  const store = new MirrorStore(repo, policy);
  let published: Published | null = null;
  const r = await store.append(
    async (st) => {
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
      await preflight(repo, judge, store, st, predicate, check, verdicts);
      const bytes = storedBytes(signed.envelope);
      const files = new Map<string, Buffer>([
        [entryPath(seq), bytes],
        [renderingPath(seq), Buffer.from(renderEntry(predicate, entryPath(seq).split('/').pop()!))],
      ]);
      if (signed.sidecar) files.set(sigstorePath(entryPath(seq)), signed.sidecar);
      for (const v of verdicts)
        if (!st.verdicts[v.digest]) {
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

/** Run checks 5-9 on the entry about to be appended, against this clone's git objects. */
async function preflight(repo: Repo, policy: Policy, store: MirrorStore, st: ChainResult, predicate: BundlePredicate, sig: SignatureCheck, local: VerdictFile[]): Promise<void> {
  const { firstClaim } = claimIndex(st);
  const fromMirror = await verdictLoader(store, st);
  const cutover = await resolveCutover(repo, policy, predicate.range.head);
  const checks = await checkEntry(
    { seq: predicate.seq, digest: '', path: entryPath(predicate.seq), mirrorCommit: '', signer: sig.signer!, keyid: sig.keyid!, tier: sig.tier!, ...(sig.identity ? { identity: sig.identity } : {}), predicate },
    {
      policy,
      cutover,
      oracle: new GitOracle(repo.git),
      firstClaim,
      readCommits: (ids) => repo.git.readCommits(ids),
      loadVerdict: async (d) => local.find((v) => v.digest === d) ?? (await fromMirror(d)),
      verdictKeys: trustedKeys(policy, 'verdicts'),
    },
  );
  if (!checks.ok) {
    const f = checks.failed();
    throw new CsaeError('verification-failed', `the bundle for ${predicate.workstream} would not verify: ${f.map((x) => `check ${x.name}: ${x.detail}`).join('; ')}`, {
      next: predicate.kind === 'standard' ? 'fix the cause, then re-author: remove .git/csae/drafts/<ws>.json, git reset --hard HEAD~1 (drops only the attestation commit), csae bundle author' : 'fix the cause and run the command again',
    });
  }
}
