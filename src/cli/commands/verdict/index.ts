// csae verdict record|import
import type { Group } from '../../command.js';
import record from './record.js';
import importVerdict from './import.js';

export const verdict: Group = {
  name: 'verdict',
  describe: "Record or import a reviewer's signed verdict",
  demand: 'say which: record or import',
  commands: [record, importVerdict],
};
