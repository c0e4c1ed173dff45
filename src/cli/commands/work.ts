// intent register|status, verdict record|import, bundle author|publish
import type { Argv } from 'yargs';
import { action } from '../run.js';
import { exitCodeFor } from '../../core/errors.js';
import { bundleAbandon, bundleAuthor, bundlePublish, bundleRetroactive, bypass, intentRegister, intentStatus, repairChain, verdictImport, verdictRecord } from '../../app/work.js';

const signerOptions = (a: Argv<any>): Argv<any> =>
  a
    .option('key', { type: 'string', describe: 'Ed25519 private key file (default: the signer csae init recorded)' })
    .option('key-env', { type: 'string', describe: 'name of an environment variable holding the private key PEM' })
    .option('ssh-key', { type: 'string', describe: 'SSH signing key (ssh-keygen -Y sign; its .pub beside it)' })
    .option('sigstore', { type: 'boolean', describe: 'keyless Sigstore signing in CI with the ambient identity token (GitHub Actions id-token: write, or SIGSTORE_ID_TOKEN); services from CSAE_SIGSTORE_FULCIO_URL / _REKOR_URL / _TSA_URL' });

interface SignerArgs {
  key?: string;
  keyEnv?: string;
  sshKey?: string;
  sigstore?: boolean;
}

export function workCommands(y: Argv<any>): Argv<any> {
  return y
    .command('intent', 'Register intent before the work (the scope claim), and see what is open', (i: Argv<any>) =>
      i
        .command(
          'register',
          'Make the intent commit (A0): an empty-change commit whose trailers carry the workstream, intent and operator',
          (a: Argv<any>) =>
            a
              .option('workstream', { type: 'string', demandOption: true, describe: 'id: 1-64 of a-z 0-9 . _ - (e.g. ws-schema-cleanup)' })
              .option('intent', { type: 'string', demandOption: true, describe: 'one sentence, <= 500 characters: what this work is authorised to do' })
              .option('operator', { type: 'string', describe: '"Name <email>" (default: git user.name/user.email)' })
              .option('agent', { type: 'string', describe: 'declare the AI agent assisting this work (CSAE-Agent trailer; reported as declared, never checked)' })
              .option('model', { type: 'string', describe: "the agent's model (CSAE-Model), e.g. claude-opus-4-5" })
              .option('session', { type: 'string', describe: "the agent's session id (CSAE-Session)" })
              .example('csae intent register --workstream ws-schema-cleanup --intent "Refactor the user schema and its consumers"', '')
              .example('csae intent register --workstream ws-login --intent "Add SSO login" --agent Claude --model claude-opus-4-5 --session 7f3a9c', 'declare AI assistance'),
          action<{ workstream: string; intent: string; operator?: string; agent?: string; model?: string; session?: string }>(async (a, ctx, out) => {
            const r = await intentRegister(ctx, a);
            out.result({ ok: true, ...r }, () => `${r.commit}\nnext: do the work, then csae verdict record / csae bundle author`);
          }),
        )
        .command(
          'status',
          'List registered intents in this clone and whether each is open or attested',
          (a: Argv<any>) => a.example('csae intent status --json', 'open · authored · mirrored · not-on-branch, with the entry that covers each'),
          action(async (_a, ctx, out) => {
            const s = await intentStatus(ctx);
            out.result({ ok: true, intents: s }, () => (s.length ? s.map((x) => `${x.state.padEnd(13)} ${x.workstream}  ${x.commit.slice(0, 12)}  ${x.intent}${x.entry ? `  (entry ${x.entry.seq}, ${x.entry.kind})` : ''}`).join('\n') : 'no intents registered in this clone (csae intent register --workstream ID --intent TEXT)'));
          }),
        )
        .demandCommand(1, 'say which: register or status'),
    )
    .command('verdict', "Record or import a reviewer's signed verdict", (v: Argv<any>) =>
      v
        .command(
          'record',
          'Sign a structured verdict over a commit range A..B (subjects: rev-list B ^A)',
          (a: Argv<any>) =>
            signerOptions(a)
              .option('range', { type: 'string', demandOption: true, describe: 'A..B: the reviewed commits are those in B and not in A' })
              .option('status', { choices: ['pass', 'fail'] as const, demandOption: true })
              .option('score', { type: 'string', demandOption: true, describe: 'the review score (number)' })
              .option('floor', { type: 'string', demandOption: true, describe: 'the pass floor (number); a pass needs score >= floor' })
              .option('defect', { type: 'string', array: true, describe: 'SEVERITY:TEXT, severity one of critical, major, minor, info (repeatable)' })
              .option('summary', { type: 'string' })
              .option('method', { type: 'string', describe: 'structured-review (default), pull-request, ...' })
              .option('uri', { type: 'string', describe: 'where the full review lives' })
              .option('reviewer', { type: 'string', describe: '"Name <email>" (default: git user)' })
              .example('csae verdict record --range main..HEAD --status pass --score 8.5 --floor 7 --defect "minor:naming" --key rita.key', '')
              .example('csae verdict record --range main..HEAD --status pass --score 9 --floor 7 --sigstore   # in CI, keyless', ''),
          action<SignerArgs & { range: string; status: string; score: string; floor: string; defect?: string[]; summary?: string; method?: string; uri?: string; reviewer?: string }>(async (a, ctx, out) => {
            const v = await verdictRecord(ctx, { range: a.range, status: a.status, score: a.score, floor: a.floor, defects: a.defect, summary: a.summary, method: a.method, uri: a.uri, reviewer: a.reviewer }, a);
            const p = v.statement.predicate;
            out.result({ ok: true, path: v.path, digest: v.digest, status: p.status, score: p.score, floor: p.floor, commits: v.statement.subject.length }, () => `${v.path}\n${v.digest}`);
          }),
        )
        .command(
          'import FILE',
          'Import a verdict envelope produced elsewhere (validated, stored canonically)',
          (a: Argv<any>) => a.positional('FILE', { type: 'string', demandOption: true }).example('csae verdict import review-42.dsse.json', 'a verdict signed on the reviewer\'s machine'),
          action<{ FILE: string }>(async (a, ctx, out) => {
            const v = await verdictImport(ctx, { file: a.FILE });
            out.result({ ok: true, path: v.path, digest: v.digest }, () => `${v.path}\n${v.digest}`);
          }),
        )
        .demandCommand(1, 'say which: record or import'),
    )
    .command('bundle', 'Author and publish the bundle that covers a workstream', (b: Argv<any>) =>
      b
        .command(
          'author',
          'Compute the claim, make the self-attestation commit (A(n+1)) and leave a draft for publish',
          (a: Argv<any>) =>
            a
              .option('workstream', { type: 'string', describe: 'default: the one open workstream on this branch' })
              .option('verdict', { type: 'string', array: true, describe: 'verdict file(s) (default: local verdicts that cover the range)' })
              .example('csae bundle author --workstream ws-schema-cleanup --verdict .git/csae/verdicts/sha256-....dsse.json', ''),
          action<{ workstream?: string; verdict?: string[] }>(async (a, ctx, out) => {
            const r = await bundleAuthor(ctx, { workstream: a.workstream, verdicts: a.verdict });
            out.result({ ok: true, workstream: r.workstream, attestation: r.attestation, claimDigest: r.claimDigest, commits: [...r.claim.range.commits, r.attestation], draft: r.draftPath }, () => `${r.attestation}\nclaim ${r.claimDigest}\nnext: csae bundle publish, then push`);
          }),
        )
        .command(
          'publish',
          "Sign each authored bundle of this branch (with seq and predecessor), append it to the audit mirror, push the mirror; one failing draft never stops the others",
          (a: Argv<any>) =>
            signerOptions(a)
              .option('workstream', { type: 'string', describe: 'publish only this one (whatever branch authored it)' })
              .option('all', { type: 'boolean', describe: "publish every waiting draft in this clone, other branches' too" })
              .conflicts('all', 'workstream')
              .example('csae bundle publish --key ~/.csae/olive.key', 'the drafts authored on this branch')
              .example('csae bundle publish --workstream ws-schema-cleanup', 'one workstream, whatever branch authored it')
              .example('csae bundle publish --sigstore', 'in CI: keyless, with the job\'s identity token'),
          action<SignerArgs & { workstream?: string; all?: boolean }>(async (a, ctx, out) => {
            const r = await bundlePublish(ctx, { workstream: a.workstream, all: a.all }, a);
            out.result(r, () =>
              [
                ...r.results.map((x) =>
                  x.status === 'failed'
                    ? `FAILED    ${x.workstream}: ${x.error!.message}${x.error!.next ? `\n          next: ${x.error!.next}` : ''}`
                    : `${x.status === 'published' ? 'published' : 'already  '} ${x.workstream}: entry ${x.seq} ${x.digest}${x.status === 'already-published' ? ' (was in the mirror already; draft retired)' : ''}`,
                ),
                r.published.length || r.results.some((x) => x.status === 'already-published') ? 'next: git push' : '',
              ]
                .filter(Boolean)
                .join('\n'),
            );
            // the worst failure decides the exit code (0 when every draft is in the mirror)
            return Math.max(0, ...r.results.filter((x) => x.error).map((x) => exitCodeFor(x.error!.code)));
          }),
        )
        .command(
          'retroactive',
          'Cover commits that landed without a bundle, honestly flagged post-hoc (lower confidence)',
          (a: Argv<any>) =>
            signerOptions(a)
              .option('range', { type: 'string', demandOption: true, describe: 'A..B: the uncovered commits of B not in A' })
              .option('reason', { type: 'string', demandOption: true, describe: 'why they landed uncovered, and what review (if any) happened since' })
              .option('verdict', { type: 'string', array: true, describe: 'post-hoc review verdict file(s)' })
              .option('workstream', { type: 'string' })
              .example('csae bundle retroactive --range abc123~1..abc123 --reason "hotfix during outage; reviewed after"', ''),
          action<SignerArgs & { range: string; reason: string; verdict?: string[]; workstream?: string }>(async (a, ctx, out) => {
            const p = await bundleRetroactive(ctx, { range: a.range, reason: a.reason, verdicts: a.verdict, workstream: a.workstream }, a);
            out.result({ ok: true, published: [p] }, () => `entry ${p.seq} (retroactive, ${p.commits} commit(s)) ${p.digest}`);
          }),
        )
        .command(
          'abandon',
          'Close a stranded intent honestly: the intent commit is covered, the work recorded as abandoned',
          (a: Argv<any>) =>
            signerOptions(a)
              .option('workstream', { type: 'string', demandOption: true })
              .option('reason', { type: 'string', demandOption: true })
              .example('csae bundle abandon --workstream ws-spike --reason "spike dropped; nothing landed"', 'a stranded intent (csae audit stranded lists them)'),
          action<SignerArgs & { workstream: string; reason: string }>(async (a, ctx, out) => {
            const p = await bundleAbandon(ctx, { workstream: a.workstream, reason: a.reason }, a);
            out.result({ ok: true, published: [p] }, () => `entry ${p.seq} (abandonment of ${p.workstream}) ${p.digest}`);
          }),
        )
        .demandCommand(1, 'say which: author, publish, retroactive or abandon'),
    )
    .command('chain', 'Repair a break in the audit chain', (c: Argv<any>) =>
      c
        .command(
          'repair',
          'Name the entry that breaks the chain; it then covers nothing and the chain continues past it (the break stays visible)',
          (a: Argv<any>) =>
            signerOptions(a)
              .option('break', { type: 'number', demandOption: true, describe: 'seq of the first entry that fails (csae mirror verify names it)' })
              .option('reason', { type: 'string', demandOption: true })
              .example('csae chain repair --break 17 --reason "entry 17 signed by a revoked key; its commits re-covered by entry 19"', 'after csae mirror verify names entry 17'),
          action<SignerArgs & { break: number; reason: string }>(async (a, ctx, out) => {
            const p = await repairChain(ctx, { breakSeq: a.break, reason: a.reason }, a);
            out.result({ ok: true, published: [p] }, () => `entry ${p.seq} (repair of entry ${a.break}) ${p.digest}\nnext: commits the broken entry listed need new coverage (csae verify names them)`);
          }),
        )
        .demandCommand(1, 'say which: repair'),
    )
    .command(
      'bypass',
      'Let named commits onto a protected ref without a bundle — signed by a bypass signer and recorded in the chain',
      (a: Argv<any>) =>
        signerOptions(a)
          .option('ref', { type: 'string', demandOption: true, describe: 'the protected ref, e.g. refs/heads/main' })
          .option('range', { type: 'string', demandOption: true, describe: 'A..B: the commits to let through' })
          .option('reason', { type: 'string', demandOption: true })
          .option('i-understand-this-is-logged', { type: 'boolean', describe: 'required: the bypass is itself an audit entry' })
          .example('csae bypass --ref refs/heads/main --range origin/main..HEAD --reason "INC-123: hotfix while the reviewer is out" --i-understand-this-is-logged --key bypass.key', 'signed by a bypass signer; shows in audit gaps as bypassed'),
      action<SignerArgs & { ref: string; range: string; reason: string; iUnderstandThisIsLogged?: boolean }>(async (a, ctx, out) => {
        const p = await bypass(ctx, { ref: a.ref, range: a.range, reason: a.reason, understood: !!a.iUnderstandThisIsLogged }, a);
        out.result({ ok: true, published: [p] }, () => `entry ${p.seq} (bypass of ${p.commits} commit(s) on ${a.ref}) ${p.digest}`);
      }),
    );
}
