// .git/csae is a cache, never a verdict (issue 6, "one owner of .git/csae"): a poisoned cutover.json —
// what a restored CI cache or a local edit could hold — must not exempt a single commit from coverage.
// The built binary replays main (csae verify --ref main) on a real repository with a real mirror.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ceremony, parseJson, show, useTempDirs, type Ceremony } from '../helpers/gitrepo.js';

describe('e2e: a poisoned .git/csae/cutover.json exempts nothing', function () {
  this.timeout(300_000);
  useTempDirs();
  let c: Ceremony;
  let side = '';
  let merge = '';
  let later = '';
  const uncovered = async (): Promise<{ code: number; commits: string[]; raw: string }> => {
    const r = await c.w(['verify', '--ref', 'main', '--json']);
    const j = parseJson(r);
    return { code: r.code, commits: j.refs[0].uncovered.map((d: { commit: string }) => d.commit).sort(), raw: show(r) };
  };
  const poison = (content: unknown): void => writeFileSync(join(c.work, '.git', 'csae', 'cutover.json'), JSON.stringify(content) + '\n');

  before(async () => {
    c = await ceremony();
    // a side branch started before the policy existed, merged after it: its commit needs coverage
    await c.g(['checkout', '-q', '-b', 'side', `${c.genesis}^`]);
    side = await c.commit('side.txt', 'side\n', 'side work, never reviewed');
    await c.g(['checkout', '-q', 'main']);
    await c.g(['merge', '-q', '--no-ff', '--no-verify', '-m', 'merge side', 'side']);
    merge = await c.rev('HEAD');
    later = await c.commit('later.txt', 'later\n', 'later work, never reviewed');
  });

  it('control: with no cutover.json the side commit, the merge and the later commit are uncovered', async () => {
    const v = await uncovered();
    expect(v.code, v.raw).to.equal(1);
    expect(v.commits).to.deep.equal([side, merge, later].sort());
  });

  for (const [what, at] of [
    ['a later commit of main', () => later],
    ['the side branch\'s commit (an ancestor of main whose parent has no policy)', () => side],
    ['the merge', () => merge],
  ] as const) {
    it(`a cutover.json naming ${what} changes nothing: the same commits are uncovered`, async () => {
      poison({ version: 1, cutover: at() });
      const v = await uncovered();
      expect(v.code, v.raw).to.equal(1);
      expect(v.commits).to.deep.equal([side, merge, later].sort());
    });
  }

  it('a cutover.json of an older shape, or naming a non-id, is ignored (no crash, same answer)', async () => {
    for (const bad of [{ cutover: side }, { version: 1, cutover: '--all' }, { version: 1, cutover: side.toUpperCase() }, ['x'], 'not json']) {
      if (bad === 'not json') writeFileSync(join(c.work, '.git', 'csae', 'cutover.json'), '{ not json');
      else poison(bad);
      const v = await uncovered();
      expect(v.code, `${JSON.stringify(bad)}: ${v.raw}`).to.equal(1);
      expect(v.commits).to.deep.equal([side, merge, later].sort());
    }
  });
});
