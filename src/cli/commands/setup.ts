// keygen, init, hooks install|uninstall, policy trust|set|revoke|show
import type { Argv } from 'yargs';
import { action } from '../run.js';
import { init } from '../../app/init.js';
import { keygen, policyRevoke, policySet, policyShow, policyTrust } from '../../app/policy.js';
import { installShims, uninstallShims } from '../../app/shims.js';
import { serializePolicy, type Role } from '../../policy/policy.js';
import { join, resolve } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { CsaeError } from '../../core/errors.js';

export function setupCommands(y: Argv<any>): Argv<any> {
  return y
    .command(
      'keygen',
      'Make an Ed25519 signing key: PATH (private, PKCS#8 PEM, mode 600) and PATH.pub',
      (a: Argv<any>) => a.option('out', { type: 'string', demandOption: true, describe: 'where to write the private key; the public key goes to PATH.pub' }).example('csae keygen --out ~/.csae/olive.key', 'then: csae policy trust --bundles --name olive --key ~/.csae/olive.key.pub'),
      action<{ out: string }>(async (a, ctx, out) => {
        const r = await keygen(ctx, { out: a.out });
        out.result({ ok: true, private: r.private, public: r.public, keyid: r.keyid }, () => `wrote ${r.private} (private, keep it out of any repository)\nwrote ${r.public} (public)\nkeyid ${r.keyid}\nnext: csae policy trust --bundles --name NAME --key ${r.public}`);
      }),
    )
    .command(
      'init',
      'Adopt csae in this clone: write .csae/policy.yaml, create/clone the audit mirror, record your signer, install hooks',
      (a: Argv<any>) =>
        a
          .option('mirror', { type: 'string', describe: 'URL or path of the separate audit-mirror repository (created empty if a local path does not exist)' })
          .option('protect', { type: 'string', array: true, describe: 'protected ref(s), default refs/heads/main' })
          .option('key', { type: 'string', describe: 'your Ed25519 private key file, recorded as the default signer for this clone' })
          .option('key-env', { type: 'string', describe: 'name of an environment variable holding the key PEM instead' })
          .option('ssh-key', { type: 'string', describe: 'your SSH signing key (ssh-ed25519; ssh-agent works), recorded as the default signer' })
          .option('repository', { type: 'string', describe: 'repository id (default: normalised origin URL)' })
          .example('csae init --mirror ../audit.git --key ~/.csae/me.key', ''),
      action<{ mirror?: string; protect?: string[]; key?: string; keyEnv?: string; sshKey?: string; repository?: string }>(async (a, ctx, out) => {
        const r = await init(ctx, { mirror: a.mirror, protect: a.protect, key: a.key, keyEnv: a.keyEnv, sshKey: a.sshKey, repository: a.repository, nodePath: process.execPath });
        out.result({ ok: true, created: r.created, repository: r.policy.repository, mirror: r.mirror, protect: r.policy.protect, hooks: r.hooks }, () => '');
      }),
    )
    .command(
      'hooks <action>',
      'Install or remove the client hooks (pre-push: the coverage check; pre-commit: the intent guard). Under husky or lefthook csae adds itself to their configuration (.husky/pre-push, lefthook.yml) and leaves their generated hooks alone; a hand-written hook is kept and run first',
      (a: Argv<any>) =>
        a
          .positional('action', { choices: ['install', 'uninstall'] as const, demandOption: true })
          .example('csae hooks install', 'shims in .git/hooks; or a marked block in .husky/pre-push; or a csae-pre-push command in lefthook.yml')
          .example('csae hooks uninstall', 'removes exactly what install added, putting a chained hook back'),
      action<{ action: 'install' | 'uninstall' }>(async (a, ctx, out) => {
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
      }),
    )
    .command('policy', 'Read and edit .csae/policy.yaml (commit the change; it takes effect once on the protected ref)', (p: Argv<any>) =>
      p
        .command(
          'trust',
          'Trust a signer for a role',
          (a: Argv<any>) =>
            a
              .option('bundles', { type: 'boolean', describe: 'may sign bundles (entries)' })
              .option('verdicts', { type: 'boolean', describe: 'may sign review verdicts' })
              .option('bypass', { type: 'boolean', describe: 'may sign bypass entries' })
              .option('checkpoints', { type: 'boolean', describe: 'may sign mirror checkpoints' })
              .option('witnesses', { type: 'boolean', describe: 'may cosign mirror checkpoints as a witness (an Ed25519 key of its own)' })
              .option('name', { type: 'string', demandOption: true, describe: 'who this is: the verified identity every check and audit answer uses' })
              .option('email', { type: 'string', describe: "the signer's email, part of its verified identity (name <email>)" })
              .option('key', { type: 'string', describe: 'Ed25519 public key file (PATH.pub from csae keygen)' })
              .option('ssh-key', { type: 'string', describe: 'OpenSSH ssh-ed25519 public key file (e.g. ~/.ssh/id_ed25519.pub)' })
              .option('sigstore-issuer', { type: 'string', describe: 'OIDC issuer URL of a keyless (CI) signer, compared exactly' })
              .option('sigstore-identity', { type: 'string', describe: 'its exact certificate identity (SAN), e.g. a workflow URI; compared exactly, never as a pattern' })
              .example('csae policy trust --verdicts --name rita --key rita.key.pub', '')
              .example('csae policy trust --bundles --name ci --sigstore-issuer https://token.actions.githubusercontent.com --sigstore-identity https://github.com/acme/orca/.github/workflows/publish.yml@refs/heads/main', '')
              .example('csae policy trust --witnesses --name wit-a --key witness-a.key.pub', 'a witness that cosigns checkpoints'),
          action<{ bundles?: boolean; verdicts?: boolean; bypass?: boolean; checkpoints?: boolean; witnesses?: boolean; name: string; email?: string; key?: string; sshKey?: string; sigstoreIssuer?: string; sigstoreIdentity?: string }>(async (a, ctx, out) => {
            const roles = (['bundles', 'verdicts', 'bypass', 'checkpoints', 'witnesses'] as Role[]).filter((r) => a[r]);
            await policyTrust(ctx, { roles, name: a.name, email: a.email, key: a.key, sshKey: a.sshKey, sigstoreIssuer: a.sigstoreIssuer, sigstoreIdentity: a.sigstoreIdentity });
            out.result({ ok: true, name: a.name, roles }, () => `trusted ${a.name} for ${roles.join(', ')} in .csae/policy.yaml (commit it)`);
          }),
        )
        .command(
          'set <key> <value>',
          'Set a policy value: twoParty, floor, verdict, mergeCommits, rewrites, intentGuard, cutover, repository, mirror.url, mirror.branch, protect, bypass.allowed, sigstore.trustedRoot, witnesses.required',
          (a: Argv<any>) => a.positional('key', { type: 'string', demandOption: true }).positional('value', { type: 'string', demandOption: true }).example('csae policy set twoParty true', '').example('csae policy set mergeCommits clean', '').example('csae policy set sigstore.trustedRoot .csae/trusted_root.json', ''),
          action<{ key: string; value: string }>(async (a, ctx, out) => {
            await policySet(ctx, { key: a.key, value: String(a.value) });
            out.result({ ok: true, key: a.key, value: a.value }, () => `set ${a.key} = ${a.value} in .csae/policy.yaml (commit it)`);
          }),
        )
        .command(
          'revoke',
          'Remove a signer from every role: departed (its earlier entries stay valid) or --compromised (its entries from --since on are void under every policy version)',
          (a: Argv<any>) =>
            a
              .option('name', { type: 'string', demandOption: true, describe: 'the signer name in the policy' })
              .option('compromised', { type: 'boolean', describe: 'the key is compromised: distrust its entries from --since on (default: all), under every policy version' })
              .option('since', { type: 'number', describe: 'with --compromised: the first entry seq to distrust' })
              .example('csae policy revoke --name bob', 'bob left: his entries so far stay valid, later ones are refused')
              .example('csae policy revoke --name bob --compromised --since 42', "bob's key leaked: entries 42 onwards are void; then csae chain repair --break SEQ"),
          action<{ name: string; compromised?: boolean; since?: number }>(async (a, ctx, out) => {
            const r = await policyRevoke(ctx, { name: a.name, compromised: a.compromised, since: a.since });
            out.result({ ok: true, name: a.name, removed: r.removed, compromised: !!a.compromised, ...(a.compromised ? { since: a.since ?? 1 } : {}) }, () => `revoked ${a.name} (${r.removed} role(s))${a.compromised ? `; entries it signed from seq ${a.since ?? 1} on are void under every policy version once this lands — then csae mirror verify names them and csae chain repair --break SEQ acknowledges each` : '; its earlier entries stay valid'} (commit it, cover it with a bundle, land it)`);
          }),
        )
        .command(
          'show',
          'Print the policy as csae reads it, and the cutover in effect (explicit, or derived from history)',
          (a: Argv<any>) => a.example('csae policy show --json', 'the policy object plus cutoverInEffect {commit, source, detail}'),
          action(async (_a, ctx, out) => {
            const { policy: p, cutover } = await policyShow(ctx);
            out.result({ ...p, cutoverInEffect: cutover }, () => `${serializePolicy(p).trimEnd()}\n# cutover in effect: ${cutover.commit ?? '(none yet)'} (${cutover.source}) — ${cutover.detail}`);
          }),
        )
        .command(
          'sigstore-root',
          'Fetch the current Sigstore trusted root through TUF (needs network) and write it to a file; commit it and name it with csae policy set sigstore.trustedRoot',
          (a: Argv<any>) =>
            a
              .option('out', { type: 'string', demandOption: true, describe: 'where to write the trusted root JSON (e.g. .csae/trusted_root.json)' })
              .option('tuf-mirror', { type: 'string', describe: 'another TUF repository (default: the Sigstore public-good one)' })
              .option('tuf-root', { type: 'string', describe: 'the initial root.json of that TUF repository' })
              .example('csae policy sigstore-root --out .csae/trusted_root.json', 'then: csae policy set sigstore.trustedRoot .csae/trusted_root.json'),
          action<{ out: string; tufMirror?: string; tufRoot?: string }>(async (a, ctx, out) => {
            if (a.tufMirror && !a.tufRoot) throw new CsaeError('usage', '--tuf-mirror needs --tuf-root: the initial root.json of that TUF repository');
            const { fetchTrustedRoot } = await import('../../sign/sigstore/root.js');
            const cachePath = mkdtempSync(join(tmpdir(), 'csae-tuf-'));
            try {
              const root = await fetchTrustedRoot({ cachePath, mirrorURL: a.tufMirror, rootPath: a.tufRoot ? resolve(ctx.cwd, a.tufRoot) : undefined });
              const path = resolve(ctx.cwd, a.out);
              writeFileSync(path, JSON.stringify(root, null, 2) + '\n');
              out.result({ ok: true, path }, () => `wrote ${path}\nnext: csae policy set sigstore.trustedRoot ${a.out}, then commit it`);
            } finally {
              rmSync(cachePath, { recursive: true, force: true });
            }
          }),
        )
        .demandCommand(1, 'say which: trust, set, revoke, show or sigstore-root'),
    );
}
