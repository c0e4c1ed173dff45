// csae audit walk|who|gaps|stranded|report
import type { Group } from '../../command.js';
import walk from './walk.js';
import who from './who.js';
import gaps from './gaps.js';
import stranded from './stranded.js';
import report from './report.js';

export const audit: Group = {
  name: 'audit',
  describe: 'Answer audit questions from the chain',
  demand: 'say which: walk, who, gaps, stranded or report',
  commands: [walk, who, gaps, stranded, report],
};
