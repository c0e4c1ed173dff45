// `csae init`: write .csae/policy.yaml (when absent), make sure the audit mirror exists and is cloned
// under .git/csae/, record the default signer, install the hook shims. Safe to run again.
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { CsaeError } from '../core/errors.js';
import { normalizeRemote } from '../core/remote.js';
import type { Context } from '../context.js';
import { openRepo } from '../git/repo.js';
import { POLICY_PATH, type Policy } from '../policy/policy.js';
import { readPolicyFile, writePolicyFile, policyFile } from '../policy/edit.js';
import { MirrorStore } from '../mirror/store.js';
import { recordFor } from '../sign/tiers/index.js';
import { installHooks } from './shims.js';

export interface InitOptions {
  mirror?: string;
  protect?: string[];
  key?: string;
  keyEnv?: string;
  sshKey?: string;
  repository?: string;
  nodePath: string;
}

function isLocalPath(u: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(u) && !/^[^/]+@[^/]+:/.test(u);
}

export interface InitResult {
  policy: Policy;
  created: boolean;
  hooks: string[];
  chained: string[];
  mirror: string;
}

export async function init(ctx: Context, o: InitOptions): Promise<InitResult> {
  const repo = await openRepo(ctx);
  let created = false;
  let policy: Policy;
  if (existsSync(policyFile(repo))) {
    policy = readPolicyFile(repo);
    if (o.mirror && o.mirror !== policy.mirror.url) ctx.info(`note: ${POLICY_PATH} already names mirror ${policy.mirror.url}; leaving it (csae policy set mirror.url URL changes it)`);
  } else {
    if (!o.mirror) throw new CsaeError('usage', 'csae init needs --mirror URL: the separate repository that will hold the audit chain', { next: 'git init --bare ../audit-mirror.git && csae init --mirror ../audit-mirror.git --key PATH' });
    const mirrorUrl = isLocalPath(o.mirror) && !isAbsolute(o.mirror) ? resolve(ctx.cwd, o.mirror) : o.mirror;
    const origin = await repo.git.remoteUrl('origin');
    policy = {
      version: 1,
      repository: o.repository ?? (origin ? normalizeRemote(origin) : basename(repo.top)),
      mirror: { url: mirrorUrl, branch: 'main' },
      protect: o.protect?.length ? o.protect : ['refs/heads/main'],
      signers: { bundles: [], verdicts: [], bypass: [], checkpoints: [] },
      require: { verdict: 'required', twoParty: false, floor: 0 },
      mergeCommits: 'none',
      rewrites: 'none',
      intentGuard: 'warn',
    };
    mkdirSync(dirname(policyFile(repo)), { recursive: true });
    writePolicyFile(repo, policy);
    created = true;
  }
  // the mirror: create an empty bare repository when it is a local path that does not exist yet
  const url = policy.mirror.url;
  if (isLocalPath(url)) {
    const abs = isAbsolute(url) ? url : resolve(repo.top, url);
    if (!existsSync(abs)) {
      mkdirSync(abs, { recursive: true });
      const failed = await repo.git.withDir(dirname(abs)).initBare(abs, { branch: policy.mirror.branch ?? 'main' });
      if (failed) throw new CsaeError('io', `could not create the audit mirror at ${abs}: ${failed}`, { next: 'check the path and its permissions, or create it yourself: git init --bare PATH' });
      ctx.info(`created an empty audit mirror at ${abs}`);
    }
  }
  await new MirrorStore(repo, policy).sync();
  // the signer is checked now (key readable, public half present), not at the first signature
  const rec = recordFor({ key: o.key, keyEnv: o.keyEnv, sshKey: o.sshKey }, ctx);
  if (rec) await repo.git.configSet('csae.signer', rec);
  const h = await installHooks(repo, o.nodePath, undefined, ctx.env.PATH);
  ctx.info(`${created ? 'wrote' : 'kept'} ${POLICY_PATH} (repository ${policy.repository}, protects ${policy.protect.join(', ')})`);
  ctx.info(`mirror clone: .git/csae/mirror.git <- ${url}`);
  if (h.manager) ctx.info(`hooks: added csae to ${h.manager}'s configuration (${h.edited.join(', ')}; commit it)${h.next ? `; next: ${h.next}` : ''}`);
  else ctx.info(`hooks installed in ${h.dir}: ${h.installed.join(', ')}${h.chained.length ? ` (kept your ${h.chained.join(', ')} as *.local, run first)` : ''}`);
  if (created) ctx.info('next: csae policy trust --bundles --name YOU --key YOUR.pub; csae policy trust --verdicts --name REVIEWER --key REVIEWER.pub; commit .csae/');
  return { policy, created, hooks: h.installed, chained: h.chained, mirror: url };
}
