// Bundle publishing: sign at publish time (seq and predecessor are only known then), append one entry per
// mirror commit, push the mirror. Every draft is checked with the validator's own checks first, so what
// reaches the mirror would pass them.
import { readFileSync } from 'node:fs';
import { CsaeError } from '../core/errors.js';
import { storedBytes } from '../core/jcs.js';
import { sha256Hex } from '../core/digest.js';
import { rfc3339 } from '../core/time.js';
import { BUNDLE_PREDICATE, STATEMENT_TYPE, subjectsFor, type BundlePredicate, type Claim, type Statement } from '../core/statement.js';
import { assertSchema } from '../schema/validate.js';
import { signStatement } from '../sign/envelope.js';
import type { Signer } from '../sign/signer.js';
import type { Context, Repo } from '../context.js';
import { trustedKeys, type Policy } from '../policy/policy.js';
import { MirrorStore } from '../mirror/store.js';
import { entryPath, renderingPath, verdictPath } from '../mirror/layout.js';
import type { ChainResult } from '../mirror/chain.js';
import { parseVerdictBytes, type VerdictFile } from '../verdict/verdict.js';
import { operatorIdentity } from '../intent/intent.js';
import { checkEntry } from '../validate/entry.js';
import { claimIndex } from '../validate/coverage.js';
import { GitOracle } from '../validate/oracle.js';
import { resolveCutover, verdictLoader } from '../validate/validate.js';
import { readDrafts, retireDraft, type Draft } from './drafts.js';
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
  const signerName = trustedKeys(policy, 'bundles').find((k) => k.keyid === signer.keyid)?.name;
  if (!signerName) throw new CsaeError('config', `the signing key ${signer.keyid.slice(0, 16)}… is not trusted for bundles by ${'.csae/policy.yaml'}, so its entries would not verify`, { next: 'csae policy trust --bundles --name NAME --key KEY.pub (then commit the policy)' });
  const author = await operatorIdentity(repo);
  const m = /^(.*) <(.*)>$/.exec(author)!;
  const store = new MirrorStore(repo, policy);
  const out: Published[] = [];
  for (const { name, draft } of drafts) {
    const verdicts = draft.verdictFiles.map((f) => parseVerdictBytes(readFileSync(f), f));
    let published: Published | null = null;
    await store.append(
      async (st) => {
        const seq = st.lastSeq + 1;
        const predecessor = st.lastSeq === 0 ? null : { seq: st.lastSeq, digest: st.lastDigest! };
        const predicate = predicateFromDraft(draft, seq, predecessor, author, rfc3339(ctx.now()));
        await preflight(repo, policy, store, st, predicate, signer.keyid, signerName, verdicts);
        const statement: Statement<BundlePredicate> = { _type: STATEMENT_TYPE, subject: subjectsFor(predicate.range.commits), predicateType: BUNDLE_PREDICATE, predicate };
        assertSchema('bundle', statement, `entry ${seq}`);
        const envelope = await signStatement(statement, signer);
        const bytes = storedBytes(envelope);
        const files = new Map<string, Buffer>([
          [entryPath(seq), bytes],
          [renderingPath(seq), Buffer.from(renderEntry(predicate, entryPath(seq).split('/').pop()!))],
        ]);
        for (const v of verdicts) if (!st.verdicts[v.digest]) files.set(verdictPath(v.digest), v.bytes);
        published = { seq, workstream: predicate.workstream, kind: predicate.kind, digest: 'sha256:' + sha256Hex(bytes), path: entryPath(seq), mirrorCommit: '', commits: predicate.range.commits.length };
        return { files, message: `csae: append entry ${seq} (${predicate.kind} ${predicate.workstream})\n` };
      },
      { name: m[1]!, email: m[2]! },
    ).then((r) => {
      published!.mirrorCommit = r.commit;
    });
    retireDraft(repo, name, published!.seq);
    out.push(published!);
    ctx.info(`published entry ${published!.seq} (${published!.kind} ${published!.workstream}, ${published!.commits} commit(s)) to ${store.url}`);
  }
  return out;
}

/** Run checks 5-9 on the entry about to be appended, against this clone's git objects. */
async function preflight(repo: Repo, policy: Policy, store: MirrorStore, st: ChainResult, predicate: BundlePredicate, keyid: string, signer: string, local: VerdictFile[]): Promise<void> {
  const { firstClaim } = claimIndex(st);
  const fromMirror = await verdictLoader(store, st);
  const cutover = await resolveCutover(repo, policy, predicate.range.head);
  const checks = await checkEntry(
    { seq: predicate.seq, digest: '', path: entryPath(predicate.seq), mirrorCommit: '', signer, keyid, tier: 'key', predicate },
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
