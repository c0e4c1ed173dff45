// Entry of the single-file hook bundle (dist/hook.mjs, built by scripts/build-hook.mjs): everything
// `csae hook NAME` needs, in one module, because module loading is most of a pre-push hook's start-up.
export { execute } from './run.js';
export { hookHandler } from './commands/hook.js';
