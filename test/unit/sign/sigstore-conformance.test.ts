// Interop: verifySigstoreBundle (the library face's keyless verifier, the one the sigstore tier uses)
// agrees with the Sigstore conformance suite's bundle-verify cases: every accept case is accepted, every
// `_fail` case is rejected. One case verifies with a managed key instead of an identity, which the
// function's contract cannot express (docs/DECISIONS.md): it must fail closed.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifySigstoreBundle } from '../../../src/index.js';
import { vectorsDir } from '../_support.js';

const INEXPRESSIBLE = new Set(['managed-key-and-trusted-root']);

describe('interop: sigstore-conformance bundle-verify cases', function () {
  const dir = vectorsDir();
  const root = dir ? join(dir, 'sigstore-conformance') : null;
  if (!root || !existsSync(join(root, 'cases.json'))) {
    it('(skipped: ../shared/vectors/sigstore-conformance not present)', function () {
      this.skip();
    });
    return;
  }
  const index = JSON.parse(readFileSync(join(root, 'cases.json'), 'utf8')) as { cases: Array<{ case: string; expect: 'accept' | 'reject'; identity: string; issuer: string; artifact: string; trustedRoot: string }> };
  const roots = new Map<string, unknown>();
  const load = (rel: string): unknown => {
    if (!roots.has(rel)) roots.set(rel, JSON.parse(readFileSync(join(root, rel), 'utf8')));
    return roots.get(rel);
  };
  it('indexes the expected number of cases', () => {
    expect(index.cases.length).to.be.greaterThan(30);
    expect(index.cases.filter((c) => c.expect === 'accept').length).to.be.greaterThan(5);
  });
  for (const c of index.cases) {
    const inexpressible = INEXPRESSIBLE.has(c.case);
    it(`${c.case}: ${inexpressible ? 'inexpressible (managed key), fails closed' : c.expect}`, () => {
      const bundle = JSON.parse(readFileSync(join(root, 'bundle-verify', c.case, 'bundle.sigstore.json'), 'utf8'));
      const r = verifySigstoreBundle({ bundle, artifact: readFileSync(join(root, c.artifact)), trustedRoot: load(c.trustedRoot), issuer: c.issuer, identity: c.identity });
      if (inexpressible) {
        expect(r.ok).to.equal(false);
        expect(r.error).to.match(/signed with a key|no issuer and identity/);
        return;
      }
      expect(r.ok, `${c.case}: ${r.error ?? 'accepted'}`).to.equal(c.expect === 'accept');
      if (r.ok) expect(r.identity).to.deep.equal({ issuer: c.issuer, subject: c.identity });
      else expect(r.error).to.be.a('string').and.not.equal('');
    });
  }
  it('an accept case with a look-alike identity, another issuer or another artifact is rejected', () => {
    const c = index.cases.find((x) => x.case === 'happy-path-v0.3')!;
    const bundle = JSON.parse(readFileSync(join(root, 'bundle-verify', c.case, 'bundle.sigstore.json'), 'utf8'));
    const base = { bundle, artifact: readFileSync(join(root, c.artifact)), trustedRoot: load(c.trustedRoot), issuer: c.issuer, identity: c.identity };
    expect(verifySigstoreBundle(base).ok).to.equal(true);
    // sigstore-js's own policy would accept these: its SAN match is an unanchored regular expression
    expect(verifySigstoreBundle({ ...base, identity: c.identity.slice(0, -4) })).to.include({ ok: false, code: 'identity-mismatch' });
    expect(verifySigstoreBundle({ ...base, identity: 'extremely-dangerous' })).to.include({ ok: false, code: 'identity-mismatch' });
    expect(verifySigstoreBundle({ ...base, issuer: 'https://token.actions.githubusercontent.com/' })).to.include({ ok: false, code: 'issuer-mismatch' });
    expect(verifySigstoreBundle({ ...base, artifact: Buffer.from('another artifact') }).ok).to.equal(false);
    expect(verifySigstoreBundle({ ...base, bundle: { ...bundle, mediaType: 42 } }).code).to.equal('bundle-invalid');
    expect(verifySigstoreBundle({ ...base, trustedRoot: { mediaType: 'x' } }).ok).to.equal(false);
  });
});
