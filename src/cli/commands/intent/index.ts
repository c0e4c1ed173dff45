// csae intent register|status
import type { Group } from '../../command.js';
import register from './register.js';
import status from './status.js';

export const intent: Group = {
  name: 'intent',
  describe: 'Register intent before the work (the scope claim), and see what is open',
  demand: 'say which: register or status',
  commands: [register, status],
};
