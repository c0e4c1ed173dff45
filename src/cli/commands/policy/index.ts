// csae policy trust|set|revoke|show|sigstore-root
import type { Group } from '../../command.js';
import trust from './trust.js';
import set from './set.js';
import revoke from './revoke.js';
import show from './show.js';
import sigstoreRoot from './sigstore-root.js';

export const policy: Group = {
  name: 'policy',
  describe: 'Read and edit .csae/policy.yaml (commit the change; it takes effect once on the protected ref)',
  demand: 'say which: trust, set, revoke, show or sigstore-root',
  commands: [trust, set, revoke, show, sigstoreRoot],
};
