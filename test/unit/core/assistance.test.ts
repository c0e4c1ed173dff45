import { expect } from 'chai';
import { assertDeclaration, assistanceFor, declarationTrailers, declaredAssistance, intentDeclaration, knownAgent } from '../../../src/core/assistance.js';
import { claimDigest, claimFromPredicate, withAssistance } from '../../../src/core/claim.js';
import { CsaeError } from '../../../src/core/errors.js';
import { formatMessage } from '../../../src/core/trailers.js';
import type { BundlePredicate, Claim } from '../../../src/core/statement.js';

const C = (n: number): string => n.toString(16).padStart(40, '0');
const intentMsg = (extra: Array<{ key: string; value: string }>): string =>
  formatMessage('csae: register intent ws-login', 'Add SSO login', [
    { key: 'CSAE-Type', value: 'intent' },
    { key: 'CSAE-Workstream', value: 'ws-login' },
    { key: 'CSAE-Operator', value: 'Jane Doe <jane@example.com>' },
    ...extra,
  ]);

describe('core/assistance: declared AI assistance', () => {
  it('the intent commit declares agent, model and session for every commit of the claim', () => {
    const commits = [
      { id: C(1), message: intentMsg([{ key: 'CSAE-Agent', value: 'Claude' }, { key: 'CSAE-Model', value: 'claude-opus-4-5' }, { key: 'CSAE-Session', value: '7f3a9c' }]) },
      { id: C(2), message: 'work\n' },
      { id: C(3), message: 'more work\n' },
    ];
    expect(declaredAssistance(commits, C(1))).to.deep.equal([{ agent: 'Claude', model: 'claude-opus-4-5', session: '7f3a9c', commits: [C(1), C(2), C(3)] }]);
  });

  it("reads the work commits' own Assisted-by (AGENT:MODEL tools), Generated-by, Co-authored-by and <Agent>-Session trailers", () => {
    const commits = [
      { id: C(1), message: intentMsg([]) },
      { id: C(2), message: 'fix\n\nAssisted-by: Claude:claude-3-opus coccinelle sparse\nSigned-off-by: Jane Doe <jane@example.com>\n' },
      { id: C(3), message: 'feat\n\n🤖 Generated with Claude Code\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>\nClaude-Session: 0199ab-cd\n' },
      { id: C(4), message: 'chore\n\nCo-authored-by: Codex <noreply@openai.com>\n' },
      { id: C(5), message: 'gen\n\nGenerated-by: Copilot\n' },
      { id: C(6), message: 'again\n\nAssisted-by: Claude:claude-3-opus\n' },
    ];
    expect(declaredAssistance(commits, C(1))).to.deep.equal([
      { agent: 'Claude', model: 'claude-3-opus', commits: [C(2), C(6)] },
      { agent: 'Claude', model: 'Claude Opus 4.5', session: '0199ab-cd', commits: [C(3)] },
      { agent: 'Codex', commits: [C(4)] },
      { agent: 'Copilot', commits: [C(5)] },
    ]);
  });

  it('a co-author who is a person is not an agent, even when named like one', () => {
    expect(knownAgent('Claude Monet <claude@monet.fr>')).to.equal(null);
    expect(knownAgent('Devin Smith <devin@acme.com>')).to.equal(null);
    expect(knownAgent('Jane Doe <jane@example.com>')).to.equal(null);
    expect(knownAgent('Claude <noreply@anthropic.com>')).to.equal('Claude');
    expect(knownAgent('Copilot <198982749+Copilot@users.noreply.github.com>')).to.equal('Copilot');
    expect(knownAgent('devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>')).to.equal('Devin');
    expect(knownAgent('Cursor Agent <cursoragent@cursor.com>')).to.equal('Cursor');
    expect(knownAgent('Gemini <gemini-bot@example.com>')).to.equal('Gemini');
    const commits = [{ id: C(2), message: 'x\n\nCo-authored-by: Claude Monet <claude@monet.fr>\n' }];
    expect(declaredAssistance(commits)).to.deep.equal([]);
  });

  it("Aider's mark on the author name is a declaration", () => {
    expect(declaredAssistance([{ id: C(2), message: 'x\n', author: 'Jane Doe (aider) <jane@example.com>' }])).to.deep.equal([{ agent: 'Aider', commits: [C(2)] }]);
  });

  it('drops values that are not plain and short (control, bidi, markup), deterministically', () => {
    const commits = [
      { id: C(2), message: 'x\n\nAssisted-by: <script>:x\n' },
      { id: C(3), message: 'y\n\nAssisted-by: Claude:\u202eevil\n' },
      { id: C(4), message: 'z\n\nClaude-Session: has space\n' },
    ];
    expect(declaredAssistance(commits)).to.deep.equal([{ agent: 'Claude', commits: [C(3)] }]);
  });

  it('ignores trailers buried in prose (the strict trailer block) and a doubled CSAE-Agent', () => {
    expect(declaredAssistance([{ id: C(2), message: 'x\n\nAssisted-by: Claude:opus\nand some prose here\n' }])).to.deep.equal([]);
    expect(intentDeclaration(intentMsg([{ key: 'CSAE-Agent', value: 'Claude' }, { key: 'CSAE-Agent', value: 'Codex' }]))).to.equal(null);
  });

  it('assistanceFor lists the declarations naming one commit', () => {
    const list = [{ agent: 'Claude', model: 'm', commits: [C(1), C(2)] }, { agent: 'Codex', commits: [C(3)] }];
    expect(assistanceFor(list, C(2))).to.deep.equal([{ agent: 'Claude', model: 'm' }]);
    expect(assistanceFor(undefined, C(2))).to.deep.equal([]);
  });

  describe('assertDeclaration (intent register --agent/--model/--session)', () => {
    it('accepts plain values and turns them into CSAE trailers', () => {
      const d = assertDeclaration({ agent: 'Claude', model: 'claude-opus-4-5', session: '0199ab-cd' });
      expect(declarationTrailers(d)).to.deep.equal([
        { key: 'CSAE-Agent', value: 'Claude' },
        { key: 'CSAE-Model', value: 'claude-opus-4-5' },
        { key: 'CSAE-Session', value: '0199ab-cd' },
      ]);
      expect(assertDeclaration({})).to.equal(null);
    });
    const bad: Array<[string, Record<string, unknown>]> = [
      ['a newline in the agent (a forged trailer)', { agent: 'Claude\nCSAE-Type: attestation' }],
      ['a bidi override in the model', { agent: 'Claude', model: 'opus\u202e' }],
      ['a space in the session', { agent: 'Claude', session: 'a b' }],
      ['an empty agent', { agent: '' }],
      ['an over-long agent', { agent: 'a'.repeat(65) }],
      ['a model without an agent', { model: 'opus' }],
      ['markup in the agent', { agent: '<img src=x>' }],
    ];
    for (const [what, o] of bad) {
      it(`rejects ${what} with a usage error naming the next step`, () => {
        let err: unknown;
        try {
          assertDeclaration(o);
        } catch (e) {
          err = e;
        }
        expect(err).to.be.instanceOf(CsaeError);
        expect((err as CsaeError).code).to.equal('usage');
        expect((err as CsaeError).next).to.match(/csae intent register/);
      });
    }
  });

  describe('the claim binds declared assistance', () => {
    const bare = (): Omit<Claim, 'assistance'> => ({
      repository: 'github.com/acme/orca',
      workstream: 'ws-login',
      scope: { commit: C(1), intent: 'Add SSO login', operator: 'Jane Doe <jane@example.com>', registeredAt: '2025-01-02T03:04:05Z' },
      range: { base: C(0), commits: [C(1), C(2)] },
      verdicts: [],
    });
    const objs = (agent: string): Map<string, { message: string }> =>
      new Map([
        [C(1), { message: intentMsg([{ key: 'CSAE-Agent', value: agent }]) }],
        [C(2), { message: 'work\n' }],
      ]);
    const predicate = (claim: Claim): BundlePredicate => ({
      version: 1,
      kind: 'standard',
      repository: claim.repository,
      workstream: claim.workstream,
      scope: claim.scope,
      range: { base: claim.range.base, head: C(3), commits: [...claim.range.commits, C(3)] },
      verdicts: claim.verdicts,
      selfAttestation: { commit: C(3), claimDigest: claimDigest(claim) },
      ...(claim.assistance ? { assistance: claim.assistance } : {}),
      seq: 1,
      predecessor: null,
      author: 'Jane Doe <jane@example.com>',
      createdAt: '2025-01-02T04:00:00Z',
    });

    it('no declaration leaves the claim bytes as they were before assistance existed', () => {
      expect(withAssistance(bare(), [])).to.deep.equal(bare());
    });

    it('a declaration changes the digest; the recomputation from the commits gives it back', () => {
      const claim = withAssistance(bare(), [{ agent: 'Claude', commits: [C(1), C(2)] }]);
      expect(claimDigest(claim)).to.not.equal(claimDigest(bare()));
      const p = predicate(claim);
      const again = claimFromPredicate(p, objs('Claude'));
      expect(again).to.deep.equal(claim);
      expect(claimDigest(again!)).to.equal(p.selfAttestation!.claimDigest);
    });

    it('a predicate whose assistance differs from what the commits declare has no claim', () => {
      const claim = withAssistance(bare(), [{ agent: 'Claude', commits: [C(1), C(2)] }]);
      const p = predicate(claim);
      expect(claimFromPredicate(p, objs('Codex')), 'the commits say Codex').to.equal(null);
      expect(claimFromPredicate({ ...p, assistance: undefined }, objs('Claude')), 'the predicate hides the declaration').to.equal(null);
      expect(claimFromPredicate(p, new Map([[C(1), objs('Claude').get(C(1))!]])), 'a commit object is missing').to.equal(null);
    });
  });
});
