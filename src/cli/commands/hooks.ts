// `csae hooks install|uninstall`: the client hook shims, or csae's lines in husky's / lefthook's
// configuration (app/shims.ts). Not `csae hook NAME`, which is what those shims run (hook.ts).
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import { installShims, uninstallShims } from '../../app/shims.js';

const command: Command<{ action: 'install' | 'uninstall' }> = {
  command: 'hooks <action>',
  describe: 'Install or remove the client hooks (pre-push: the coverage check; pre-commit: the intent guard). Under husky or lefthook csae adds itself to their configuration (.husky/pre-push, lefthook.yml) and leaves their generated hooks alone; a hand-written hook is kept and run first',
  builder: (a: Argv<any>) =>
    a
      .positional('action', { choices: ['install', 'uninstall'] as const, demandOption: true })
      .example('csae hooks install', 'shims in .git/hooks; or a marked block in .husky/pre-push; or a csae-pre-push command in lefthook.yml')
      .example('csae hooks uninstall', 'removes exactly what install added, putting a chained hook back'),
  run: async (a, ctx, out) => {
    if (a.action === 'install') {
      const r = await installShims(ctx, { nodePath: process.execPath });
      const text = (): string =>
        r.manager
          ? `added csae to ${r.manager}'s configuration: ${r.edited.join(', ')} (${r.installed.join(', ')}); commit it${r.next ? `\nnext: ${r.next}   (${r.manager}'s hooks are not installed in this clone yet)` : ''}`
          : `installed ${r.installed.join(', ')} in ${r.dir}${r.chained.length ? `; your existing ${r.chained.join(', ')} kept as *.local and run first` : ''}`;
      out.result({ ok: true, dir: r.dir, installed: r.installed, chained: r.chained, manager: r.manager, edited: r.edited, ...(r.next ? { next: r.next } : {}) }, text);
    } else {
      const removed = await uninstallShims(ctx);
      out.result({ ok: true, removed }, () => (removed.length ? `removed csae from ${removed.join(', ')}` : 'no csae hooks were installed'));
    }
  },
};
export default command;
