// Bundle authoring, phase one and two of DESIGN §2.3: compute the claim (scope + exact range + verdict
// references), make the self-attestation commit carrying its digest, and leave a draft for publish.
import { CsaeError } from '../core/errors.js';
import { assertWorkstream } from '../core/ids.js';
import { claimAssistance, claimDigest, withAssistance } from '../core/claim.js';
import { formatMessage } from '../core/trailers.js';
import { verdictFilePaths } from '../state/verdicts.js';
import { resolve } from 'node:path';
import type { Claim, VerdictRef } from '../core/statement.js';
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';
import { requireVerdict, type Policy } from '../policy/policy.js';
import { intentStatus, parseIntentCommit, readIntents, type IntentStatus, type MirroredLookup } from '../intent/intent.js';
import { firstClaimant, type ChainView } from '../mirror/view.js';
import { readVerdictFile, reviewerIdentity, storeVerdict, type VerdictFile } from '../verdict/verdict.js';
import { acceptVerdict } from '../verdict/accept.js';
import { MirrorStore } from '../mirror/store.js';
import { unclaimedRange } from '../validate/validate.js';
import { readDrafts, writeDraft } from '../state/drafts.js';

export function attestationMessage(claim: Claim, digest: string): string {
  return formatMessage(`csae: attest ${claim.workstream}`, `Self-attestation: commits ${claim.range.commits[0]!.slice(0, 12)}..this match the scope claim and verdicts below.`, [
    { key: 'CSAE-Type', value: 'attestation' },
    { key: 'CSAE-Workstream', value: claim.workstream },
    { key: 'CSAE-Claim', value: digest },
    { key: 'CSAE-Scope', value: claim.scope.commit },
    ...claim.verdicts.map((v) => ({ key: 'CSAE-Verdict', value: v.digest })),
  ]);
}

export function verdictRef(v: VerdictFile): VerdictRef {
  const p = v.statement.predicate;
  return { digest: v.digest, reviewer: reviewerIdentity(p), status: p.status, score: p.score, floor: p.floor };
}

async function pickWorkstream(repo: Repo, given: string | undefined, mirrored: MirroredLookup): Promise<string> {
  if (given) return assertWorkstream(given);
  const open = (await intentStatus(repo, mirrored)).filter((s) => s.state === 'open').map((s) => s.workstream);
  if (open.length === 1) return open[0]!;
  if (open.length === 0) throw new CsaeError('unknown-workstream', 'no registered intent on this branch is waiting for a bundle', { next: 'csae intent register --workstream ID --intent TEXT (before the work), or pass --workstream ID' });
  throw new CsaeError('usage', `several workstreams are open here (${open.join(', ')}): say which with --workstream`);
}

/** `csae intent status`: each registered intent, with the mirror entry that covers it (local clone, no fetch). */
export async function workstreamStatus(repo: Repo, policy: Policy | null): Promise<IntentStatus[]> {
  let mirrored: MirroredLookup = new Map();
  try {
    if (policy) mirrored = mirroredCommits(await new MirrorStore(repo, policy).view({ sync: false }));
  } catch {
    // no policy or no mirror clone yet: every intent is judged from this clone alone
  }
  return intentStatus(repo, mirrored);
}

/** Intent commits the local mirror clone already lists, with the entry that lists them first. */
export function mirroredCommits(view: ChainView): MirroredLookup {
  return {
    get(c) {
      const e = firstClaimant(view, c);
      return e ? { seq: e.seq, kind: e.predicate.kind } : undefined;
    },
  };
}

export interface AuthorResult {
  workstream: string;
  claim: Claim;
  claimDigest: string;
  attestation: string;
  draftPath: string;
}

export async function authorBundle(ctx: Context, repo: Repo, policy: Policy, o: { workstream?: string; verdicts?: string[] }): Promise<AuthorResult> {
  const git = repo.git;
  const store = new MirrorStore(repo, policy);
  const chain = await store.view();
  const workstream = await pickWorkstream(repo, o.workstream, mirroredCommits(chain));
  if (!(await git.isClean())) throw new CsaeError('dirty-worktree', 'the work tree has uncommitted changes; the attestation must describe exactly what is committed', { next: 'commit or stash them (git status), then csae bundle author again' });
  const head = await git.resolveCommit('HEAD');
  if (!head) throw new CsaeError('usage', 'HEAD has no commits');
  if (readDrafts(repo).some((d) => d.name === workstream)) throw new CsaeError('usage', `a bundle for ${workstream} is already authored and waiting`, { next: 'csae bundle publish' });

  // A0: the intent commit for this workstream in HEAD's history (state file first, then the log)
  let a0 = readIntents(repo).find((r) => r.workstream === workstream)?.commit ?? null;
  if (a0 && !((await git.hasObject(a0)) && (await git.isAncestor(a0, head)))) a0 = null;
  if (!a0) {
    const hits = await git.grepCommits(`CSAE-Workstream: ${workstream}`, { max: 50 });
    const objs = await git.readCommits(hits);
    a0 = hits.find((h) => parseIntentCommit(objs.get(h)!)?.workstream === workstream) ?? null;
  }
  if (!a0) throw new CsaeError('unknown-workstream', `no intent registration for workstream ${workstream} in the history of HEAD`, { next: `csae intent status   (or csae intent register --workstream ${workstream} --intent TEXT before starting work)` });
  const a0c = (await git.readCommit(a0))!;
  const intent = parseIntentCommit(a0c)!;
  if (a0c.parents.length !== 1) throw new CsaeError('usage', `intent commit ${a0.slice(0, 12)} must have exactly one parent`);
  const base = a0c.parents[0]!;

  // the exact range: rev-list HEAD ^base ^cutover, less what the mirror already covers
  const commits = await unclaimedRange(repo, policy, chain, head, base);
  if (!commits.includes(a0)) throw new CsaeError('usage', `intent commit ${a0.slice(0, 12)} is already covered by a mirrored bundle`, { next: `csae intent register --workstream NEW-ID --intent TEXT` });

  // verdicts: given files, else the local ones that cover this range
  let files = (o.verdicts ?? []).map((f) => readVerdictFile(resolve(ctx.cwd, f)));
  if (files.length === 0 && requireVerdict(policy)) {
    files = localVerdicts(repo).filter((v) => commits.every((c) => v.statement.subject.some((s) => s.digest.gitCommit === c)));
    if (files.length === 0) throw new CsaeError('usage', `the policy requires a reviewer's verdict over ${base.slice(0, 12)}..HEAD and none was given`, { next: `csae verdict record --range ${base.slice(0, 12)}..HEAD --status pass --score N --floor N --key REVIEWER_KEY, then csae bundle author --verdict FILE` });
  }
  for (const v of files) {
    const where = v.path ?? v.digest;
    // the one acceptance of a verdict (verdict/accept.ts); the two-party rule is judged at publish, where the bundle signer is known
    const d = acceptVerdict(v, policy);
    if (!d.identity) throw new CsaeError('signature-invalid', `verdict ${where}: ${d.problems.join('; ')}`, { next: 'csae policy trust --verdicts --name NAME --key REVIEWER.pub (and commit the policy)' });
    const p = v.statement.predicate;
    if (!d.ok) throw new CsaeError('verdict-mismatch', `verdict ${where} is ${p.status} at ${p.score}/${Math.max(p.floor, policy.require?.floor ?? 0)}: it does not clear the floor`, { next: 'address the defects, get a new review, then author again' });
    const subj = new Set(v.statement.subject.map((s) => s.digest.gitCommit));
    const missing = commits.filter((c) => !subj.has(c));
    if (missing.length) throw new CsaeError('verdict-mismatch', `verdict ${where} reviewed a different range: it does not cover ${missing.length} commit(s) of ${base.slice(0, 12)}..HEAD (first ${missing[0]!.slice(0, 12)})`, { next: `have the range reviewed: csae verdict record --range ${base.slice(0, 12)}..HEAD ...` });
    storeVerdict(repo, v);
  }
  const bare = {
    repository: policy.repository,
    workstream,
    scope: { commit: a0, intent: intent.intent, operator: intent.operator, registeredAt: intent.registeredAt },
    range: { base, commits },
    verdicts: files.map(verdictRef),
  };
  // declared assistance, read from the range's own commits exactly as check 7 will recompute it
  const claim: Claim = withAssistance(bare, claimAssistance(bare, await git.readCommits(commits)) ?? []);
  const digest = claimDigest(claim);
  const attestation = await git.commitEmpty(attestationMessage(claim, digest));
  const draftPath = writeDraft(repo, workstream, { version: 1, kind: 'standard', claim, claimDigest: digest, head: attestation, verdictFiles: files.map((v) => storeVerdict(repo, v)) });
  ctx.info(`authored bundle for ${workstream}: ${commits.length + 1} commit(s) ${a0.slice(0, 12)}..${attestation.slice(0, 12)}, claim ${digest.slice(0, 19)}…`);
  ctx.info('next: csae bundle publish   (then push)');
  return { workstream, claim, claimDigest: digest, attestation, draftPath };
}

function localVerdicts(repo: Repo): VerdictFile[] {
  const out: VerdictFile[] = [];
  for (const path of verdictFilePaths(repo.stateDir)) {
    try {
      out.push(readVerdictFile(path));
    } catch {
      // skip unreadable local verdicts
    }
  }
  return out;
}
