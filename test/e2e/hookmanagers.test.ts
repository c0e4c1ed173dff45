// csae under the hook managers teams run (issue 9): the real husky 9 and lefthook 2 from the registry
// (pinned dev dependencies). csae joins their configuration and never edits their generated hooks; the
// check survives the manager re-installing its hooks; the manager's own hooks keep running; an uncovered
// push is rejected in each setup (for lefthook also an explicit-refspec push, which lefthook would skip);
// uninstall removes exactly what install added. A plain hand-written hook keeps being chained.
import { expect } from 'chai';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSAE_BIN, ROOT, authorWorkstream, ceremony, must, parseJson, run, sandbox, show, useTempDirs, type Ceremony } from '../helpers/gitrepo.js';

const HUSKY = join(ROOT, 'node_modules', 'husky', 'bin.js');
const LEFTHOOK = join(ROOT, 'node_modules', 'lefthook', 'bin', 'index.js');

/** A directory holding a `csae` executable (what `npm install csae` puts on a hook's PATH). */
function csaeOnPath(root: string): string {
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'csae'), `#!/bin/sh\nexec '${process.execPath}' '${CSAE_BIN}' "$@"\n`);
  chmodSync(join(bin, 'csae'), 0o755);
  return bin;
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** A ceremony whose clone has no csae shims (init installed them; the manager comes first here). */
async function managedCeremony(): Promise<{ c: Ceremony; env: Record<string, string>; ownLog: string }> {
  const c = await ceremony();
  await must(c.w(['hooks', 'uninstall']), 'hooks uninstall');
  const env = { ...c.env, PATH: `${csaeOnPath(c.root)}:${c.env.PATH}` };
  return { c, env, ownLog: join(c.work, '.git', 'own.log') };
}

/** A commit made the ordinary way (the pre-commit hook runs), adding one file. */
async function uncoveredCommit(c: Ceremony, env: Record<string, string>, n: string): Promise<string> {
  writeFileSync(join(c.work, `hotfix-${n}.txt`), `${n}\n`);
  await c.g(['add', `hotfix-${n}.txt`]);
  const r = await c.gr(['commit', '-q', '-m', `unreviewed hotfix ${n}`], { env });
  if (r.code !== 0) throw new Error(`commit failed: ${show(r)}`);
  return c.rev('HEAD');
}

const own = (ownLog: string): string[] => (existsSync(ownLog) ? readFileSync(ownLog, 'utf8').trim().split('\n') : []);

describe('e2e: hook managers (husky 9, lefthook 2)', function () {
  this.timeout(240000);
  useTempDirs();

  before(function () {
    if (!existsSync(HUSKY) || !existsSync(LEFTHOOK)) throw new Error('husky and lefthook must be installed (npm ci): they are pinned dev dependencies');
  });

  it('husky: a block in .husky/pre-push and pre-commit; .husky/_ untouched; survives npx husky; uninstall restores exactly', async () => {
    const { c, env, ownLog } = await managedCeremony();
    const husky = () => run(process.execPath, [HUSKY], { cwd: c.work, env });
    mkdirSync(join(c.work, '.husky'));
    const ownPush = 'echo "own pre-push $1" >> "$(git rev-parse --git-dir)/own.log"\n';
    const ownCommit = 'echo "own pre-commit" >> "$(git rev-parse --git-dir)/own.log"\n';
    writeFileSync(join(c.work, '.husky', 'pre-push'), ownPush);
    writeFileSync(join(c.work, '.husky', 'pre-commit'), ownCommit);
    expect((await husky()).code).to.equal(0);
    expect(await c.g(['config', 'core.hooksPath'])).to.equal('.husky/_');
    const generated = snapshot(join(c.work, '.husky', '_'));

    const inst = await c.w(['hooks', 'install', '--json'], { env });
    expect(inst.code, show(inst)).to.equal(0);
    const r = parseJson(inst);
    expect(r).to.include({ manager: 'husky' });
    expect(r.edited).to.have.members(['.husky/pre-push', '.husky/pre-commit']);
    expect(r.next).to.equal(undefined);
    expect(snapshot(join(c.work, '.husky', '_'))).to.deep.equal(generated); // never edits husky's files
    expect(readFileSync(join(c.work, '.husky', 'pre-push'), 'utf8')).to.contain(ownPush);

    for (const round of ['installed', 'after npx husky re-installed']) {
      // an uncovered push to the protected branch is rejected by csae through husky's hook
      const bad = await uncoveredCommit(c, env, round.replace(/\W+/g, '-'));
      expect(own(ownLog)).to.include('own pre-commit'); // husky's own pre-commit ran (with the intent guard)
      const p = await c.gr(['push', 'origin', 'main'], { env });
      expect(p.code, `${round}: ${show(p)}`).to.not.equal(0);
      expect(p.stderr).to.match(/not covered|forgot intent/);
      expect(await c.git.ok(c.canon, ['rev-parse', 'main'])).to.not.equal(bad);
      // a push csae has no objection to passes, and the project's own hook then runs with git's arguments
      const side = await c.gr(['push', 'origin', `HEAD:refs/heads/side-${round.length}`], { env });
      expect(side.code, `${round}: ${show(side)}`).to.equal(0);
      expect(own(ownLog)).to.include('own pre-push origin');
      await c.g(['reset', '-q', '--hard', 'origin/main']);
      writeFileSync(ownLog, '');
      expect((await husky()).code).to.equal(0); // npm install runs this again: it rewrites .husky/_
    }

    // attested work still lands through husky (git's ref list reaches csae and the lines after it)
    await authorWorkstream(c, 'ws-husky', { n: 1, publish: true });
    const good = await c.gr(['push', 'origin', 'HEAD:refs/heads/main'], { env });
    expect(good.code, show(good)).to.equal(0);

    const un = await c.w(['hooks', 'uninstall', '--json']);
    expect(un.code, show(un)).to.equal(0);
    expect(parseJson(un).removed).to.have.members(['.husky/pre-push', '.husky/pre-commit']);
    expect(readFileSync(join(c.work, '.husky', 'pre-push'), 'utf8')).to.equal(ownPush);
    expect(readFileSync(join(c.work, '.husky', 'pre-commit'), 'utf8')).to.equal(ownCommit);
    expect(snapshot(join(c.work, '.husky', '_'))).to.deep.equal(generated);
  });

  it('lefthook: a command in lefthook.yml; generated hooks untouched; survives lefthook install; uninstall restores exactly', async () => {
    const { c, env, ownLog } = await managedCeremony();
    const lefthook = (args: string[]) => run(process.execPath, [LEFTHOOK, ...args], { cwd: c.work, env: { ...env, CI: '' } });
    const config = [
      '# the team\'s hooks',
      'pre-commit:',
      '  commands:',
      '    own:',
      '      run: echo "own pre-commit" >> "$(git rev-parse --git-dir)/own.log"',
      'pre-push:',
      '  commands:',
      '    own:',
      '      run: echo "own pre-push {1}" >> "$(git rev-parse --git-dir)/own.log"',
      '',
    ].join('\n');
    writeFileSync(join(c.work, 'lefthook.yml'), config);
    const li = await lefthook(['install']);
    expect(li.code, show(li)).to.equal(0);
    const hooks = join(c.work, '.git', 'hooks');
    const generated = { push: readFileSync(join(hooks, 'pre-push'), 'utf8'), commit: readFileSync(join(hooks, 'pre-commit'), 'utf8') };
    expect(generated.push).to.contain('lefthook');

    const inst = await c.w(['hooks', 'install', '--json'], { env });
    expect(inst.code, show(inst)).to.equal(0);
    const r = parseJson(inst);
    expect(r).to.include({ manager: 'lefthook' });
    expect(r.edited).to.deep.equal(['lefthook.yml']);
    expect(r.next).to.equal(undefined);
    expect(readFileSync(join(hooks, 'pre-push'), 'utf8')).to.equal(generated.push);
    expect(readFileSync(join(hooks, 'pre-commit'), 'utf8')).to.equal(generated.commit);
    expect(existsSync(join(hooks, 'pre-push.local'))).to.equal(false);

    for (const round of ['installed', 'after lefthook install re-installed']) {
      const bad = await uncoveredCommit(c, env, round.replace(/\W+/g, '-'));
      expect(own(ownLog)).to.include('own pre-commit');
      const p = await c.gr(['push', 'origin', 'main'], { env });
      expect(p.code, `${round}: ${show(p)}`).to.not.equal(0);
      expect(p.stderr + p.stdout).to.match(/not covered|forgot intent/);
      expect(own(ownLog)).to.include('own pre-push origin'); // lefthook still ran the team's command
      // an explicit refspec from a branch level with its upstream: lefthook sees no push files
      // (HEAD..@{push} is empty) and skips a plain command; csae's still runs
      await c.g(['reset', '-q', '--hard', 'origin/main']);
      await c.g(['branch', '-q', '-u', 'origin/main']);
      const q = await c.gr(['push', 'origin', `${bad}:refs/heads/main`], { env });
      expect(q.code, `${round} (refspec): ${show(q)}`).to.not.equal(0);
      expect(q.stdout + q.stderr).to.not.match(/csae-pre-push \(skip\)/);
      expect(q.stdout + q.stderr).to.match(/not covered|forgot intent/); // rejected by csae, not by lefthook failing
      expect(await c.git.ok(c.canon, ['rev-parse', 'main'])).to.not.equal(bad);
      writeFileSync(ownLog, '');
      const again = await lefthook(['install']);
      expect(again.code, show(again)).to.equal(0);
    }

    const un = await c.w(['hooks', 'uninstall', '--json']);
    expect(un.code, show(un)).to.equal(0);
    expect(parseJson(un).removed).to.have.members(['lefthook.yml (pre-push)', 'lefthook.yml (pre-commit)']);
    expect(readFileSync(join(c.work, 'lefthook.yml'), 'utf8')).to.equal(config);
  });

  it('csae init under husky joins its configuration instead of writing into .husky/_', async () => {
    const sb = sandbox();
    const canon = await sb.git.init(join(sb.root, 'canon.git'), { bare: true });
    const work = await sb.git.init(join(sb.root, 'work'));
    await sb.git.ok(work, ['remote', 'add', 'origin', canon]);
    await sb.git.commitFile(work, 'README.md', 'x\n', 'initial');
    expect((await run(process.execPath, [HUSKY], { cwd: work, env: sb.env })).code).to.equal(0);
    const generated = snapshot(join(work, '.husky', '_'));
    const r = await sb.csae(['init', '--mirror', join(sb.root, 'mirror.git'), '--json'], { cwd: work });
    expect(r.code, show(r)).to.equal(0);
    // csae is not installed in this project nor on the PATH: install says what the hook will need
    const noCsae = (sb.env.PATH ?? '').split(':').filter((d) => d && !existsSync(join(d, 'csae'))).join(':');
    const again = parseJson(await must(sb.csae(['hooks', 'install', '--json'], { cwd: work, env: { PATH: noCsae } }), 'hooks install'));
    expect(again).to.include({ manager: 'husky' });
    expect(again.next).to.match(/npm install --save-dev csae/);
    expect(snapshot(join(work, '.husky', '_'))).to.deep.equal(generated);
    expect(readFileSync(join(work, '.husky', 'pre-push'), 'utf8')).to.contain('csae hook pre-push "$@"');
  });

  it('a lefthook config csae does not edit (TOML) is refused with the lines to add by hand, and nothing is written', async () => {
    const sb = sandbox();
    const work = await sb.git.init(join(sb.root, 'work'));
    writeFileSync(join(work, 'lefthook.toml'), '[pre-push.commands.test]\nrun = "npm test"\n');
    const r = await sb.csae(['hooks', 'install', '--json'], { cwd: work });
    expect(r.code, show(r)).to.equal(2); // configuration
    expect(r.stderr).to.match(/lefthook\.toml/).and.to.match(/csae hook pre-push/);
    expect(r.stderr).to.not.match(/\n\s+at /); // no stack trace
    expect(existsSync(join(work, '.git', 'hooks', 'pre-push'))).to.equal(false);
  });

  it('a plain hand-written hook is still chained: kept as pre-push.local, run first, put back by uninstall', async () => {
    const sb = sandbox();
    const work = await sb.git.init(join(sb.root, 'work'));
    const hook = join(work, '.git', 'hooks', 'pre-push');
    mkdirSync(join(work, '.git', 'hooks'), { recursive: true });
    writeFileSync(hook, '#!/bin/sh\necho mine\n');
    chmodSync(hook, 0o755);
    const r = parseJson(await must(sb.csae(['hooks', 'install', '--json'], { cwd: work }), 'hooks install'));
    expect(r).to.include({ manager: null });
    expect(r.chained).to.deep.equal(['pre-push']);
    expect(readFileSync(hook + '.local', 'utf8')).to.equal('#!/bin/sh\necho mine\n');
    expect(readFileSync(hook, 'utf8')).to.contain('# csae hook shim');
    await must(sb.csae(['hooks', 'uninstall'], { cwd: work }), 'hooks uninstall');
    expect(readFileSync(hook, 'utf8')).to.equal('#!/bin/sh\necho mine\n');
    expect(existsSync(hook + '.local')).to.equal(false);
    expect(existsSync(join(work, '.git', 'hooks', 'pre-commit'))).to.equal(false);
  });
});
