// csae bundle author|publish|retroactive|abandon
import type { Group } from '../../command.js';
import author from './author.js';
import publish from './publish.js';
import retroactive from './retroactive.js';
import abandon from './abandon.js';

export const bundle: Group = {
  name: 'bundle',
  describe: 'Author and publish the bundle that covers a workstream',
  demand: 'say which: author, publish, retroactive or abandon',
  commands: [author, publish, retroactive, abandon],
};
