// Real Sigstore services on loopback for the keyless tests: @sigstore/mock's CA (Fulcio), CT log and
// transparency log (Rekor v1), each built from keys generated here and served by a plain HTTP server on
// 127.0.0.1, and a trusted root assembled from those keys and certificates — so signing goes over HTTP
// and verification checks real certificates, SCTs and inclusion promises. Nothing of csae is stubbed.
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

const req = createRequire(import.meta.url);

type Handler = { path: string; fn: (body: string) => Promise<{ statusCode: number; response: string | ArrayBufferView; contentType?: string }> };

export interface SigstoreServices {
  url: string;
  fulcioUrl: string;
  rekorUrl: string;
  /** the RFC 3161 timestamp authority, when started with `tsa` */
  tsaUrl?: string;
  /** the trusted root (dev.sigstore.trustedroot.v0.1+json) for these services */
  trustedRoot: Record<string, any>;
  /** requests served so far, by path */
  hits: Map<string, number>;
  stop(): Promise<void>;
}

function ecPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

const spki = (k: KeyObject): Buffer => k.export({ format: 'der', type: 'spki' }) as Buffer;

/** An unsigned OIDC token as the mock Fulcio reads it: `sub` becomes the certificate's SAN, `iss` its issuer. */
export function idToken(iss: string, sub: string): string {
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss, sub, aud: 'sigstore', iat: now, exp: now + 600 })}.`;
}

async function at<T>(when: Date | undefined, f: () => Promise<T>): Promise<T> {
  if (!when) return f();
  const Real = Date;
  const t = when.getTime();
  class Fixed extends Real {
    constructor(...a: unknown[]) {
      super(...((a.length ? a : [t]) as [number]));
    }
    static override now(): number {
      return t;
    }
  }
  globalThis.Date = Fixed as DateConstructor;
  try {
    return await f();
  } finally {
    globalThis.Date = Real;
  }
}

/**
 * Start Fulcio + Rekor on 127.0.0.1:0. `clock` backdates the services (a certificate issued two hours
 * ago has long expired when it is verified: the entry must stay valid through Rekor's integrated time).
 */
export async function startSigstore(o: { clock?: Date; tsa?: boolean } = {}): Promise<SigstoreServices> {
  const mock = req('@sigstore/mock');
  const ctKeys = ecPair();
  const caKeys = ecPair();
  const tlogKeys = ecPair();
  const ctlog = await mock.initializeCTLog(ctKeys, o.clock);
  // NOTE: the mock makes its root certificate valid from the real "now"; a backdated CA needs a root
  // that was valid then, so the root is made under a Date fixed at the clock
  const ca = await at(o.clock, (): Promise<{ rootCertificate: Uint8Array }> => mock.initializeCA(caKeys, ctlog, o.clock));
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tlog = await mock.initializeTLog(url, tlogKeys, o.clock);
  const handlers: Handler[] = [mock.fulcioHandler(ca), mock.rekorHandler(tlog)];
  // NOTE: the mock TSA trims fractional-second zeros and then fails to parse about one stamp in ten:
  // its clock is pinned to a whole second (and its root made valid from then), a few seconds ahead so
  // that the stamp falls inside the signing certificate's ten minutes
  const tsaClock = new Date(Math.ceil(((o.clock ?? new Date()).getTime() + 5000) / 1000) * 1000);
  const tsa = o.tsa ? await at(tsaClock, (): Promise<{ rootCertificate: Uint8Array; intCertificate: Uint8Array }> => mock.initializeTSA(ecPair(), tsaClock)) : null;
  if (tsa) handlers.push(mock.tsaHandler(tsa));
  const hits = new Map<string, number>();
  server.on('request', (rq, rs) => {
    const chunks: Buffer[] = [];
    rq.on('data', (d: Buffer) => chunks.push(d));
    rq.on('end', () => {
      const path = (rq.url ?? '').split('?')[0]!;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const h = rq.method === 'POST' ? handlers.find((x) => x.path === path) : undefined;
      if (!h) {
        rs.writeHead(404).end('not found');
        return;
      }
      h.fn(Buffer.concat(chunks).toString('utf8')).then(
        (r) => {
          rs.writeHead(r.statusCode, { 'content-type': r.contentType ?? 'application/json' });
          rs.end(typeof r.response === 'string' ? r.response : Buffer.from(r.response.buffer, r.response.byteOffset, r.response.byteLength));
        },
        (e: Error) => rs.writeHead(500).end(e.message),
      );
    });
  });
  const start = new Date((o.clock ?? new Date()).getTime() - 24 * 3600_000).toISOString();
  const key = (k: KeyObject): object => ({ rawBytes: spki(k).toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } });
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [{ baseUrl: url, hashAlgorithm: 'SHA2_256', publicKey: key(tlogKeys.publicKey), logId: { keyId: createHash('sha256').update(spki(tlogKeys.publicKey)).digest('base64') } }],
    certificateAuthorities: [{ subject: { organization: 'sigstore.mock', commonName: 'sigstore' }, uri: url, certChain: { certificates: [{ rawBytes: Buffer.from(ca.rootCertificate).toString('base64') }] }, validFor: { start } }],
    ctlogs: [{ baseUrl: url, hashAlgorithm: 'SHA2_256', publicKey: key(ctKeys.publicKey), logId: { keyId: Buffer.from(ctlog.logID).toString('base64') } }],
    timestampAuthorities: tsa
      ? [{ subject: { organization: 'sigstore.mock', commonName: 'tsa' }, uri: url, certChain: { certificates: [tsa.intCertificate, tsa.rootCertificate].map((c) => ({ rawBytes: Buffer.from(c).toString('base64') })) }, validFor: { start } }]
      : [],
  };
  return {
    url,
    fulcioUrl: url,
    rekorUrl: url,
    ...(tsa ? { tsaUrl: url } : {}),
    trustedRoot,
    hits,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
