// .git/csae/policy-cache.json: {version, policies}: parsed policies keyed by the sha256 (hex) of the
// policy file's bytes, so the hooks need neither yaml nor a schema check for a policy seen before.
// The value's type belongs to policy/ (above this floor): here it is an opaque JSON object.
import { writeCache } from './atomic.js';
import { isRecord, statePath } from './files.js';
import { readVersioned } from './json.js';

const VERSION = 1;
const DIGEST = /^[0-9a-f]{64}$/;

/** The cached policies, or an empty map when the file is missing, corrupt, of another version or any entry is malformed. */
export function readPolicyCache(stateDir: string): Map<string, Record<string, unknown>> {
  const j = readVersioned(statePath(stateDir, 'policyCache'), VERSION);
  const out = new Map<string, Record<string, unknown>>();
  if (!j || !isRecord(j.policies)) return out;
  for (const [k, v] of Object.entries(j.policies)) {
    if (!DIGEST.test(k) || !isRecord(v)) return new Map();
    out.set(k, v);
  }
  return out;
}

export function writePolicyCache(stateDir: string, policies: ReadonlyMap<string, object>): void {
  const obj: Record<string, object> = {};
  for (const [k, v] of policies) if (DIGEST.test(k)) obj[k] = v;
  writeCache(statePath(stateDir, 'policyCache'), JSON.stringify({ version: VERSION, policies: obj }));
}
