// Declared AI assistance (DESIGN §2.3): what the commits of a claim say assisted the work, gathered from
// their trailers. Pure: commit messages in, declarations out, the same on every machine, so check 7 can
// recompute it from git alone and the claim digest binds it.
//
// A declaration is what a commit *says*, never a finding: csae reports it, labelled "declared", and no
// check passes or fails on who assisted. Sources, in the order they are read:
//   - the intent commit's CSAE-Agent / CSAE-Model / CSAE-Session (`csae intent register --agent ...`):
//     the whole workstream was assisted, so it names every commit of the claim's range;
//   - each commit's own `Assisted-by: AGENT:MODEL [tool...]` (the Linux kernel's form) and
//     `Generated-by: AGENT[:MODEL]`;
//   - `Co-authored-by: NAME <email>` when NAME (or the email) names a known agent (Claude Code writes
//     `Co-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>`, Codex `Codex <noreply@openai.com>`);
//   - `<Agent>-Session: ID` trailers (Claude Code's `Claude-Session:`), attached to that agent;
//   - an author name ending in "(aider)", Aider's own mark.
// NOTE: values are outside input (anyone can write a trailer): a value that is not plain and short is
// dropped, a declaration without a usable agent name is ignored. Dropping is deterministic, so the author
// and every verifier still compute the same list.
import { CsaeError } from './errors.js';
import { parseTrailers, trailerValues, type Trailer } from './trailers.js';

export interface Assistance {
  agent: string;
  model?: string;
  session?: string;
  /** the commits this declaration covers, in range order */
  commits: string[];
}

/** The part of a commit the gatherer reads. */
export interface AssistanceSource {
  id: string;
  message: string;
  /** "Name <email>" */
  author?: string;
}

export const AGENT_RE = /^[A-Za-z0-9][A-Za-z0-9 ._+()@/-]{0,63}$/;
export const MODEL_RE = /^[A-Za-z0-9][A-Za-z0-9 ._+:()@/[\]-]{0,127}$/;
export const SESSION_RE = /^[A-Za-z0-9][A-Za-z0-9._:+=@/-]{0,127}$/;

// first word of a co-author's name (lowercase) -> the agent's name as reported
const KNOWN: Readonly<Record<string, string>> = {
  claude: 'Claude',
  anthropic: 'Claude',
  codex: 'Codex',
  chatgpt: 'ChatGPT',
  openai: 'Codex',
  copilot: 'Copilot',
  gemini: 'Gemini',
  jules: 'Jules',
  cursor: 'Cursor',
  cursoragent: 'Cursor',
  aider: 'Aider',
  devin: 'Devin',
  windsurf: 'Windsurf',
  cline: 'Cline',
  amp: 'Amp',
  openhands: 'OpenHands',
  kiro: 'Kiro',
  qwen: 'Qwen',
  junie: 'Junie',
};
// the email domain, for co-authors whose name does not say (e.g. a model name alone)
const KNOWN_DOMAINS: Readonly<Record<string, string>> = { 'anthropic.com': 'Claude', 'openai.com': 'Codex', 'cursor.com': 'Cursor', 'devin.ai': 'Devin' };

/**
 * The agent a co-author line names, or null when it names a person. The name alone is not enough
 * (Claude, Devin and Jules are people's names too): the address must be an agent's — a known vendor
 * domain, a GitHub noreply address of an agent app, or a noreply/bot address — or be absent.
 */
export function knownAgent(nameAndEmail: string): string | null {
  const m = /^(.*?)\s*(?:<([^<>]*)>)?\s*$/.exec(nameAndEmail);
  const name = (m?.[1] ?? '').trim();
  const email = (m?.[2] ?? '').trim().toLowerCase();
  const first = name.toLowerCase().split(/[^a-z0-9]+/).find((w) => w.length > 0) ?? '';
  const byName = KNOWN[first] ?? null;
  const at = email.lastIndexOf('@');
  const local = at < 0 ? email : email.slice(0, at);
  const domain = at < 0 ? '' : email.slice(at + 1);
  // 198982749+Copilot@users.noreply.github.com, google-labs-jules[bot]@users.noreply.github.com
  const handleAgent = domain.endsWith('noreply.github.com') ? local.split(/[^a-z0-9]+/).map((w) => KNOWN[w]).find((a) => !!a) : undefined;
  const byEmail = KNOWN_DOMAINS[domain] ?? handleAgent ?? null;
  if (byEmail) return byName ?? byEmail;
  if (byName && (email === '' || /no-?reply|(^|[^a-z])bot([^a-z]|$)/.test(local))) return byName;
  return null;
}

const clean = (v: string | undefined, re: RegExp): string | undefined => {
  const t = v?.trim();
  return t && re.test(t) ? t : undefined;
};

/** `AGENT:MODEL [tool...]` (Assisted-by), or `AGENT[:MODEL]` / a bare name (Generated-by). */
function parseAgentModel(value: string): { agent: string; model?: string } | null {
  const word = value.trim().split(/\s+/)[0] ?? '';
  const colon = word.indexOf(':');
  const agent = clean(colon < 0 ? word : word.slice(0, colon), AGENT_RE);
  if (!agent) return null;
  const model = colon < 0 ? undefined : clean(word.slice(colon + 1), MODEL_RE);
  return model ? { agent, model } : { agent };
}

export interface Declared {
  agent: string;
  model?: string;
  session?: string;
}

/** The declarations one commit's own trailers (and author) make. */
function fromCommit(c: AssistanceSource, trailers: readonly Trailer[]): Declared[] {
  const out: Declared[] = [];
  for (const v of [...trailerValues(trailers, 'Assisted-by'), ...trailerValues(trailers, 'Generated-by')]) {
    const d = parseAgentModel(v);
    if (d) out.push(d);
  }
  for (const v of trailerValues(trailers, 'Co-authored-by')) {
    const agent = knownAgent(v);
    if (!agent) continue;
    const name = v.replace(/<[^<>]*>\s*$/, '').trim();
    const model = name.toLowerCase() !== agent.toLowerCase() ? clean(name, MODEL_RE) : undefined;
    out.push(model ? { agent, model } : { agent });
  }
  if (c.author && /\(aider\)\s*<[^<>]*>\s*$/i.test(c.author) && !out.some((d) => d.agent.toLowerCase() === 'aider')) out.push({ agent: 'Aider' });
  // <Agent>-Session: ID goes with that agent's declaration in this commit (or declares the agent itself)
  for (const t of trailers) {
    const m = /^([A-Za-z][A-Za-z0-9]*)-Session$/i.exec(t.key);
    if (!m || m[1]!.toLowerCase() === 'csae') continue;
    const session = clean(t.value, SESSION_RE);
    if (!session) continue;
    const agentName = KNOWN[m[1]!.toLowerCase()] ?? clean(m[1], AGENT_RE)!;
    const same = out.filter((d) => d.agent.toLowerCase() === agentName.toLowerCase() && !d.session);
    if (same.length) for (const d of same) d.session = session;
    else out.push({ agent: agentName, session });
  }
  return out;
}

/** The intent commit's declaration (`csae intent register --agent`), or null. */
export function intentDeclaration(message: string): Declared | null {
  const t = parseTrailers(message);
  const one = (k: string): string | undefined => {
    const v = trailerValues(t, k);
    return v.length === 1 ? v[0] : undefined; // twice is ambiguous: no declaration
  };
  const agent = clean(one('CSAE-Agent'), AGENT_RE);
  if (!agent) return null;
  const model = clean(one('CSAE-Model'), MODEL_RE);
  const session = clean(one('CSAE-Session'), SESSION_RE);
  return { agent, ...(model ? { model } : {}), ...(session ? { session } : {}) };
}

/**
 * Declared assistance over `commits` (in range order, oldest first). `intentCommit`, when it is one of
 * them, contributes its CSAE-Agent declaration for every commit. Equal declarations (agent, model,
 * session) merge; the list is ordered by first appearance, so the result is a function of the input.
 */
export function declaredAssistance(commits: readonly AssistanceSource[], intentCommit?: string | null): Assistance[] {
  const groups = new Map<string, { a: Assistance; seen: Set<string> }>();
  const add = (d: Declared, ids: readonly string[]): void => {
    const key = JSON.stringify([d.agent, d.model ?? null, d.session ?? null]);
    let g = groups.get(key);
    if (!g) {
      g = { a: { agent: d.agent, ...(d.model ? { model: d.model } : {}), ...(d.session ? { session: d.session } : {}), commits: [] }, seen: new Set() };
      groups.set(key, g);
    }
    for (const id of ids) {
      if (g.seen.has(id)) continue;
      g.seen.add(id);
      g.a.commits.push(id);
    }
  };
  const intent = intentCommit ? commits.find((c) => c.id === intentCommit) : undefined;
  const declared = intent ? intentDeclaration(intent.message) : null;
  if (declared) add(declared, commits.map((c) => c.id));
  for (const c of commits) {
    if (c.id === intentCommit) continue;
    for (const d of fromCommit(c, parseTrailers(c.message))) add(d, [c.id]);
  }
  return [...groups.values()].map((g) => g.a);
}

/** The declarations naming one commit. */
export function assistanceFor(list: readonly Assistance[] | undefined, commit: string): Array<Omit<Assistance, 'commits'>> {
  return (list ?? []).filter((a) => a.commits.includes(commit)).map(({ commits: _c, ...rest }) => rest);
}

/** Check `csae intent register --agent/--model/--session` values before they become trailers. */
export function assertDeclaration(o: { agent?: unknown; model?: unknown; session?: unknown }): Declared | null {
  const bad = (what: string, v: unknown, rule: string): CsaeError =>
    new CsaeError('usage', `--${what} ${JSON.stringify(v)} is not valid: ${rule}`, { next: 'csae intent register --workstream ID --intent TEXT --agent Claude --model claude-opus-4-5 --session SESSION-ID' });
  if (o.agent === undefined) {
    if (o.model !== undefined || o.session !== undefined) throw new CsaeError('usage', '--model and --session describe an agent: name it with --agent', { next: 'csae intent register ... --agent NAME [--model M] [--session ID]' });
    return null;
  }
  if (typeof o.agent !== 'string' || !AGENT_RE.test(o.agent)) throw bad('agent', o.agent, '1-64 characters of letters, digits, space and . _ + ( ) @ / -, starting with a letter or digit');
  if (o.model !== undefined && (typeof o.model !== 'string' || !MODEL_RE.test(o.model))) throw bad('model', o.model, '1-128 characters of letters, digits, space and . _ + : ( ) @ / [ ] -, starting with a letter or digit');
  if (o.session !== undefined && (typeof o.session !== 'string' || !SESSION_RE.test(o.session))) throw bad('session', o.session, '1-128 characters of letters, digits and . _ : + = @ / -, no spaces, starting with a letter or digit');
  return { agent: o.agent, ...(o.model !== undefined ? { model: o.model as string } : {}), ...(o.session !== undefined ? { session: o.session as string } : {}) };
}

/** The intent commit's trailers for a declaration (after CSAE-Operator). */
export function declarationTrailers(d: Declared | null): Trailer[] {
  if (!d) return [];
  return [{ key: 'CSAE-Agent', value: d.agent }, ...(d.model ? [{ key: 'CSAE-Model', value: d.model }] : []), ...(d.session ? [{ key: 'CSAE-Session', value: d.session }] : [])];
}
