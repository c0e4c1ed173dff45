// Checkpoints kept on this machine: .git/csae/checkpoint-held (the newest checkpoint this clone verified;
// a cache that only strengthens the next check) and .git/csae/witness/<name>.checkpoint (the newest
// checkpoint witness <name> cosigned here: session state, what its next cosignature is checked against).
import { readFileSync } from 'node:fs';
import { CsaeError } from '../core/errors.js';
import { writeAtomic } from './atomic.js';
import { statePath } from './files.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function readOptional(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

export function heldCheckpointPath(stateDir: string): string {
  return statePath(stateDir, 'checkpointHeld');
}

export function readHeldCheckpoint(stateDir: string): Buffer | null {
  return readOptional(heldCheckpointPath(stateDir));
}

/** A checkpoint that cannot be remembered weakens the next check, never this one: errors are swallowed. */
export function writeHeldCheckpoint(stateDir: string, note: Buffer): void {
  try {
    writeAtomic(heldCheckpointPath(stateDir), note);
  } catch {
    // remembered next time
  }
}

/** The witness's file; its name comes from the policy and is checked before it names a file. */
export function witnessCheckpointPath(stateDir: string, name: string): string {
  if (!NAME.test(name) || name.includes('..')) throw new CsaeError('config', `witness name ${JSON.stringify(name)} cannot name a file under .git/csae/witness/`, { next: 'rename the witness in .csae/policy.yaml (letters, digits, . _ -)' });
  return statePath(stateDir, 'witness', `${name}.checkpoint`);
}

export function readWitnessCheckpoint(stateDir: string, name: string): Buffer | null {
  return readOptional(witnessCheckpointPath(stateDir, name));
}

export function writeWitnessCheckpoint(stateDir: string, name: string, note: Buffer): void {
  writeAtomic(witnessCheckpointPath(stateDir, name), note);
}
