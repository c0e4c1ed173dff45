// The ssh tier: signatures made by ssh-keygen verify in-process, signatures we verify also verify with
// `ssh-keygen -Y verify` (interop both ways), and tampering or a foreign key fails. Needs OpenSSH.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSshPublicKey, sshKeyFingerprint, sshSign } from '../../../src/sign/ssh.js';
import { SshSigner, SshTrustedKey } from '../../../src/sign/tiers/ssh.js';
import { verifyEnvelope } from '../../../src/sign/envelope.js';

const haveSsh = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error === undefined;

describe('ssh signer and verifier (SSHSIG, ssh-ed25519)', function () {
  let dir = '';
  before(function () {
    if (!haveSsh) {
      console.log('  (skipped: ssh-keygen not installed)');
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'csae-ssh-'));
    for (const k of ['a', 'b']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', k, '-f', join(dir, k)]);
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('verifies its own signature in-process, and ssh-keygen agrees', async () => {
    const data = Buffer.from('DSSEv1 28 application/vnd.in-toto+json 2 {}');
    const s = { keyid: sshKeyFingerprint(join(dir, 'a')), sig: await sshSign(join(dir, 'a'), process.env, data) };
    const pub = readFileSync(join(dir, 'a.pub'), 'utf8');
    const k = new SshTrustedKey('olive', pub);
    expect(s.keyid).to.equal(k.keyid).and.match(/^SHA256:/);
    expect(k.verifyBytes(data, s.sig)).to.equal(true);
    writeFileSync(join(dir, 'allowed'), `olive ${pub}`);
    writeFileSync(join(dir, 'sig'), `-----BEGIN SSH SIGNATURE-----\n${s.sig.toString('base64').replace(/(.{70})/g, '$1\n')}\n-----END SSH SIGNATURE-----\n`);
    const r = spawnSync('ssh-keygen', ['-Y', 'verify', '-f', join(dir, 'allowed'), '-I', 'olive', '-n', 'csae', '-s', join(dir, 'sig')], { input: data });
    expect(r.status, r.stderr.toString()).to.equal(0);
  });

  it('rejects tampered data, a foreign key, another namespace and garbage', async () => {
    const data = Buffer.from('payload');
    const s = { sig: await sshSign(join(dir, 'a'), process.env, data) };
    const a = new SshTrustedKey('a', readFileSync(join(dir, 'a.pub'), 'utf8'));
    const b = new SshTrustedKey('b', readFileSync(join(dir, 'b.pub'), 'utf8'));
    expect(a.verifyBytes(Buffer.from('payloaD'), s.sig)).to.equal(false);
    expect(b.verifyBytes(data, s.sig)).to.equal(false);
    expect(a.verifyBytes(data, Buffer.alloc(10))).to.equal(false);
    expect(a.verifyBytes(data, Buffer.concat([s.sig, Buffer.from([0])]))).to.equal(false);
    // a signature ssh-keygen made for another namespace must not count as a csae signature
    writeFileSync(join(dir, 'msg'), data);
    execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-n', 'git', '-f', join(dir, 'a'), join(dir, 'msg')]);
    const armored = readFileSync(join(dir, 'msg.sig'), 'utf8');
    const other = Buffer.from(armored.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
    expect(a.verifyBytes(data, other)).to.equal(false);
  });

  it('as a tier: signs a DSSE envelope that verifies under its policy entry only', async () => {
    const signed = await new SshSigner(join(dir, 'a'), process.env).sign('application/vnd.in-toto+json', Buffer.from('{}'));
    expect(signed.sidecar).to.equal(undefined);
    const a = new SshTrustedKey('a', readFileSync(join(dir, 'a.pub'), 'utf8'));
    const b = new SshTrustedKey('b', readFileSync(join(dir, 'b.pub'), 'utf8'));
    expect(verifyEnvelope(signed.envelope, [b, a])).to.include({ ok: true, signer: 'a', tier: 'ssh' });
    expect(verifyEnvelope(signed.envelope, [b]).ok).to.equal(false);
    const tampered = { ...signed.envelope, payload: Buffer.from('{"x":1}').toString('base64') };
    expect(verifyEnvelope(tampered, [a]).ok).to.equal(false);
  });

  it('parses allowed-signers lines and refuses non-ed25519 keys with a clear error', () => {
    const pub = readFileSync(join(dir, 'a.pub'), 'utf8').trim();
    expect(parseSshPublicKey(`olive@example.com ${pub}`).raw).to.have.length(32);
    expect(() => parseSshPublicKey('ssh-rsa AAAAB3NzaC1yc2E= x')).to.throw(/ssh-rsa keys are not supported/);
    expect(() => parseSshPublicKey('hello world')).to.throw(/not an OpenSSH public key/);
    expect(() => parseSshPublicKey('ssh-ed25519 AAAA')).to.throw(/malformed/);
  });
});
