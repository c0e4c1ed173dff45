// csae chain repair
import type { Group } from '../../command.js';
import repair from './repair.js';

export const chain: Group = {
  name: 'chain',
  describe: 'Repair a break in the audit chain',
  demand: 'say which: repair',
  commands: [repair],
};
