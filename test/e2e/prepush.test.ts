// End to end: the pre-push validator, driven with git's hook input on stdin (`csae hook pre-push origin
// URL`) and through real pushes into a real bare repository with the hook installed.
import { expect } from 'chai';
import { authorWorkstream, ceremony, parseJson, show, useTempDirs, zeros, type Ceremony } from '../helpers/gitrepo.js';

const NO_STACK = '    at ';

for (const format of ['sha1', 'sha256'] as const) {
  describe(`e2e: pre-push (${format})`, function () {
    this.timeout(180_000);
    useTempDirs();
    const Z = zeros(format);
    let c: Ceremony;
    let covered: Awaited<ReturnType<typeof authorWorkstream>>;
    let hotfix: string;
    const hook = (input: string, extra: string[] = []): ReturnType<Ceremony['w']> => c.w(['hook', 'pre-push', 'origin', c.canon, ...extra], { input });
    const canonRef = async (ref: string): Promise<string | null> => {
      const r = await c.git.run(c.canon, ['rev-parse', '--verify', '--quiet', ref]);
      return r.code === 0 ? r.stdout.trim() : null;
    };

    before(async () => {
      // main is protected, and so is every release/* branch
      c = await ceremony({ format, protect: ['refs/heads/main', 'refs/heads/release/*'] });
    });

    it('a covered, published range on main is accepted by the hook (stdin)', async () => {
      await c.g(['checkout', '-q', '-b', 'feature']);
      covered = await authorWorkstream(c, 'ws-covered', { n: 2, publish: true });
      const r = await hook(`refs/heads/feature ${covered.attestation} refs/heads/main ${c.genesis}\n`);
      expect(r.code, show(r)).to.equal(0);
      expect(r.stderr).to.contain('refs/heads/main ok');
      expect(r.stderr).to.contain('4 commit(s) covered');
    });

    it('the same update with a commit on top that no bundle covers is rejected (stdin)', async () => {
      hotfix = await c.commit('hot.txt', 'hot\n', 'unregistered hotfix');
      const r = await hook(`refs/heads/feature ${hotfix} refs/heads/main ${c.genesis}\n`, ['--json']);
      expect(r.code, show(r)).to.equal(1);
      const j = parseJson(r);
      expect(j.ok).to.equal(false);
      expect(j.refs[0].uncovered.map((d: any) => d.commit)).to.deep.equal([hotfix]);
      expect(j.refs[0].uncovered[0].code).to.equal('forgot-intent');
      expect(j.refs[0].covered).to.equal(4);
      expect(r.stderr).to.contain('forgot intent registration');
    });

    it('a new protected branch (remote sha all zeros) is checked from the other protected tips', async () => {
      // release/1 does not exist on the remote; its new commits are those not on origin/main
      await c.g(['fetch', '-q', 'origin']);
      const ok = await hook(`refs/heads/feature ${covered.attestation} refs/heads/release/1 ${Z}\n`, ['--json']);
      expect(ok.code, show(ok)).to.equal(0);
      expect(parseJson(ok).refs[0]).to.include({ ref: 'refs/heads/release/1', ok: true, old: null, covered: 4 });
      const bad = await hook(`refs/heads/feature ${hotfix} refs/heads/release/1 ${Z}\n`, ['--json']);
      expect(bad.code, show(bad)).to.equal(1);
      expect(parseJson(bad).refs[0].uncovered.map((d: any) => d.commit)).to.deep.equal([hotfix]);
      // a new protected branch at main's tip adds nothing new
      const same = await hook(`refs/heads/main ${c.genesis} refs/heads/release/2 ${Z}\n`, ['--json']);
      expect(same.code, show(same)).to.equal(0);
      expect(parseJson(same).refs[0].commits).to.equal(0);
    });

    it('a new protected branch through a real push: rejected with the hotfix, accepted without', async () => {
      // NOTE: named local branches as sources; a raw commit id as source is the BUG test at the end
      await c.g(['branch', 'good', covered.attestation]);
      await c.g(['branch', 'bad', hotfix]);
      await c.g(['branch', 'old', c.genesis]);
      const bad = await c.gr(['push', 'origin', 'bad:refs/heads/release/1']);
      expect(bad.code, show(bad)).to.not.equal(0);
      expect(bad.stderr).to.contain('forgot intent registration');
      expect(await canonRef('refs/heads/release/1')).to.equal(null);
      const ok = await c.gr(['push', 'origin', 'good:refs/heads/release/1']);
      expect(ok.code, show(ok)).to.equal(0);
      expect(await canonRef('refs/heads/release/1')).to.equal(covered.attestation);
    });

    it('tags and unprotected branches are allowed, even with uncovered commits', async () => {
      const stdin = `refs/tags/v1 ${hotfix} refs/tags/v1 ${Z}\nrefs/heads/feature ${hotfix} refs/heads/feature ${Z}\n`;
      const r = await hook(stdin, ['--json']);
      expect(r.code, show(r)).to.equal(0);
      expect(parseJson(r)).to.deep.equal({ ok: true, refs: [] });
      await c.g(['tag', 'v1', hotfix]);
      const p = await c.gr(['push', 'origin', 'refs/tags/v1', 'feature']);
      expect(p.code, show(p)).to.equal(0);
      expect(await canonRef('refs/tags/v1^{commit}')).to.equal(hotfix);
      expect(await canonRef('refs/heads/feature')).to.equal(hotfix);
    });

    it('several refs in one push: one bad ref rejects the whole push', async () => {
      await c.g(['branch', 'feature2', hotfix]);
      const stdin = `refs/heads/feature2 ${hotfix} refs/heads/feature2 ${Z}\nrefs/heads/feature ${hotfix} refs/heads/main ${c.genesis}\n`;
      const r = await hook(stdin, ['--json']);
      expect(r.code, show(r)).to.equal(1);
      const j = parseJson(r);
      expect(j.refs.map((x: any) => [x.ref, x.ok])).to.deep.equal([['refs/heads/main', false]]);
      const p = await c.gr(['push', 'origin', 'feature2', 'bad:refs/heads/main']);
      expect(p.code, show(p)).to.not.equal(0);
      expect(await canonRef('refs/heads/feature2')).to.equal(null);
      expect(await canonRef('refs/heads/main')).to.equal(c.genesis);
    });

    it('two protected refs in one push are each reported; both good passes', async () => {
      const stdin = `refs/heads/feature ${covered.attestation} refs/heads/main ${c.genesis}\nrefs/heads/feature ${covered.attestation} refs/heads/release/3 ${Z}\n`;
      const r = await hook(stdin, ['--json']);
      expect(r.code, show(r)).to.equal(0);
      expect(parseJson(r).refs.map((x: any) => x.ref)).to.deep.equal(['refs/heads/main', 'refs/heads/release/3']);
      const p = await c.gr(['push', 'origin', 'good:refs/heads/main']);
      expect(p.code, show(p)).to.equal(0);
      expect(await canonRef('refs/heads/main')).to.equal(covered.attestation);
      await c.g(['fetch', '-q', 'origin']);
    });

    it('deleting the protected ref is rejected (stdin and a real push)', async () => {
      const r = await hook(`(delete) ${Z} refs/heads/main ${covered.attestation}\n`, ['--json']);
      expect(r.code, show(r)).to.equal(1);
      const j = parseJson(r);
      expect(j.refs[0]).to.include({ ref: 'refs/heads/main', ok: false, new: null });
      expect(j.refs[0].reason).to.contain('deleting protected ref');
      const p = await c.gr(['push', 'origin', ':refs/heads/release/1']);
      expect(p.code, show(p)).to.not.equal(0);
      expect(p.stderr).to.contain('deleting protected ref refs/heads/release/1');
      expect(await canonRef('refs/heads/release/1')).to.equal(covered.attestation);
      // deleting an unprotected branch is fine
      const d = await c.gr(['push', 'origin', ':refs/heads/feature']);
      expect(d.code, show(d)).to.equal(0);
      expect(await canonRef('refs/heads/feature')).to.equal(null);
    });

    it('a non-fast-forward force push of the protected ref is rejected', async () => {
      const r = await hook(`refs/heads/x ${c.genesis} refs/heads/main ${covered.attestation}\n`);
      expect(r.code, show(r)).to.equal(1);
      expect(r.stderr).to.contain('non-fast-forward');
      const p = await c.gr(['push', '-f', 'origin', 'old:refs/heads/main']);
      expect(p.code, show(p)).to.not.equal(0);
      expect(p.stderr).to.contain('non-fast-forward update of protected ref refs/heads/main');
      expect(await canonRef('refs/heads/main')).to.equal(covered.attestation);
    });

    it('an update whose remote tip is not in this clone fails closed and says to fetch', async () => {
      const unknown = 'ab'.repeat(Z.length / 2);
      const r = await hook(`refs/heads/feature ${covered.attestation} refs/heads/main ${unknown}\n`);
      expect(r.code, show(r)).to.equal(1);
      expect(r.stderr).to.contain('git fetch');
    });

    // BUG: git writes the push *source as given* in the <local ref> field of pre-push input: a raw commit
    // id for `git push origin <id>:main`, `HEAD~1` for `git push origin HEAD~1:main` (githooks(5); seen
    // with git 2.39). parsePrePush (src/git/hookinput.ts) requires refs/..., HEAD or (delete) there,
    // so such a push fails with exit 2 "hook input line 1: local ref ... is not a ref name" even when
    // every commit is covered. Expected: the local ref field is informational; the push is validated.
    it('a push whose source is a commit id or HEAD~1 is validated, not refused as malformed (BUG)', async () => {
      const r = await hook(`${covered.attestation} ${covered.attestation} refs/heads/release/7 ${Z}\nHEAD~1 ${covered.work[1]} refs/heads/release/8 ${Z}\n`, ['--json']);
      expect(r.code, show(r)).to.equal(0);
      const p = await c.gr(['push', 'origin', `${covered.attestation}:refs/heads/release/9`]);
      expect(p.code, show(p)).to.equal(0);
      expect(await canonRef('refs/heads/release/9')).to.equal(covered.attestation);
    });

    describe('malformed hook input: exit 2, the line named, no stack trace', () => {
      const cases: Array<[string, () => string, RegExp]> = [
        ['three fields', () => `refs/heads/main ${c.genesis} refs/heads/main\n`, /line 1: expected 4 space-separated fields, got 3/],
        ['a non-hex sha', () => `refs/heads/main ${'g'.repeat(Z.length)} refs/heads/main ${c.genesis}\n`, /line 1: local object .* is not an object id/],
        ['mixed sha lengths', () => `refs/heads/main ${'a'.repeat(40)} refs/heads/main ${'b'.repeat(64)}\n`, /line 1: object ids of different lengths/],
        ['a bad second line', () => `refs/heads/main ${c.genesis} refs/heads/main ${c.genesis}\nrefs/heads/main x\n`, /line 2: expected 4 space-separated fields, got 2/],
        ['a short sha', () => `refs/heads/main ${c.genesis.slice(0, 12)} refs/heads/main ${c.genesis}\n`, /line 1: .* is not an object id/],
        ['a remote ref that is not a ref', () => `refs/heads/main ${c.genesis} main ${c.genesis}\n`, /line 1: remote ref "main" is not a ref name/],
      ];
      for (const [name, input, msg] of cases) {
        it(name, async () => {
          const r = await hook(input());
          expect(r.code, show(r)).to.equal(2);
          expect(r.stderr).to.match(msg);
          expect(r.stderr).to.contain('next:');
          expect(r.stderr).to.not.contain(NO_STACK);
        });
      }
      it('--json gives a hook-input error object and nothing else on stdout', async () => {
        const r = await hook(`refs/heads/main ${c.genesis} refs/heads/main\n`, ['--json']);
        expect(r.code, show(r)).to.equal(2);
        const j = parseJson(r);
        expect(j.ok).to.equal(false);
        expect(j.error.code).to.equal('hook-input');
        expect(j.error.message).to.contain('line 1');
      });
      it('empty input (nothing to push) is accepted', async () => {
        const r = await hook('');
        expect(r.code, show(r)).to.equal(0);
      });
    });
  });
}
