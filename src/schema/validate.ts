// JSON Schema validation of every format on read and on write. ajv is loaded lazily, and each schema is
// compiled the first time it is needed, so commands that validate nothing pay nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PKG_ROOT } from '../paths.js';
import { createRequire } from 'node:module';
import { CsaeError, type ErrorCode } from '../core/errors.js';

export type SchemaName = 'dsse-envelope' | 'verdict' | 'bundle' | 'policy' | 'draft';

type ValidateFn = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };

const SCHEMA_DIR = join(PKG_ROOT, 'schemas');
let ajv: { compile(s: object): ValidateFn; addSchema(s: object): unknown } | null = null;
const compiled = new Map<SchemaName, ValidateFn>();

function load(name: string): object {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.v1.json`), 'utf8')) as object;
}

// Standalone validators compiled at build time (scripts/build-schemas.mjs); ajv itself is the fallback.
let prebuilt: Record<string, ValidateFn> | null | undefined;
const PREBUILT = join(PKG_ROOT, 'dist', 'schemas', 'validators.cjs');
function loadPrebuilt(): Record<string, ValidateFn> | null {
  if (prebuilt === undefined) {
    try {
      prebuilt = createRequire(import.meta.url)(PREBUILT) as Record<string, ValidateFn>;
    } catch {
      prebuilt = null; // not built (a checkout without `npm run build`): compile with ajv
    }
  }
  return prebuilt;
}

function validator(name: SchemaName): ValidateFn {
  let fn = compiled.get(name);
  if (fn) return fn;
  const pre = loadPrebuilt()?.[name.replace(/-/g, '_')];
  if (pre) {
    compiled.set(name, pre);
    return pre;
  }
  if (!ajv) {
    const require = createRequire(import.meta.url);
    const Ajv = require('ajv') as { default: new (o: object) => typeof ajv };
    ajv = new Ajv.default({ allErrors: false, strict: false })!;
    ajv.addSchema(load('defs'));
  }
  fn = ajv.compile(load(name));
  compiled.set(name, fn);
  return fn;
}

/** Throw `code` naming the first problem when `data` does not match schema `name`. */
export function assertSchema(name: SchemaName, data: unknown, where: string, code: ErrorCode = 'schema-invalid'): void {
  const fn = validator(name);
  if (!fn(data)) {
    const e = fn.errors?.[0];
    throw new CsaeError(code, `${where}: does not match the ${name} v1 schema: ${e ? `${e.instancePath || '(top)'} ${e.message}` : 'invalid'}`);
  }
}

export function checkSchema(name: SchemaName, data: unknown): string | null {
  const fn = validator(name);
  if (fn(data)) return null;
  const e = fn.errors?.[0];
  return e ? `${e.instancePath || '(top)'} ${e.message}` : 'invalid';
}
