// `csae hook mirror-pre-receive`: the audit mirror's own server-side guard. Every push to the mirror must
// be a fast-forward of the mirror branch whose new commits keep the chain linear, append-only and linked
// (checks 1-4). With `git config csae.policy /path/to/policy.yaml` on the server, signatures and the
// repository id are checked too; without it, the structure alone.
import { readFileSync } from 'node:fs';
import { CsaeError } from '../core/errors.js';
import type { Repo } from '../git/repo.js';
import { attachTrustBytes, parsePolicy, trustedKeys, mirrorBranch } from '../policy/policy.js';
import { basename, dirname, join } from 'node:path';
import { parsePreReceive, isZero } from '../git/hookinput.js';
import { emptyChain, verifyChain, type ChainOptions } from './chain.js';
import { chainReadsBlob, classifyPath } from './layout.js';
import { preverifyEntries } from './store.js';

export interface GuardResult {
  ok: boolean;
  refs: Array<{ ref: string; ok: boolean; reason: string }>;
}

export async function mirrorPreReceive(repo: Repo, stdin: string): Promise<GuardResult> {
  const git = repo.git;
  const policyFile = await git.configGet('csae.policy');
  let o: ChainOptions = { repository: null, bundleKeys: null, bypassKeys: null };
  let branch = (await git.configGet('csae.branch')) ?? 'main';
  if (policyFile) {
    let text: string;
    try {
      text = readFileSync(policyFile, 'utf8');
    } catch {
      throw new CsaeError('config', `csae.policy names ${policyFile}, which cannot be read; refusing every push (fail closed)`);
    }
    const p = parsePolicy(text, policyFile);
    // a trusted root the policy names lives beside it (.csae/policy.yaml -> the repository top)
    if (p.sigstore?.trustedRoot) {
      const top = basename(dirname(policyFile)) === '.csae' ? dirname(dirname(policyFile)) : dirname(policyFile);
      let root: Buffer | null = null;
      try {
        root = p.sigstore.trustedRoot.split('/').includes('..') ? null : readFileSync(join(top, p.sigstore.trustedRoot));
      } catch {
        root = null;
      }
      attachTrustBytes(p, root);
    }
    o = { repository: p.repository, bundleKeys: trustedKeys(p, 'bundles'), bypassKeys: trustedKeys(p, 'bypass') };
    branch = mirrorBranch(p);
  }
  const refs: GuardResult['refs'] = [];
  for (const u of parsePreReceive(stdin)) {
    const ref = u.remoteRef;
    const oldSha = isZero(u.remoteSha) ? null : u.remoteSha;
    const newSha = isZero(u.localSha) ? null : u.localSha;
    if (ref !== `refs/heads/${branch}`) {
      refs.push({ ref, ok: false, reason: `the audit mirror accepts pushes to refs/heads/${branch} only` });
      continue;
    }
    if (!newSha) {
      refs.push({ ref, ok: false, reason: 'deleting the audit mirror branch is refused: it is append-only' });
      continue;
    }
    if (oldSha && !(await git.isAncestor(oldSha, newSha))) {
      refs.push({ ref, ok: false, reason: 'non-fast-forward: the audit mirror is append-only; history cannot be rewritten' });
      continue;
    }
    // verify the whole chain up to the new tip (the server has no trusted local index)
    const commits = await git.logChanges(newSha);
    const blobIds = [...new Set(commits.flatMap((c) => c.changes.filter((x) => chainReadsBlob(x.path) && x.status !== 'D').map((x) => x.blob)))];
    const blobs = await git.readBlobs(blobIds);
    // the server verifies the whole chain on every push: signatures across its cores
    const res = verifyChain(emptyChain(), commits, blobs, { ...o, ...(o.bundleKeys ? { signatures: await preverifyEntries(commits, blobs, o.bundleKeys) } : {}) });
    if (!res.intact) {
      const f = res.problems[0]!.checks.find((c) => !c.ok)!;
      refs.push({ ref, ok: false, reason: `${res.problems[0]!.seq ? `entry ${res.problems[0]!.seq}` : `commit ${res.problems[0]!.mirrorCommit.slice(0, 12)}`}: check ${f.name}: ${f.detail}` });
      continue;
    }
    // a void entry keeps the chain linked (DESIGN §2.5) but a new one is refused here: the guard only
    // lets in entries that verify under its policy (old ones, e.g. a departed signer's, stay acceptable)
    const fresh = new Set<number>();
    let after = !oldSha;
    for (const c of commits) {
      if (after) for (const ch of c.changes) if (ch.status === 'A' && classifyPath(ch.path).kind === 'entry') fresh.add((classifyPath(ch.path) as { seq: number }).seq);
      if (c.id === oldSha) after = true;
    }
    const bad = (res.voided ?? []).find((v) => v.repairedBy === undefined && fresh.has(v.seq));
    if (bad) {
      const f = bad.checks.find((c) => !c.ok)!;
      refs.push({ ref, ok: false, reason: `entry ${bad.seq}: check ${f.name}: ${f.detail}` });
      continue;
    }
    refs.push({ ref, ok: true, reason: `${res.entries.length} entr${res.entries.length === 1 ? 'y' : 'ies'}, chain intact${o.bundleKeys ? '' : ' (structure only: no csae.policy configured)'}` });
  }
  return { ok: refs.every((r) => r.ok), refs };
}
