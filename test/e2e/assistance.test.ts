// End to end: declared AI assistance. `intent register --agent/--model/--session` writes CSAE trailers;
// the work commits' own trailers are gathered; the claim (and so the attestation commit) binds the list;
// `audit who` and `audit walk` report it, labelled as declared; a retroactive entry carries it too.
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ceremony, must, parseJson, show, useTempDirs, type Ceremony } from '../helpers/gitrepo.js';

describe('e2e: declared AI assistance', function () {
  this.timeout(120_000);
  useTempDirs();
  let c: Ceremony;
  let a0: string;
  let w1: string;
  let w2: string;
  let retro: string;

  before(async () => {
    c = await ceremony();
    await c.g(['checkout', '-q', '-b', 'work/sso']);
    const base = await c.rev('HEAD');
    const r = await c.w(['intent', 'register', '--workstream', 'ws-sso', '--intent', 'Add SSO login', '--agent', 'Claude', '--model', 'claude-opus-4-5', '--session', '0199ab-cd', '--json']);
    expect(r.code, show(r)).to.equal(0);
    a0 = await c.rev('HEAD');
    w1 = await c.commit('sso.ts', 'export const sso = 1;\n', 'add sso\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>');
    w2 = await c.commit('sso2.ts', 'export const sso2 = 2;\n', 'wire sso\n\nAssisted-by: Codex:gpt-5-codex');
    const v = parseJson(await must(c.w(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', '8', '--floor', '7', '--key', c.reviewerKey, '--json']), 'verdict record'));
    await must(c.w(['-q', 'bundle', 'author', '--workstream', 'ws-sso', '--verdict', v.path]), 'bundle author');
    await must(c.w(['-q', 'bundle', 'publish', '--key', c.operatorKey]), 'bundle publish');
    await must(c.gr(['push', '-q', 'origin', 'HEAD:main']), 'push');
  });

  it('intent register --agent writes CSAE-Agent / CSAE-Model / CSAE-Session trailers', async () => {
    const t = await c.g(['log', '-1', '--format=%(trailers:only,unfold)', a0]);
    expect(t.split('\n')).to.deep.equal(['CSAE-Type: intent', 'CSAE-Workstream: ws-sso', 'CSAE-Operator: Olive Operator <olive@example.com>', 'CSAE-Agent: Claude', 'CSAE-Model: claude-opus-4-5', 'CSAE-Session: 0199ab-cd']);
  });

  it('audit who names the agent, model and session for a commit made under intent register --agent, labelled declared', async () => {
    const r = await c.w(['audit', 'who', w2, '--json']);
    expect(r.code, show(r)).to.equal(0);
    const j = parseJson(r);
    expect(j.covered).to.equal(true);
    expect(j.registeredBeforeWork).to.equal(true);
    expect(j.entry.confidence).to.equal('attested');
    expect(j.declaredAssistance).to.deep.equal([
      { agent: 'Claude', model: 'claude-opus-4-5', session: '0199ab-cd' },
      { agent: 'Codex', model: 'gpt-5-codex' },
    ]);
    const w1j = parseJson(await c.w(['audit', 'who', w1, '--json']));
    expect(w1j.declaredAssistance).to.deep.include({ agent: 'Claude', model: 'Claude Opus 4.5' });
    const human = await c.w(['audit', 'who', w2]);
    expect(human.code, show(human)).to.equal(0);
    expect(human.stdout).to.match(/assistance: +Claude model claude-opus-4-5 session 0199ab-cd \(declared\)/);
    expect(human.stdout).to.match(/before the work: yes/);
  });

  it('audit walk lists each declaration with the commits it names', async () => {
    const j = parseJson(await must(c.w(['audit', 'walk', '--json']), 'audit walk'));
    const e = j.entries[0];
    expect(e.declaredAssistance[0]).to.deep.equal({ agent: 'Claude', model: 'claude-opus-4-5', session: '0199ab-cd', commits: [a0, w1, w2] });
    expect(e.declaredAssistance.map((a: any) => a.agent)).to.deep.equal(['Claude', 'Claude', 'Codex']);
  });

  it('the CI replay recomputes the claim, assistance included, from git (check 7 passes)', async () => {
    await c.g(['fetch', '-q', 'origin']);
    const r = await c.w(['verify', '--ref', 'origin/main', '--json']);
    expect(r.code, show(r)).to.equal(0);
  });

  it('a retroactive entry carries the commits\' own declarations; who says the work was not registered before', async () => {
    await c.g(['checkout', '-q', 'main']);
    await c.g(['merge', '-q', '--ff-only', 'work/sso']);
    const before = await c.rev('HEAD');
    retro = await c.commit('hotfix.txt', 'fix\n', 'hotfix\n\nGenerated-by: Copilot');
    await must(c.w(['-q', 'bundle', 'retroactive', '--range', `${before}..${retro}`, '--reason', 'forgot to register', '--key', c.operatorKey]), 'retroactive');
    const j = parseJson(await c.w(['audit', 'who', retro, '--json']));
    expect(j.entry.kind).to.equal('retroactive');
    expect(j.entry.confidence).to.equal('post-hoc');
    expect(j.registeredBeforeWork).to.equal(false);
    expect(j.declaredAssistance).to.deep.equal([{ agent: 'Copilot' }]);
  });

  it('a bundle whose assistance differs from what the commits declare does not verify (check 7, fail closed)', async () => {
    await c.g(['checkout', '-q', '-b', 'work/hide', 'main']);
    const base = await c.rev('HEAD');
    await must(c.w(['-q', 'intent', 'register', '--workstream', 'ws-hide', '--intent', 'Hide the agent', '--agent', 'Devin']), 'intent register');
    await c.commit('hide.txt', 'h\n', 'hidden work');
    const v = parseJson(await must(c.w(['verdict', 'record', '--range', `${base}..HEAD`, '--status', 'pass', '--score', '8', '--floor', '7', '--key', c.reviewerKey, '--json']), 'verdict record'));
    await must(c.w(['-q', 'bundle', 'author', '--workstream', 'ws-hide', '--verdict', v.path]), 'bundle author');
    // the operator edits the draft to drop the declaration, keeping the digest the attestation commit carries
    const draft = join(c.work, '.git', 'csae', 'drafts', 'ws-hide.json');
    const d = JSON.parse(readFileSync(draft, 'utf8'));
    expect(d.claim.assistance[0].agent).to.equal('Devin');
    delete d.claim.assistance;
    writeFileSync(draft, JSON.stringify(d));
    const r = await c.w(['bundle', 'publish', '--key', c.operatorKey, '--json']);
    expect(r.code, show(r)).to.equal(1);
    const j = parseJson(r);
    const failed = j.results.find((x: any) => x.workstream === 'ws-hide');
    expect(failed.status).to.equal('failed');
    expect(failed.error.code).to.equal('verification-failed');
    expect(failed.error.message).to.match(/check attestation: .*claimDigest does not match the recomputed claim/);
  });

  for (const [what, args] of [
    ['a newline smuggling a trailer into --agent', ['--agent', 'Claude\nCSAE-Type: attestation']],
    ['a bidi override in --model', ['--agent', 'Claude', '--model', 'opus\u202e']],
    ['--session without --agent', ['--session', 'abc']],
  ] as Array<[string, string[]]>) {
    it(`intent register rejects ${what} (exit 2, JSON error naming the next step, no commit)`, async () => {
      const head = await c.rev('HEAD');
      const r = await c.w(['intent', 'register', '--workstream', 'ws-bad', '--intent', 'x', ...args, '--json']);
      expect(r.code, show(r)).to.equal(2);
      const j = parseJson(r);
      expect(j.error.code).to.equal('usage');
      expect(j.error.next).to.match(/csae intent register/);
      expect(r.stderr).to.not.match(/\n\s+at /);
      expect(await c.rev('HEAD')).to.equal(head);
    });
  }
});
