// .git/csae/policy-history.json: {version, tip, changes}: the first-parent commits of `tip` that change
// .csae/policy.yaml, oldest first. The hooks extend it along the first-parent chain (policy/epochs.ts);
// a replay never reads it.
import { writeCache } from './atomic.js';
import { isId, isRecord, statePath } from './files.js';
import { readVersioned } from './json.js';

const VERSION = 1;

export interface PolicyChange {
  id: string;
  parents: string[];
}

export interface PolicyHistory {
  tip: string;
  changes: PolicyChange[];
}

function isChange(c: unknown): c is PolicyChange {
  return isRecord(c) && isId(c.id) && Array.isArray(c.parents) && c.parents.every(isId);
}

export function readPolicyHistory(stateDir: string): PolicyHistory | null {
  const j = readVersioned(statePath(stateDir, 'policyHistory'), VERSION);
  if (!j || !isId(j.tip) || !Array.isArray(j.changes) || !j.changes.every(isChange)) return null;
  return { tip: j.tip, changes: j.changes.map((c) => ({ id: c.id, parents: [...c.parents] })) };
}

export function writePolicyHistory(stateDir: string, h: PolicyHistory): void {
  if (!isId(h.tip) || !h.changes.every(isChange)) return;
  writeCache(statePath(stateDir, 'policyHistory'), JSON.stringify({ version: VERSION, tip: h.tip, changes: h.changes }));
}
