// Integration: the trailers csae writes into intent and attestation commit messages are ordinary git
// trailers — `git interpret-trailers --parse` and `git log --format=%(trailers)` read exactly what
// csae's own parser reads, on real commits.
import { expect } from 'chai';

import { Git } from '../../src/git/git.js';
import { intentMessage, parseIntentCommit } from '../../src/intent/intent.js';
import { attestationMessage } from '../../src/bundle/author.js';
import { claimDigest } from '../../src/core/claim.js';
import { parseTrailers } from '../../src/core/trailers.js';
import type { Claim } from '../../src/core/statement.js';
import { GitRunner, tempRepo, useTempDirs, OPERATOR, IDENTITY, type ObjectFormat } from '../helpers/gitrepo.js';

for (const format of ['sha1', 'sha256'] as ObjectFormat[]) {
  describe(`integration: trailers round-trip through git (${format})`, function () {
    this.timeout(60_000);
    useTempDirs();
    let dir: string;
    let g: GitRunner;
    let git: Git;
    let base: string;

    before(async () => {
      ({ dir, g, git } = await tempRepo(format));
      base = await g.commitFile(dir, 'a.txt', 'a\n', 'base');
    });

    /** What git reads: `git interpret-trailers --parse` on the message, as "Key: value" lines. */
    const gitParse = async (msg: string): Promise<string[]> => (await g.ok(dir, ['interpret-trailers', '--parse'], { input: msg })).split('\n').filter(Boolean);
    const ours = (msg: string): string[] => parseTrailers(msg).map((t) => `${t.key}: ${t.value}`);

    const intents = [
      'Refactor the user schema and its consumers',
      'Fix: the parser for "Key: value" lines (looks like a trailer, is the body)',
      'Unicode intent: caf\u00e9, \u00fcber, \u65e5\u672c\u8a9e, emoji \u{1F600}',
      'x'.repeat(500),
    ];
    for (const intent of intents) {
      it(`intent message: ${JSON.stringify(intent.slice(0, 40))}`, async () => {
        const msg = intentMessage('ws-schema-cleanup', intent, OPERATOR);
        const expected = ['CSAE-Type: intent', 'CSAE-Workstream: ws-schema-cleanup', `CSAE-Operator: ${OPERATOR}`];
        expect(await gitParse(msg)).to.deep.equal(expected);
        expect(ours(msg)).to.deep.equal(expected);
        // a real commit, made the way csae makes it, reads back the same
        await g.ok(dir, ['checkout', '-q', '--detach', base]);
        const id = await git.commitEmpty(msg);
        const c = (await git.readCommit(id))!;
        expect(c.message).to.equal(msg);
        expect((await g.ok(dir, ['log', '-1', '--format=%(trailers:only,unfold)', id])).split('\n')).to.deep.equal(expected);
        expect(await g.ok(dir, ['log', '-1', '--format=%(trailers:key=CSAE-Workstream,valueonly)', id])).to.equal('ws-schema-cleanup');
        const parsed = parseIntentCommit(c)!;
        expect(parsed).to.deep.equal({ workstream: 'ws-schema-cleanup', intent, operator: OPERATOR, registeredAt: IDENTITY.GIT_COMMITTER_DATE });
        expect(c.tree).to.equal(await g.rev(dir, `${base}^{tree}`));
      });
    }

    it('attestation message: claim, scope and one CSAE-Verdict per verdict', async () => {
      const len = format === 'sha256' ? 64 : 40;
      const a0 = 'a'.repeat(len);
      const claim: Claim = {
        repository: 'example.com/acme/app',
        workstream: 'ws-schema-cleanup',
        scope: { commit: a0, intent: 'Refactor', operator: OPERATOR, registeredAt: IDENTITY.GIT_COMMITTER_DATE },
        range: { base, commits: [a0, 'b'.repeat(len)] },
        verdicts: [
          { digest: 'sha256:' + '1'.repeat(64), reviewer: 'Rita Reviewer <rita@example.com>', status: 'pass', score: 8.5, floor: 7 },
          { digest: 'sha256:' + '2'.repeat(64), reviewer: 'Sam Second <sam@example.com>', status: 'pass', score: 9, floor: 7 },
        ],
      };
      const digest = claimDigest(claim);
      const msg = attestationMessage(claim, digest);
      const expected = ['CSAE-Type: attestation', 'CSAE-Workstream: ws-schema-cleanup', `CSAE-Claim: ${digest}`, `CSAE-Scope: ${a0}`, `CSAE-Verdict: sha256:${'1'.repeat(64)}`, `CSAE-Verdict: sha256:${'2'.repeat(64)}`];
      expect(await gitParse(msg)).to.deep.equal(expected);
      expect(ours(msg)).to.deep.equal(expected);
      await g.ok(dir, ['checkout', '-q', '--detach', base]);
      const id = await git.commitEmpty(msg);
      expect((await g.ok(dir, ['log', '-1', '--format=%(trailers:key=CSAE-Verdict,valueonly)', id])).split('\n')).to.deep.equal([`sha256:${'1'.repeat(64)}`, `sha256:${'2'.repeat(64)}`]);
      expect(await g.ok(dir, ['log', '-1', '--format=%(trailers:key=CSAE-Claim,valueonly)', id])).to.equal(digest);
      expect(ours((await git.readCommit(id))!.message)).to.deep.equal(expected);
    });

    it('an attestation with no verdicts has no CSAE-Verdict trailer, for git and for us', async () => {
      const claim: Claim = {
        repository: 'r',
        workstream: 'ws-none',
        scope: { commit: base, intent: 'i', operator: OPERATOR, registeredAt: IDENTITY.GIT_COMMITTER_DATE },
        range: { base, commits: [base] },
        verdicts: [],
      };
      const msg = attestationMessage(claim, claimDigest(claim));
      expect((await gitParse(msg)).filter((l) => l.startsWith('CSAE-Verdict'))).to.deep.equal([]);
      expect(await gitParse(msg)).to.deep.equal(ours(msg));
    });

    it('trailers git appends to a message csae wrote are read by both (e.g. a Signed-off-by)', async () => {
      const msg = intentMessage('ws-x', 'Something', OPERATOR);
      const withSob = await g.ok(dir, ['interpret-trailers', '--trailer', 'Signed-off-by: Olive Operator <olive@example.com>'], { input: msg });
      const both = await gitParse(withSob + '\n');
      expect(both).to.deep.equal(ours(withSob + '\n'));
      expect(both[both.length - 1]).to.equal('Signed-off-by: Olive Operator <olive@example.com>');
    });
  });
}
