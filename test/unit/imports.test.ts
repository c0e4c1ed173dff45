// The house rules for imports (scripts/check-imports.mjs, docs/ARCHITECTURE.md): no cycles, nothing
// runs up a floor, only src/git/ spawns git. Checked on this tree, and on a small bad tree to show the
// checker catches each kind of violation.
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, mkTemp, useTempDirs } from '../helpers/gitrepo.js';

type Checker = { violations(root?: string): string[] };
const load = async (): Promise<Checker> => (await import(pathToFileURL(join(ROOT, 'scripts', 'check-imports.mjs')).href)) as Checker;

describe('the import rules', function () {
  useTempDirs();

  it('hold for this tree: no cycles, no import up a floor, nothing outside src/git/ spawns git', async function () {
    expect((await load()).violations()).to.deep.equal([]);
  });

  it('catch a cycle, an import up a floor, a room cycle, a git spawn outside the port and a write under .git/csae outside src/state/', async function () {
    const root = mkTemp('csae-imports-');
    const put = (p: string, text: string): void => {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), text);
    };
    put('src/core/pure.ts', "import { use } from '../app/use.js';\nexport const pure = use;\n");
    put('src/app/use.ts', 'export const use = 1;\n');
    put('src/audit/a.ts', "import { b } from './b.js';\nexport const a = b;\n");
    put('src/audit/b.ts', "import { a } from './a.js';\nexport const b = a;\n");
    put('src/audit/types.ts', "import type { t } from './types2.js';\nexport type u = t;\n");
    put('src/audit/types2.ts', "import type { u } from './types.js';\nexport type t = u;\n");
    put('src/mirror/m.ts', "import { v } from '../validate/v.js';\nexport const m = v;\n");
    put('src/validate/v.ts', "import type { m } from '../mirror/m.js';\nexport const v = 1 as unknown as typeof m;\n");
    put('src/intent/spawns.ts', "import { spawn } from 'node:child_process';\nspawn('git', ['status']);\n");
    put('src/git/port.ts', "import { spawn } from 'node:child_process';\nspawn('git', ['status']);\n");
    put('src/git/git.ts', 'export class Git {}\n');
    put('src/bundle/raw.ts', "import { Git } from '../git/git.js';\nexport const x = (g: any) => g.git.lines(['log', '--all']);\nexport const G = Git;\n");
    put('src/audit/reads.ts', "import { readPolicyFile } from '../policy/edit.js';\nexport const p = readPolicyFile;\n");
    put('src/policy/edit.ts', 'export const readPolicyFile = 1;\n');
    put('src/app/reads.ts', "import { readPolicyFile } from '../policy/edit.js';\nexport const p = readPolicyFile;\n");
    put('src/state/atomic.ts', "import { writeFileSync } from 'node:fs';\nexport const writeAtomic = writeFileSync;\n");
    put('src/state/own.ts', "import { writeFileSync } from 'node:fs';\nexport const w = (stateDir: string) => writeFileSync(stateDir + '/x', '');\n");
    put('src/intent/writes.ts', "import { readFileSync, writeFileSync as w } from 'node:fs';\nexport const x = (repo: { stateDir: string }) => w(repo.stateDir + '/intents/x.json', String(readFileSync));\n");
    put('src/audit/cache.ts', "import { writeAtomic } from '../state/atomic.js';\nexport const c = writeAtomic;\n");
    put('src/audit/reader.ts', "import { readFileSync } from 'node:fs';\nexport const r = (repo: { stateDir: string }) => readFileSync(repo.stateDir + '/cutover.json');\n");
    const v = (await load()).violations(root);
    expect(v).to.include('src/intent/writes.ts names stateDir and imports writeFileSync: only src/state/ writes under .git/csae');
    expect(v).to.include('src/audit/cache.ts imports src/state/atomic.ts: write a file under .git/csae through a module of src/state/');
    expect(v.filter((l) => l.startsWith('src/state/') || l.startsWith('src/audit/reader.ts')), 'src/state/ writes; a reader is not a writer').to.deep.equal([]);
    expect(v).to.include('up a floor: src/core/pure.ts (core) imports src/app/use.ts (app)');
    expect(v).to.include('file cycle: src/audit/a.ts -> src/audit/b.ts');
    expect(v.filter((l) => l.includes('types.ts')), 'type-only imports are erased: no run-time cycle').to.deep.equal([]);
    expect(v.some((l) => l.startsWith('room cycle: ') && l.includes('mirror') && l.includes('validate')), v.join('\n')).to.equal(true);
    expect(v).to.include('src/intent/spawns.ts imports child_process: only src/git/ spawns git (src/sign/ssh.ts runs ssh-keygen)');
    expect(v).to.include('src/intent/spawns.ts spawns git: name the operation in src/git/ instead');
    expect(v.filter((l) => l.startsWith('src/git/')), 'the port itself may spawn git').to.deep.equal([]);
    expect(v).to.include('src/bundle/raw.ts imports the Git adapter: use the GitPort interface (src/git/port.ts)');
    expect(v).to.include('src/bundle/raw.ts builds a git command line: name the operation in src/git/port.ts instead');
    expect(v).to.include('src/audit/reads.ts reads the working policy itself: take a Policy parameter (src/app/policyfile.ts resolves it once per command)');
    expect(v.filter((l) => l.startsWith('src/app/') || l.startsWith('src/policy/')), 'the app layer resolves the policy').to.deep.equal([]);
  });
});
