// The bridge from parsed argv to library calls: builds the Context and Out from process state (the only
// place that reads process.cwd/env/clock), runs the handler, maps errors to exit codes.
import { resolve } from 'node:path';
import type { Context, Progress } from '../context.js';
import { makeOut, reportError, type Out } from './output.js';
import { terminalProgress } from './progress.js';

export interface GlobalArgs {
  C?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
}

export type Handler<A> = (args: A & GlobalArgs, ctx: Context, out: Out) => Promise<number | void>;

export function contextFrom(args: GlobalArgs, out: Out): Context {
  const progress = progressFor(args, !!process.stderr.isTTY, (s) => process.stderr.write(s));
  return { cwd: resolve(process.cwd(), args.C ?? '.'), env: process.env, now: () => new Date(), info: (l) => out.info(l), ...(progress ? { progress } : {}) };
}

/** Progress only for a person at a terminal: stderr is a TTY, and no --quiet, --json or machine --format. */
export function progressFor(args: GlobalArgs & { format?: unknown }, stderrIsTTY: boolean, write: (s: string) => void): Progress | undefined {
  if (!stderrIsTTY || args.quiet || args.json || (typeof args.format === 'string' && args.format !== 'text')) return undefined;
  return terminalProgress(write);
}

export function outFrom(args: GlobalArgs): Out {
  return makeOut({ json: args.json, quiet: args.quiet, noColor: args.color === false }, process.env, !!process.stdout.isTTY);
}

export async function execute<A>(args: A & GlobalArgs, h: Handler<A>): Promise<number> {
  const out = outFrom(args);
  try {
    const code = await h(args, contextFrom(args, out), out);
    return code ?? 0;
  } catch (e) {
    return reportError(out, e);
  }
}

/** Wrap a handler for yargs: run it and set the process exit code (never process.exit mid-flight). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- yargs infers its own argv type; the handler declares the real one
export function action<A>(h: Handler<A>): (args: any) => Promise<void> {
  return async (args: A & GlobalArgs) => {
    process.exitCode = await execute(args, h);
  };
}
