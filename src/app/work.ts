// The ceremony's write side, one function per command: `intent register|status`, `verdict
// record|import`, `bundle author|publish|retroactive|abandon`, `chain repair`, `bypass`. Each opens the
// repository once, resolves the signer once (from the command's options or the one `csae init`
// recorded) and the working policy once (policyfile.ts), then calls the domain with them. Options are
// the domain's own types, so a new flag is added once.
// Depends on: intent, verdict, bundle, the git port. Must not: print or read process state.
import type { Context } from '../context.js';
import { openRepo } from '../git/repo.js';
import { registerIntent } from '../intent/intent.js';
import { importVerdict, recordVerdict } from '../verdict/verdict.js';
import { authorBundle, workstreamStatus } from '../bundle/author.js';
import { publishDrafts } from '../bundle/publish.js';
import { abandon, bypass as bypassEntry, chainRepair, retroactive } from '../bundle/recovery.js';
import { signerFor, type SignerOptions } from './signer.js';
import { guardPolicy, workingPolicy } from './policyfile.js';
import type { Policy } from '../policy/policy.js';

/** the options a domain function `f` takes at position `i` (after ctx, repo[, policy, signer]) */
type Opt<F extends (...args: never[]) => unknown, I extends number> = Parameters<F>[I];
type Repo = Awaited<ReturnType<typeof openRepo>>;
type Signer = Awaited<ReturnType<typeof signerFor>>;

/** a signing command: open the repository, resolve the signer, then the policy, once each; call the domain `f(ctx, repo, policy, signer, o)` */
async function signed<O, R>(ctx: Context, f: (ctx: Context, repo: Repo, policy: Policy, signer: Signer, o: O) => Promise<R>, o: O, signer: SignerOptions): Promise<R> {
  const repo = await openRepo(ctx);
  const s = await signerFor(ctx, repo, signer);
  return f(ctx, repo, workingPolicy(repo), s, o);
}

export async function intentRegister(ctx: Context, o: Opt<typeof registerIntent, 2>): ReturnType<typeof registerIntent> {
  return registerIntent(ctx, await openRepo(ctx), o);
}

export async function intentStatus(ctx: Context): ReturnType<typeof workstreamStatus> {
  const repo = await openRepo(ctx);
  // no readable policy: every intent is judged from this clone alone
  return workstreamStatus(repo, guardPolicy(repo));
}

export async function verdictRecord(ctx: Context, o: Opt<typeof recordVerdict, 2>, signer: SignerOptions): ReturnType<typeof recordVerdict> {
  const repo = await openRepo(ctx);
  return recordVerdict(ctx, repo, o, await signerFor(ctx, repo, signer));
}

export async function verdictImport(ctx: Context, o: { file: string }): Promise<ReturnType<typeof importVerdict>> {
  return importVerdict(ctx, await openRepo(ctx), o.file);
}

export async function bundleAuthor(ctx: Context, o: Opt<typeof authorBundle, 3>): ReturnType<typeof authorBundle> {
  const repo = await openRepo(ctx);
  return authorBundle(ctx, repo, workingPolicy(repo), o);
}

export async function bundlePublish(ctx: Context, o: Opt<typeof publishDrafts, 4>, signer: SignerOptions): ReturnType<typeof publishDrafts> {
  return signed(ctx, publishDrafts, o, signer);
}

export async function bundleRetroactive(ctx: Context, o: Opt<typeof retroactive, 4>, signer: SignerOptions): ReturnType<typeof retroactive> {
  return signed(ctx, retroactive, o, signer);
}

export async function bundleAbandon(ctx: Context, o: Opt<typeof abandon, 4>, signer: SignerOptions): ReturnType<typeof abandon> {
  return signed(ctx, abandon, o, signer);
}

export async function repairChain(ctx: Context, o: Opt<typeof chainRepair, 4>, signer: SignerOptions): ReturnType<typeof chainRepair> {
  return signed(ctx, chainRepair, o, signer);
}

/** `csae bypass`: refused before any signer is resolved unless the caller understood it is logged */
export async function bypass(ctx: Context, o: Opt<typeof bypassEntry, 4>, signer: SignerOptions): ReturnType<typeof bypassEntry> {
  if (!o.understood) return bypassEntry(ctx, await openRepo(ctx), null as never, null as never, o);
  return signed(ctx, bypassEntry, o, signer);
}
