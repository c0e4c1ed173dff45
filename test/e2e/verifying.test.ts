// docs/VERIFYING.md, proven: verdicts recorded with --key, --ssh-key and --sigstore are verified by the
// page's own shell blocks (run with bash exactly as written: node + openssl, ssh-keygen -Y verify), and
// the keyless Sigstore bundle has the shape the documented cosign command relies on (cosign itself is
// not installable here).
import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ceremony, must, parseJson, useTempDirs, type Ceremony } from '../helpers/gitrepo.js';
import { idToken, startSigstore, type SigstoreServices } from '../helpers/sigstore.js';

const ISS = 'https://token.actions.githubusercontent.com';
const ID = 'https://github.com/acme/orca/.github/workflows/review.yml@refs/heads/main';

/** The shell blocks of docs/VERIFYING.md marked `<!-- verifying:NAME -->`. */
function docBlock(name: string): string {
  const doc = readFileSync(join(ROOT, 'docs', 'VERIFYING.md'), 'utf8');
  const m = new RegExp(`<!-- verifying:${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (!m) throw new Error(`docs/VERIFYING.md has no block verifying:${name}`);
  return m[1]!;
}

function runDoc(dir: string, blocks: string[], env: Record<string, string>): { code: number | null; out: string } {
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', blocks.map(docBlock).join('\n')], { cwd: dir, env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

const haveTools = ['openssl', 'ssh-keygen', 'base64'].every((t) => spawnSync(t, ['--help'], { stdio: 'ignore' }).error === undefined);

describe('docs/VERIFYING.md: third-party verification recipes', function () {
  this.timeout(120_000);
  useTempDirs();
  let c: Ceremony;
  let svc: SigstoreServices;
  const files: Record<'key' | 'ssh' | 'sigstore', string> = { key: '', ssh: '', sigstore: '' };
  let sshPub = '';

  before(async function () {
    if (!haveTools) {
      console.log('  (skipped: openssl, ssh-keygen or base64 missing)');
      this.skip();
    }
    svc = await startSigstore();
    c = await ceremony();
    await c.g(['checkout', '-q', '-b', 'feature']);
    await c.commit('v.txt', 'v\n', 'work to review');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'rita', '-f', join(c.root, 'rita_ssh')]);
    sshPub = readFileSync(join(c.root, 'rita_ssh.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    const record = async (extra: string[], env: Record<string, string> = {}): Promise<string> =>
      parseJson(await must(c.w(['verdict', 'record', '--range', 'main..HEAD', '--status', 'pass', '--score', '8', '--floor', '7', '--json', ...extra], { env }), `verdict record ${extra.join(' ')}`)).path;
    files.key = await record(['--key', c.reviewerKey, '--summary', 'key']);
    files.ssh = await record(['--ssh-key', join(c.root, 'rita_ssh'), '--summary', 'ssh']);
    files.sigstore = await record(['--sigstore', '--summary', 'keyless'], { SIGSTORE_ID_TOKEN: idToken(ISS, ID), CSAE_SIGSTORE_FULCIO_URL: svc.fulcioUrl, CSAE_SIGSTORE_REKOR_URL: svc.rekorUrl });
  });
  after(async () => svc && (await svc.stop()));

  const workdir = (name: string, file: string): string => {
    const d = join(c.root, `verify-${name}`);
    mkdirSync(d, { recursive: true });
    copyFileSync(file, join(d, 'entry.dsse.json'));
    return d;
  };

  it('key: the common steps + openssl pkeyutl verify the envelope under the policy key', () => {
    const policy = readFileSync(join(c.work, '.csae', 'policy.yaml'), 'utf8');
    const key = /name: rita\n\s+key: (ed25519:\S+)/.exec(policy)![1]!;
    const d = workdir('key', files.key);
    const ok = runDoc(d, ['common', 'key'], { E: 'entry.dsse.json', KEY: key });
    expect(ok.code, ok.out).to.equal(0);
    expect(ok.out).to.contain('Signature Verified Successfully');
    const st = JSON.parse(readFileSync(join(d, 'statement.json'), 'utf8'));
    expect(st).to.include({ _type: 'https://in-toto.io/Statement/v1', predicateType: 'https://csae.dev/verdict/v1' });
    // a tampered payload fails the same commands
    const e = JSON.parse(readFileSync(files.key, 'utf8'));
    writeFileSync(join(d, 'entry.dsse.json'), JSON.stringify({ ...e, payload: Buffer.from(JSON.stringify({ ...st, predicate: { ...st.predicate, score: 10 } })).toString('base64') }));
    const bad = runDoc(d, ['common', 'key'], { E: 'entry.dsse.json', KEY: key });
    expect(bad.code, bad.out).to.not.equal(0);
  });

  it('ssh: the common steps + ssh-keygen -Y verify with an allowed-signers line in the csae namespace', () => {
    const d = workdir('ssh', files.ssh);
    const ok = runDoc(d, ['common', 'ssh'], { E: 'entry.dsse.json', NAME: 'rita', SSHKEY: sshPub });
    expect(ok.code, ok.out).to.equal(0);
    expect(ok.out).to.match(/Good "csae" signature for rita/);
    const other = execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(d, 'mallory')]) && readFileSync(join(d, 'mallory.pub'), 'utf8').trim();
    const bad = runDoc(d, ['common', 'ssh'], { E: 'entry.dsse.json', NAME: 'rita', SSHKEY: other });
    expect(bad.code, bad.out).to.not.equal(0);
  });

  it('sigstore: the bundle has the shape cosign verify-blob-attestation relies on', () => {
    const env = JSON.parse(readFileSync(files.sigstore, 'utf8'));
    const bundle = JSON.parse(readFileSync(files.sigstore.replace(/\.dsse\.json$/, '.sigstore.json'), 'utf8'));
    expect(bundle.mediaType).to.equal('application/vnd.dev.sigstore.bundle.v0.3+json');
    // the bundle signs exactly the stored envelope
    expect(bundle.dsseEnvelope).to.deep.equal(env);
    expect(bundle.dsseEnvelope.payloadType).to.equal('application/vnd.in-toto+json');
    const st = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
    expect(st._type).to.equal('https://in-toto.io/Statement/v1');
    expect(st.predicateType).to.equal('https://csae.dev/verdict/v1'); // --type
    // subjects carry gitCommit digests only: --check-claims finds no sha256/384/512 to match
    for (const s of st.subject) expect(Object.keys(s.digest)).to.deep.equal(['gitCommit']);
    // --certificate-identity / --certificate-oidc-issuer
    const cert = new X509Certificate(Buffer.from(bundle.verificationMaterial.certificate.rawBytes, 'base64'));
    expect(cert.subjectAltName).to.equal(`URI:${ID}`);
    const der = cert.raw;
    const issuerOid = Buffer.from('060a2b0601040183bf300101', 'hex'); // OID 1.3.6.1.4.1.57264.1.1
    const at = der.indexOf(issuerOid);
    expect(at, 'issuer extension').to.be.greaterThan(0);
    expect(der.subarray(at, at + 80).toString('latin1')).to.contain(ISS);
    // the tlog entry cosign checks offline: integrated time and a signed inclusion promise
    const t = bundle.verificationMaterial.tlogEntries[0];
    expect(t.kindVersion.kind).to.equal('intoto');
    expect(Number(t.integratedTime)).to.be.greaterThan(0);
    expect(t.inclusionPromise.signedEntryTimestamp).to.be.a('string');
    // and the documented envelope comparison agrees
    const d = workdir('sigstore', files.sigstore);
    copyFileSync(files.sigstore.replace(/\.dsse\.json$/, '.sigstore.json'), join(d, 'entry.sigstore.json'));
    const same = runDoc(d, ['sigstore-envelope'], { S: 'entry.sigstore.json', E: 'entry.dsse.json' });
    expect(same.code, same.out).to.equal(0);
    copyFileSync(files.key, join(d, 'entry.dsse.json'));
    expect(runDoc(d, ['sigstore-envelope'], { S: 'entry.sigstore.json', E: 'entry.dsse.json' }).code).to.equal(1);
  });
});
