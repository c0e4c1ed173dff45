// Intent registration (DESIGN §2.1): an empty-tree-change commit carrying the scope claim in trailers,
// made before the work. Session state under .git/csae/intents/ remembers it; git is the source of truth.
import { readIntentRecords, writeIntentRecord } from '../state/intents.js';
import { hasDraft } from '../state/drafts.js';
import { CsaeError } from '../core/errors.js';
import { assertIdentity, assertIntentText, assertWorkstream } from '../core/ids.js';
import { formatMessage, parseTrailers, trailerValue } from '../core/trailers.js';
import { fromUnixSeconds } from '../core/time.js';
import { assertDeclaration, declarationTrailers, type Declared } from '../core/assistance.js';
import type { CommitObject } from '../git/git.js';
import type { Context } from '../context.js';
import type { Repo } from '../git/repo.js';

export interface IntentRecord {
  workstream: string;
  commit: string;
  intent: string;
  operator: string;
  registeredAt: string;
  branch: string | null;
  /** declared assistance (`--agent`), as recorded in the CSAE-Agent/-Model/-Session trailers */
  assistance?: Declared;
}

export function intentMessage(workstream: string, intent: string, operator: string, assisted: Declared | null = null): string {
  return formatMessage(`csae: register intent ${workstream}`, intent, [
    { key: 'CSAE-Type', value: 'intent' },
    { key: 'CSAE-Workstream', value: workstream },
    { key: 'CSAE-Operator', value: operator },
    ...declarationTrailers(assisted),
  ]);
}

/** Read an intent commit; null when the commit is not a well-formed CSAE intent registration. */
export function parseIntentCommit(c: CommitObject): { workstream: string; intent: string; operator: string; registeredAt: string } | null {
  const trailers = parseTrailers(c.message);
  try {
    if (trailerValue(trailers, 'CSAE-Type') !== 'intent') return null;
    const workstream = trailerValue(trailers, 'CSAE-Workstream');
    const operator = trailerValue(trailers, 'CSAE-Operator');
    if (!workstream || !operator) return null;
    const paras = c.message.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/);
    if (paras.length < 3) return null;
    const intent = paras[1]!.trim();
    return { workstream, intent, operator, registeredAt: fromUnixSeconds(c.committerTime) };
  } catch {
    return null;
  }
}

export async function registerIntent(ctx: Context, repo: Repo, opts: { workstream: string; intent: string; operator?: string; agent?: string; model?: string; session?: string }): Promise<IntentRecord> {
  const workstream = assertWorkstream(opts.workstream);
  const intent = assertIntentText(opts.intent);
  const assisted = assertDeclaration(opts);
  const operator = assertIdentity(opts.operator ?? (await repo.git.operatorIdentity()), 'operator');
  const head = await repo.git.resolveCommit('HEAD');
  if (!head) throw new CsaeError('usage', 'the branch has no commits yet: an intent commit needs a parent', { next: 'make the first commit, then run csae intent register' });
  const existing = readIntents(repo).find((r) => r.workstream === workstream);
  if (existing && (await repo.git.hasObject(existing.commit)) && (await repo.git.isAncestor(existing.commit, head))) {
    throw new CsaeError('usage', `workstream ${workstream} is already registered at ${existing.commit.slice(0, 12)} on this branch`, {
      next: 'carry on working, then `csae bundle author`; or choose a new workstream id',
    });
  }
  const commit = await repo.git.commitEmpty(intentMessage(workstream, intent, operator, assisted));
  const c = (await repo.git.readCommit(commit))!;
  const rec: IntentRecord = { workstream, commit, intent, operator, registeredAt: fromUnixSeconds(c.committerTime), branch: await repo.git.currentBranch(), ...(assisted ? { assistance: assisted } : {}) };
  writeIntentRecord(repo.stateDir, workstream, rec);
  ctx.info(`registered intent ${workstream} at ${commit.slice(0, 12)}: ${intent}${assisted ? ` (declared assistance: ${describeDeclared(assisted)})` : ''}`);
  return rec;
}

export function describeDeclared(d: { agent: string; model?: string; session?: string }): string {
  return `${d.agent}${d.model ? ` ${d.model}` : ''}${d.session ? ` session ${d.session}` : ''}`;
}

export function readIntents(repo: Repo): IntentRecord[] {
  // a corrupt state file is ignored; git history is the source of truth
  return readIntentRecords(repo.stateDir) as unknown as IntentRecord[];
}

/**
 * Find the intent commit for `workstream` among the commits of HEAD not yet on any protected ref:
 * git history is authoritative, the state file only a hint.
 */
export async function findIntent(repo: Repo, workstream: string, candidates: readonly CommitObject[]): Promise<CommitObject | null> {
  for (let i = candidates.length - 1; i >= 0; i--) {
    const p = parseIntentCommit(candidates[i]!);
    if (p && p.workstream === workstream) return candidates[i]!;
  }
  return null;
}

export interface IntentStatus {
  workstream: string;
  commit: string;
  intent: string;
  /** open: waiting for a bundle · authored: draft waiting for publish · mirrored: an entry covers it */
  state: 'open' | 'authored' | 'mirrored' | 'not-on-branch';
  entry?: { seq: number; kind: string };
}

/**
 * Registered intents of this clone and where each stands. `mirrored` maps an intent commit to the
 * mirror entry listing it (from the local mirror clone, no fetch).
 */
/** which entry first lists a commit (the local mirror clone's verified index) */
export interface MirroredLookup {
  get(commit: string): { seq: number; kind: string } | undefined;
}

export async function intentStatus(repo: Repo, mirrored: MirroredLookup = new Map()): Promise<IntentStatus[]> {
  const head = await repo.git.resolveCommit('HEAD');
  const out: IntentStatus[] = [];
  for (const r of readIntents(repo)) {
    let state: IntentStatus['state'] = 'not-on-branch';
    const entry = mirrored.get(r.commit);
    if (entry) state = 'mirrored';
    else if (head && (await repo.git.hasObject(r.commit)) && (await repo.git.isAncestor(r.commit, head))) {
      state = existsDraft(repo, r.workstream) ? 'authored' : 'open';
    }
    out.push({ workstream: r.workstream, commit: r.commit, intent: r.intent, state, ...(entry ? { entry } : {}) });
  }
  return out;
}

function existsDraft(repo: Repo, ws: string): boolean {
  return hasDraft(repo, ws);
}
