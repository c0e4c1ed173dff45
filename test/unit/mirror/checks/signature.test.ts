// Check 2 (src/mirror/checks/signature.ts): signed by a signer the policy in force trusts for the entry's kind,
// less keys revoked as compromised; without a policy (the mirror's own guard) not checked, and said so.
import { expect } from 'chai';
import { canonicalize } from '../../../../src/core/jcs.js';
import type { ChainStepContext } from '../../../../src/mirror/checks/context.js';
import { schema } from '../../../../src/mirror/checks/schema.js';
import { signature } from '../../../../src/mirror/checks/signature.js';
import { person, signedEntry } from '../../_signed.js';
import { C, ctx, entryBytes, predicate } from './_fixture.js';

describe('mirror/checks/signature (check 2)', () => {
  it('signature: not checked without a policy (said so); fails closed when the policy trusts no signer', () => {
    const c = ctx(entryBytes(predicate()));
    schema(c);
    expect(signature(c)).to.deep.equal({ ok: true, detail: 'not checked: no policy configured for this guard' });
    const d = ctx(entryBytes(predicate()), { o: { repository: 'acme/app', bundleKeys: [], bypassKeys: [] } });
    schema(d);
    const r = signature(d);
    expect(r.ok).to.equal(false);
    expect(r.detail).to.match(/trusts no signer/).and.match(/bundle signers of the policy in force at entry 1/);
  });
  describe('signature, on real Ed25519 signatures', () => {
    const olive = person('olive');
    const rita = person('rita');
    const keys = (bundle: typeof olive[], bypass: typeof olive[] = []) => ({ repository: 'acme/app', bundleKeys: bundle.map((p) => p.trusted), bypassKeys: bypass.map((p) => p.trusted) });
    const run = async (who: typeof olive, o: ChainStepContext['o'], p = predicate()) => {
      const c = ctx(await signedEntry(who, p), { o });
      expect(schema(c)).to.deep.equal({ ok: true });
      return { r: signature(c), c };
    };
    it('passes a trusted signer and hands who signed to the next steps', async () => {
      const { r, c } = await run(olive, keys([olive]));
      expect(r).to.deep.equal({ ok: true, detail: 'olive (key)' });
      expect(c.sig).to.include({ ok: true, signer: 'olive', keyid: olive.trusted.keyid, tier: 'key' });
    });
    it('fails a signer the policy does not trust', async () => {
      expect((await run(rita, keys([olive]))).r.ok).to.equal(false);
    });
    it('a bypass entry is checked against the bypass signers only', async () => {
      const bypass = predicate({ kind: 'bypass', range: { base: C(1), head: C(3), commits: [C(2), C(3)], ref: 'refs/heads/main' } });
      expect((await run(olive, keys([olive]), bypass)).r.ok).to.equal(false);
      expect((await run(olive, keys([], [olive]), bypass)).r.ok).to.equal(true);
    });
    it('a key revoked as compromised fails from its seq on, and passes before it', async () => {
      const compromised = [{ keyid: olive.trusted.keyid, name: 'olive', since: 1 }];
      const { r } = await run(olive, { ...keys([olive]), compromised });
      expect(r.ok).to.equal(false);
      expect(r.detail).to.contain('compromised');
      expect((await run(olive, { ...keys([olive]), compromised: [{ ...compromised[0]!, since: 2 }] })).r.ok).to.equal(true);
    });
    it('an envelope whose payload was changed after signing fails', async () => {
      const bytes = await signedEntry(olive, predicate());
      const env = JSON.parse(bytes.toString('utf8'));
      const st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8'));
      st.predicate.notes.reason = 'edited';
      env.payload = Buffer.from(canonicalize(st)).toString('base64');
      const c = ctx(Buffer.from(canonicalize(env) + '\n'), { o: keys([olive]) });
      expect(schema(c)).to.deep.equal({ ok: true });
      expect(signature(c).ok).to.equal(false);
    });
  });
});
