// The house rules for imports, checked from the sources (no build needed): `npm run check:imports`.
//   1. no import cycle between files (at run time: `import type` is erased), and none between rooms
//      (src/<room>/, types included);
//   2. imports run down the floors only: cli and the library face -> app -> domain -> git -> core;
//   3. nothing outside src/git/ spawns git (child_process is allowed only in src/git/ and src/sign/ssh.ts,
//      which runs ssh-keygen), imports the Git adapter or builds a git argv: the domain holds a GitPort;
//   4. only src/app/ (and src/policy/ itself) reads the working policy (readPolicyFile): a command
//      resolves it once and passes it down.
//   5. only src/state/ writes under .git/csae (repo.stateDir; src/mirror/store.ts owns mirror.git/): a
//      file elsewhere that names stateDir imports no writing fs function and no state/atomic.js.
// Prints every violation and exits 1 when there is one. test/unit/imports.test.ts runs it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** floor of a file: higher floors may import lower ones, never the reverse */
export function floorOf(file, src) {
  const r = relative(src, file).split(sep).join('/');
  if (r.startsWith('cli/') || r === 'index.ts') return { n: 4, name: r === 'index.ts' ? 'library face' : 'cli' };
  if (r.startsWith('app/')) return { n: 3, name: 'app' };
  if (r.startsWith('core/') || r === 'context.ts' || r === 'paths.ts') return { n: 0, name: 'core' };
  if (r.startsWith('git/')) return { n: 1, name: 'git' };
  return { n: 2, name: 'domain' };
}

export function roomOf(file, src) {
  const r = relative(src, file).split(sep).join('/');
  return r.includes('/') ? r.slice(0, r.indexOf('/')) : r.replace(/\.ts$/, '');
}

function walk(d, out = []) {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (n.endsWith('.ts')) out.push(p);
  }
  return out;
}

const STATE_WRITES = new Set(['writeFileSync', 'appendFileSync', 'renameSync', 'rmSync', 'unlinkSync', 'mkdirSync', 'truncateSync', 'copyFileSync', 'cpSync', 'writeSync', 'openSync', 'createWriteStream', 'writeFile', 'appendFile', 'rename', 'rm', 'unlink', 'mkdir']);

// files that name stateDir and write elsewhere (or own a directory of .git/csae), each with its reason
const STATE_WRITERS_ELSEWHERE = new Map([
  ['src/mirror/store.ts', 'owns mirror.git/, the bare clone of the audit mirror'],
  ['src/policy/edit.ts', 'writes .csae/policy.yaml in the work tree; passes stateDir only to the policy cache'],
]);

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

export function graph(src) {
  const files = walk(src);
  const edges = new Map(); // every import, types included: the floors and rooms
  const runtime = new Map(); // imports that exist at run time (not `import type`): file cycles
  for (const f of files) {
    const text = readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '');
    const deps = new Set();
    const run = new Set();
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[2] ?? m[3];
      const target = resolve(dirname(f), spec.replace(/\.js$/, '.ts'));
      deps.add(target);
      if (!m[1]) run.add(target);
    }
    edges.set(f, [...deps]);
    runtime.set(f, [...run]);
  }
  return { files, edges, runtime };
}

function cycles(nodes, next) {
  // Tarjan's strongly connected components: every component of more than one node is a cycle
  let index = 0;
  const idx = new Map(), low = new Map(), on = new Set(), stack = [], out = [];
  const strong = (v) => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
    for (const w of next(v)) {
      if (!idx.has(w)) { strong(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const c = [];
      let w;
      do { w = stack.pop(); on.delete(w); c.push(w); } while (w !== v);
      if (c.length > 1 || next(v).includes(v)) out.push(c.reverse());
    }
  };
  for (const v of nodes) if (!idx.has(v)) strong(v);
  return out;
}

/** Every violation in the tree at `root` (default: this repository), as one line each. */
export function violations(root = ROOT) {
  const src = join(root, 'src');
  const { files, edges, runtime } = graph(src);
  const rel = (f) => relative(root, f).split(sep).join('/');
  const out = [];
  for (const c of cycles(files, (f) => (runtime.get(f) ?? []).filter((t) => edges.has(t)))) out.push(`file cycle: ${c.map(rel).join(' -> ')}`);
  const roomEdges = new Map();
  for (const [f, deps] of edges) {
    const ff = floorOf(f, src);
    for (const t of deps) {
      if (!edges.has(t)) { out.push(`${rel(f)} imports ${rel(t)}, which does not exist`); continue; }
      const tf = floorOf(t, src);
      if (tf.n > ff.n) out.push(`up a floor: ${rel(f)} (${ff.name}) imports ${rel(t)} (${tf.name})`);
      const a = roomOf(f, src), b = roomOf(t, src);
      if (a !== b && ff.n === 2 && tf.n === 2) {
        if (!roomEdges.has(a)) roomEdges.set(a, new Map());
        roomEdges.get(a).set(b, `${rel(f)} -> ${rel(t)}`);
      }
    }
  }
  const rooms = [...roomEdges.keys()];
  for (const c of cycles(rooms, (r) => [...(roomEdges.get(r)?.keys() ?? [])])) {
    const why = c.map((r, i) => roomEdges.get(r)?.get(c[(i + 1) % c.length])).filter(Boolean);
    out.push(`room cycle: ${c.join(' -> ')} (e.g. ${why.join('; ')})`);
  }
  for (const f of files) {
    const r = rel(f);
    if (r.startsWith('src/git/')) continue;
    const text = readFileSync(f, 'utf8');
    if (/node:child_process|['"]child_process['"]/.test(text) && r !== 'src/sign/ssh.ts') out.push(`${r} imports child_process: only src/git/ spawns git (src/sign/ssh.ts runs ssh-keygen)`);
    if (/\b(?:spawn|spawnSync|execFile|execFileSync|exec|execSync)\(\s*['"]git['"]/.test(text)) out.push(`${r} spawns git: name the operation in src/git/ instead`);
    // the port's adapter class and its raw argv runners stay inside src/git/: the domain holds a GitPort
    if (/import\s+(?:type\s+)?\{[^}]*\bGit\b[^}]*\}\s*from\s*['"][./]+git\/git\.js['"]/.test(text)) out.push(`${r} imports the Git adapter: use the GitPort interface (src/git/port.ts)`);
    if (/\.(?:run|text|lines)\(\s*\[/.test(text)) out.push(`${r} builds a git command line: name the operation in src/git/port.ts instead`);
    // the working policy is resolved once per command in src/app/ and passed down (history reads stay)
    if (!r.startsWith('src/app/') && !r.startsWith('src/policy/') && /\breadPolicyFile\b/.test(text)) out.push(`${r} reads the working policy itself: take a Policy parameter (src/app/policyfile.ts resolves it once per command)`);
    // .git/csae has one owner: src/state/ (files.ts is the catalogue; atomic.ts the one way to write)
    if (!r.startsWith('src/state/')) {
      if (/from\s*['"][./]+state\/atomic\.js['"]/.test(text)) out.push(`${r} imports src/state/atomic.ts: write a file under .git/csae through a module of src/state/`);
      if (!STATE_WRITERS_ELSEWHERE.has(r) && /\bstateDir\b/.test(text)) {
        const fs = [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"](?:node:)?fs['"]/g)].flatMap((m) => m[1].split(',').map((x) => x.trim().split(/\s+/)[0]));
        const writes = fs.filter((n) => STATE_WRITES.has(n));
        if (writes.length) out.push(`${r} names stateDir and imports ${writes.join(', ')}: only src/state/ writes under .git/csae`);
        if (/ensureDir\([^)]*stateDir/.test(text)) out.push(`${r} makes a directory under stateDir: only src/state/ writes under .git/csae`);
      }
    }
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const v = violations();
  for (const l of v) console.error(l);
  if (v.length) {
    console.error(`${v.length} import rule violation(s): see docs/ARCHITECTURE.md`);
    process.exit(1);
  }
  console.error('imports: no cycles, nothing runs up a floor, only src/git/ spawns git, only src/app/ reads the working policy, only src/state/ writes .git/csae');
}
