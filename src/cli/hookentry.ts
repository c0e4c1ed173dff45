// Entry of the single-file fast bundle (dist/hook.mjs, built by scripts/build-hook.mjs): what git runs on
// every push (`csae hook NAME`) and the auditor's `csae audit who`, in one module, because module
// loading is most of their start-up.
export { execute } from './run.js';
export { hookHandler } from './commands/hook.js';
export { whoHandler } from './commands/who.js';
