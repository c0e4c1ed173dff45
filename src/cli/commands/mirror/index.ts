// csae mirror verify|checkpoint|cosign|prove|log
import type { Group } from '../../command.js';
import verify from './verify.js';
import checkpoint from './checkpoint.js';
import cosign from './cosign.js';
import prove from './prove.js';
import log from './log.js';

export const mirror: Group = {
  name: 'mirror',
  describe: 'The audit mirror: verify it, list it',
  demand: 'say which: verify, checkpoint, cosign, prove or log',
  commands: [verify, checkpoint, cosign, prove, log],
};
