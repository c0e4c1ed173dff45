// Reading a JSON cache: missing, unreadable, not JSON, not an object or another version -> null (the
// caller recomputes). A cache is a claim about where to look, never trusted blindly.
import { readFileSync } from 'node:fs';
import { isRecord } from './files.js';

export function readVersioned(file: string, version: number): Record<string, unknown> | null {
  try {
    const j: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isRecord(j) && j.version === version ? j : null;
  } catch {
    return null;
  }
}
