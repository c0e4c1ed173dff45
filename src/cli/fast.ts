// Entry of the single-file fast bundle (dist/fast.mjs, built by scripts/build-bundles.mjs): what git runs on
// every push (`csae hook NAME`) and the auditor's `csae audit who`, in one module, because module
// loading is most of their start-up.
export { execute } from './run.js';
export { hookHandler } from './commands/hook.js';
export { whoHandler } from './commands/audit/who.js';
