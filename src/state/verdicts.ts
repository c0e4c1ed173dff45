// .git/csae/verdicts/: session state, signed verdicts recorded or imported here until a bundle carries
// them to the mirror: sha256-<hex>.dsse.json (canonical bytes) and, for keyless ones, the
// sha256-<hex>.sigstore.json sidecar. Parsing stays in verdict/verdict.ts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CsaeError } from '../core/errors.js';
import { writeAtomic } from './atomic.js';
import { statePath } from './files.js';

const HEX = /^[0-9a-f]{64}$/;

/** Store a verdict's bytes (and sidecar) under its digest; returns the envelope's path. */
export function storeVerdictFiles(stateDir: string, digestHex: string, bytes: Buffer, sidecar?: Buffer): string {
  if (!HEX.test(digestHex)) throw new CsaeError('bad-id', `verdict digest ${JSON.stringify(digestHex)} is not 64 hex characters`);
  const path = statePath(stateDir, 'verdicts', `sha256-${digestHex}.dsse.json`);
  writeAtomic(path, bytes);
  if (sidecar) writeAtomic(statePath(stateDir, 'verdicts', `sha256-${digestHex}.sigstore.json`), sidecar);
  return path;
}

/** Paths of the stored verdict envelopes (sidecars excluded), sorted. */
export function verdictFilePaths(stateDir: string): string[] {
  const dir = statePath(stateDir, 'verdicts');
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.dsse.json')).sort().map((n) => join(dir, n));
  } catch {
    return [];
  }
}
