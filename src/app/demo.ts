// `csae demo`: the whole ceremony in temporary repositories, offline, in seconds — a canonical bare repo
// with the pre-push hook installed in the worker clone, a separate audit mirror, real signatures, real
// `git push`. Each step says what it proves.
import { mkdtempSync, rmSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ScratchRepo } from '../git/scratch.js';
import type { Context } from '../context.js';
import { type Repo, openRepo } from '../git/repo.js';
import { generateKeyFiles, loadPrivateKey } from '../sign/key.js';
import { KeySigner } from '../sign/tiers/key.js';
import { init } from './init.js';
import { auditedPolicy, workingPolicy } from './policyfile.js';
import { trustSigner } from '../policy/edit.js';
import { registerIntent } from '../intent/intent.js';
import { recordVerdict } from '../verdict/verdict.js';
import { authorBundle } from '../bundle/author.js';
import { publishDrafts } from '../bundle/publish.js';
import { auditWho, type WhoAnswer } from '../audit/audit.js';
import { replay } from '../validate/validate.js';

export interface DemoStep {
  step: string;
  proves: string;
  ok: boolean;
  detail?: string;
}

export interface DemoResult {
  ok: boolean;
  dir: string;
  kept: boolean;
  steps: DemoStep[];
  who?: WhoAnswer;
  ms: number;
}

export async function runDemo(ctx: Context, o: { keep?: string; nodePath: string; say: (s: string) => void }): Promise<DemoResult> {
  const t0 = ctx.now().getTime();
  const dir = o.keep ? resolve(ctx.cwd, o.keep) : mkdtempSync(join(tmpdir(), 'csae-demo-'));
  mkdirSync(dir, { recursive: true });
  const env: Record<string, string | undefined> = {
    ...ctx.env,
    GIT_CONFIG_GLOBAL: join(dir, 'gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Olive Operator',
    GIT_AUTHOR_EMAIL: 'olive@example.com',
    GIT_COMMITTER_NAME: 'Olive Operator',
    GIT_COMMITTER_EMAIL: 'olive@example.com',
  };
  writeFileSync(join(dir, 'gitconfig'), '[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n[user]\n\tname = Olive Operator\n\temail = olive@example.com\n');
  const steps: DemoStep[] = [];
  const step = (s: DemoStep): void => {
    steps.push(s);
    o.say(`${s.ok ? '✔' : '✘'} ${s.step}\n    ${s.proves}${s.detail ? `\n${s.detail.replace(/^/gm, '    | ')}` : ''}`);
  };
  const root = new ScratchRepo(dir, env);
  await root.initBare('canon.git');
  await root.clone(join(dir, 'canon.git'), 'work');
  const work = join(dir, 'work');
  const wctx: Context = { ...ctx, cwd: work, env, info: () => {} };
  const g = new ScratchRepo(work, env);
  writeFileSync(join(work, 'README.md'), '# demo app\n');
  await g.add(['README.md']);
  await g.commit('initial import');
  const repo: Repo = await openRepo(wctx);

  generateKeyFiles(join(dir, 'olive.key'));
  generateKeyFiles(join(dir, 'rita.key'));
  await init(wctx, { mirror: join(dir, 'mirror.git'), key: join(dir, 'olive.key'), nodePath: o.nodePath });
  trustSigner(repo, { roles: ['bundles'], name: 'olive', keyFile: join(dir, 'olive.key.pub') });
  trustSigner(repo, { roles: ['verdicts'], name: 'rita', keyFile: join(dir, 'rita.key.pub') });
  await g.add(['.csae']);
  await g.commit('adopt csae policy');
  const push = async (args: string[]): Promise<{ code: number; out: string }> => {
    const r = await g.push(args);
    return { code: r.code, out: r.stderr.split('\n').filter((l) => l.startsWith('csae') || l.startsWith('  ')).join('\n') };
  };
  let p = await push(['-q', 'origin', 'main']);
  step({ step: 'csae init + policy trust; genesis push of the policy commit', proves: 'the policy is trusted on first use; everything up to the cutover is the honest starting state', ok: p.code === 0 });

  await g.switchNew('work/schema');
  const intent = await registerIntent(wctx, repo, { workstream: 'ws-schema-cleanup', intent: 'Refactor the user schema and its consumers' });
  step({ step: `csae intent register -> A0 ${intent.commit.slice(0, 12)}`, proves: 'the scope claim exists before any work: an authorisation, not a description', ok: true });
  for (let i = 1; i <= 3; i++) {
    appendFileSync(join(work, `schema${i}.sql`), `-- change ${i}\n`);
    await g.add(['.']);
    await g.commit(`schema step ${i}`);
  }
  const a3 = (await g.resolveCommit('HEAD~1'))!;
  const reviewer = new KeySigner(loadPrivateKey({ path: join(dir, 'rita.key') }));
  const v = await recordVerdict(wctx, repo, { range: `${intent.commit}~1..HEAD`, status: 'pass', score: '8.5', floor: '7', defects: ['minor:naming in step 2'], reviewer: 'Rita Reviewer <rita@example.com>' }, reviewer);
  step({ step: 'csae verdict record (Rita, 8.5/7, pass)', proves: "the reviewer's structured verdict is signed over exactly the reviewed commits", ok: true, detail: v.digest });
  const a = await authorBundle(wctx, repo, workingPolicy(repo), { workstream: 'ws-schema-cleanup', verdicts: [v.path] });
  step({ step: `csae bundle author -> self-attestation A4 ${a.attestation.slice(0, 12)}`, proves: 'the attestation commit lies inside the range it attests, carrying the claim digest (two-phase, not circular)', ok: true, detail: `CSAE-Claim: ${a.claimDigest}` });

  p = await push(['origin', 'HEAD:main']);
  step({ step: 'git push before publishing is REJECTED by the pre-push hook', proves: 'the validator reads the audit mirror, not the work tree', ok: p.code !== 0, detail: p.out });
  const pub = (await publishDrafts(wctx, repo, workingPolicy(repo), new KeySigner(loadPrivateKey({ path: join(dir, 'olive.key') })))).published;
  step({ step: `csae bundle publish -> mirror entry ${pub[0]!.seq}`, proves: 'the bundle is signed at publish time with its seq and predecessor, appended to a separate append-only repository', ok: true, detail: pub[0]!.digest });
  p = await push(['-q', 'origin', 'HEAD:main']);
  step({ step: 'git push after publishing is ACCEPTED', proves: 'every pushed commit is covered by a verified, mirrored bundle (checks 1-9 passed)', ok: p.code === 0, detail: p.out || undefined });

  const who = await auditWho(wctx, repo, await auditedPolicy(repo), a3);
  step({
    step: `csae audit who ${a3.slice(0, 12)}`,
    proves: 'months later, one command answers who authorised it, under which scope and verdict, and who certified it',
    ok: who.covered,
    detail: `workstream ${who.workstream}; authorised by ${who.scope?.operator}: "${who.scope?.intent}"\nverdict ${who.verdicts?.[0]?.status} ${who.verdicts?.[0]?.score}/${who.verdicts?.[0]?.floor} signed by ${who.verdicts?.[0]?.signer}; certified by ${who.entry?.signer} (${who.entry?.tier}) in entry ${who.entry?.seq}`,
  });
  await g.fetch('origin');
  const rep = await replay(repo, { ref: 'refs/heads/main', tip: (await g.resolveCommit('origin/main'))! });
  step({ step: 'csae verify --ref origin/main (the CI replay)', proves: 'the required CI check recomputes coverage of the whole history from git objects and the mirror', ok: rep.ok, detail: rep.refs[0]?.reason });

  await g.switchTo('main');
  await g.mergeFastForward('work/schema');
  appendFileSync(join(work, 'README.md'), 'hotfix\n');
  await g.commit('unregistered hotfix', { all: true });
  p = await push(['origin', 'main']);
  step({ step: 'an unregistered hotfix is REJECTED', proves: 'work without intent registration cannot land; the diagnosis names the fix', ok: p.code !== 0, detail: p.out });

  const ms = ctx.now().getTime() - t0;
  const ok = steps.every((s) => s.ok);
  if (!o.keep) rmSync(dir, { recursive: true, force: true });
  return { ok, dir, kept: !!o.keep, steps, who, ms };
}
