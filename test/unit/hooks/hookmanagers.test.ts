// The text edits csae makes in a hook manager's own configuration (.husky/<hook>, lefthook.yml): added
// where the manager reads it, parsed back as the manager would, and removed byte for byte.
import { expect } from 'chai';
import { parse } from 'yaml';
import { huskyAdd, lefthookAdd, lefthookRun, removeBlock } from '../../../src/hooks/managers.js';

const LEFTHOOK_SHAPES: Record<string, string> = {
  'no pre-push section': '# team hooks\npre-commit:\n  commands:\n    lint:\n      run: npm run lint\n',
  'commands map': 'pre-push:\n  parallel: true\n  commands:\n    test:\n      run: npm test   # the suite\n\npre-commit:\n  commands:\n    lint:\n      run: npm run lint\n',
  'jobs list (level with the key)': 'pre-push:\n  jobs:\n  - name: audit\n    run: npm audit\npre-commit:\n  jobs:\n    - run: npm run lint\n',
  'section without commands': 'pre-push:\n  piped: true\n  scripts:\n    "check.sh":\n      runner: bash\n',
  'no trailing newline': 'pre-commit:\n  commands:\n    lint:\n      run: npm run lint',
  'empty file': '',
};

describe('hook managers: configuration edits', () => {
  for (const [shape, text] of Object.entries(LEFTHOOK_SHAPES)) {
    it(`lefthook.yml (${shape}): adds csae-pre-push and csae-pre-commit, keeps the rest, removes exactly them`, () => {
      let out = lefthookAdd(text, 'pre-push', 'lefthook.yml');
      out = lefthookAdd(out, 'pre-commit', 'lefthook.yml');
      expect(lefthookAdd(out, 'pre-push', 'lefthook.yml')).to.equal(out); // idempotent
      const doc = parse(out);
      const find = (hook: string): any => doc[hook].commands?.[`csae-${hook}`] ?? doc[hook].jobs?.find((j: any) => j.name === `csae-${hook}`);
      const push = find('pre-push');
      expect(push.run).to.equal(lefthookRun('pre-push', 'lefthook.yml').run);
      expect(push.run).to.contain('{files}'); // so lefthook never skips it for want of changed files
      expect(push.files).to.equal('echo lefthook.yml');
      expect(push.use_stdin).to.equal(true);
      expect(find('pre-commit').use_stdin).to.equal(undefined);
      // what was there is still there
      const before = parse(text) ?? {};
      for (const hook of Object.keys(before)) {
        for (const k of Object.keys(before[hook])) {
          if (k === 'commands') for (const c of Object.keys(before[hook].commands)) expect(doc[hook].commands[c]).to.deep.equal(before[hook].commands[c]);
          else if (k === 'jobs') expect(doc[hook].jobs.filter((j: any) => !String(j.name).startsWith('csae-'))).to.deep.equal(before[hook].jobs);
          else expect(doc[hook][k]).to.deep.equal(before[hook][k]);
        }
      }
      const back = removeBlock(removeBlock(out, 'pre-commit')!, 'pre-push');
      expect(back).to.equal(text);
      expect(removeBlock(text, 'pre-push')).to.equal(null);
    });
  }

  it('lefthook.yml with a pre-push section csae cannot edit safely: a config error naming the fix', () => {
    expect(() => lefthookAdd('pre-push: {commands: {test: {run: npm test}}}\n', 'pre-push', 'lefthook.yml')).to.throw(/could not add csae's pre-push command/).with.property('code', 'config');
  });

  it('.husky/pre-push: a block at the top (after a shebang), removed byte for byte; a file csae created is empty after', () => {
    for (const text of ['npm test\n', '#!/usr/bin/env sh\nnpm test\n', '#!/bin/sh', 'git lfs pre-push "$@"']) {
      const out = huskyAdd(text, 'pre-push');
      expect(huskyAdd(out, 'pre-push')).to.equal(out);
      expect(out).to.contain('csae hook pre-push "$@"');
      if (text.startsWith('#!')) expect(out.startsWith(text.split('\n')[0]! + '\n# >>> csae pre-push')).to.equal(true);
      else expect(out.startsWith('# >>> csae pre-push')).to.equal(true);
      expect(removeBlock(out, 'pre-push')).to.equal(text);
    }
    const created = huskyAdd(null, 'pre-commit');
    expect(created).to.contain('csae hook pre-commit');
    expect(removeBlock(created, 'pre-commit')).to.equal('');
  });

  it('a block whose end marker was deleted is left alone with a config error', () => {
    const out = huskyAdd('npm test\n', 'pre-push').replace('# <<< csae pre-push\n', '');
    expect(() => removeBlock(out, 'pre-push')).to.throw(/no end marker/).with.property('code', 'config');
  });
});
