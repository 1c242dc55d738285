import { readFileSync } from 'node:fs';
import { z } from 'zod/v3';
import { AppError } from './errors.js';
import { LOG_LEVELS } from './log-levels.js';

/**
 * Vigil's configuration: defaults < config file < environment (VIGIL_*) < command-line flags.
 * Engines validate their own section (`image`, `endpoint`, `ids`) with `parseSection`.
 */
export const configSchema = z
  .object({
    logLevel: z.enum(LOG_LEVELS).default('info'),
    /** Where Vigil keeps its databases; default: $XDG_DATA_HOME/vigil. */
    dataDir: z.string().min(1).optional(),
    storage: z
      .object({
        driver: z.enum(['sqlite', 'postgres']).default('sqlite'),
        /** SQLite file path or ':memory:'. */
        path: z.string().min(1).optional(),
        /** PostgreSQL connection string (postgres://user:pass@host:port/db). */
        url: z.string().min(1).optional(),
      })
      .strict()
      .default({ driver: 'sqlite' }),
    image: z.record(z.string(), z.unknown()).default({}),
    endpoint: z.record(z.string(), z.unknown()).default({}),
    ids: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type VigilConfig = z.infer<typeof configSchema>;

type Plain = Record<string, unknown>;

/** Where a configuration value came from, for error messages. */
type Origins = Map<string, string>;

export interface ConfigSources {
  /** Path of a JSON config file (from --config or VIGIL_CONFIG). */
  readonly file?: string;
  /** Environment to read VIGIL_* variables from; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Values from command-line flags, as a nested object (e.g. { logLevel: 'debug' }). */
  readonly flags?: Plain;
}

/**
 * Loads and validates configuration. Errors name the bad key, where it came from and why.
 *
 * Environment variables: `VIGIL_LOG_LEVEL`, `VIGIL_DATA_DIR`, and any nested key with `__` between
 * levels, e.g. `VIGIL_STORAGE__DRIVER=postgres`, `VIGIL_IDS__LIMITS__MAX_FLOWS=10000`
 * (snake_case parts become camelCase keys). Values that parse as JSON are taken as JSON.
 *
 * @example
 * const config = loadConfig({ file: opts.config, flags: { logLevel: opts.logLevel } });
 */
export function loadConfig(sources: ConfigSources = {}): VigilConfig {
  const env = sources.env ?? process.env;
  const origins: Origins = new Map();
  const merged: Plain = {};
  const file = sources.file ?? env.VIGIL_CONFIG;
  if (file !== undefined && file !== '') mergeInto(merged, readConfigFile(file), origins, () => file, []);
  const fromEnv = configFromEnv(env);
  mergeInto(merged, fromEnv.values, origins, (key) => fromEnv.names.get(key) ?? 'environment', []);
  if (sources.flags !== undefined) mergeInto(merged, dropUndefined(sources.flags), origins, () => 'command line', []);
  return parseWithOrigins(configSchema, merged, origins);
}

/**
 * Validates one engine's section of the configuration with its own schema.
 *
 * @example
 * const idsConfig = parseSection(idsConfigSchema, config.ids, 'ids');
 */
export function parseSection<S extends z.ZodType>(schema: S, value: unknown, section: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw configError(result.error, new Map(), [section]);
}

function readConfigFile(file: string): Plain {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new AppError('CONFIG_NOT_FOUND', `config file ${file} cannot be read: ${(cause as Error).message}`, {
      cause,
      details: { file },
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const where = jsonErrorPosition(text, (cause as Error).message);
    throw new AppError('CONFIG_PARSE', `config file ${file}${where}: ${(cause as Error).message}`, { cause, details: { file } });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('CONFIG_INVALID', `config file ${file}: the top level must be a JSON object`, { details: { file } });
  }
  return value as Plain;
}

function jsonErrorPosition(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `:${line}:${column}`;
}

function camel(part: string): string {
  return part.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * VIGIL_* variables that are not configuration: the config file path, and the variables the tests and
 * benchmarks read (VIGIL_TEST_*, VIGIL_BENCH_*, VIGIL_SHARED, VIGIL_OSQUERYI, VIGIL_TRIVY). Without this a
 * developer who sets VIGIL_SHARED for the tests would find every `vigil` command refusing "shared: unknown key".
 */
const TOOLING_VARIABLES = new Set(['VIGIL_CONFIG', 'VIGIL_SHARED', 'VIGIL_OSQUERYI', 'VIGIL_TRIVY']);
function isToolingVariable(name: string): boolean {
  return TOOLING_VARIABLES.has(name) || name.startsWith('VIGIL_TEST_') || name.startsWith('VIGIL_BENCH_');
}

function configFromEnv(env: Readonly<Record<string, string | undefined>>): { values: Plain; names: Map<string, string> } {
  const values: Plain = {};
  const names = new Map<string, string>();
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('VIGIL_') || raw === undefined || isToolingVariable(name)) continue;
    const path = name.slice('VIGIL_'.length).split('__').map(camel);
    if (path.some((p) => p === '')) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw; // not JSON: taken as a plain string
    }
    let node = values;
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Plain;
    }
    node[path[path.length - 1]!] = value;
    names.set(path.join('.'), `environment variable ${name}`);
  }
  return { values, names };
}

function dropUndefined(o: Plain): Plain {
  const out: Plain = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) ? dropUndefined(v as Plain) : v;
  }
  return out;
}

/** Deep-merges `source` into `target`, recording for each leaf key where its value came from. */
function mergeInto(target: Plain, source: Plain, origins: Origins, label: (key: string) => string, path: string[]): void {
  for (const [key, value] of Object.entries(source)) {
    const here = [...path, key];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const existing = target[key];
      const child: Plain = existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? (existing as Plain) : {};
      target[key] = child;
      mergeInto(child, value as Plain, origins, label, here);
    } else {
      target[key] = value;
      origins.set(here.join('.'), label(here.join('.')));
    }
  }
}

function parseWithOrigins<S extends z.ZodType>(schema: S, value: unknown, origins: Origins): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw configError(result.error, origins, []);
}

function configError(error: z.ZodError, origins: Origins, prefix: string[]): AppError {
  const problems = error.issues.map((issue) => {
    const keys =
      issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys.map((k) => [...issue.path.map(String), k]) : [issue.path.map(String)];
    return keys
      .map((k) => {
        const key = [...prefix, ...k].join('.') || '(top level)';
        const origin = originOf(origins, [...prefix, ...k]);
        const why = issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message;
        return `${key}: ${why}${origin ? ` (from ${origin})` : ''}`;
      })
      .join('; ');
  });
  return new AppError('CONFIG_INVALID', `invalid configuration: ${problems.join('; ')}`, {
    details: { issues: error.issues.map((i) => ({ path: [...prefix, ...i.path.map(String)].join('.'), message: i.message })) },
  });
}

function originOf(origins: Origins, path: string[]): string | undefined {
  for (let n = path.length; n > 0; n--) {
    const o = origins.get(path.slice(0, n).join('.'));
    if (o !== undefined) return o;
  }
  // a parent object whose child is bad
  const prefix = path.join('.') + '.';
  for (const [k, o] of origins) if (k.startsWith(prefix)) return o;
  return undefined;
}
