import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.ts';
import { expandCadences } from './cadences.ts';
import { configSchema, type TidingsConfig } from './schema.ts';

export interface LoadedConfig {
  config: TidingsConfig;
  /** The config file's folder: relative paths in the file are resolved from here. */
  baseDir: string;
  file: string;
  /** False when no file was read and the defaults stand in. */
  exists: boolean;
}

/** Alias uses allowed when expanding a YAML document (the yaml package's default). */
export const MAX_ALIAS_COUNT = 100;

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** A scalar that was exactly one `${VAR}`: numeric and boolean keys may take its text. */
export interface WholeVariable {
  path: (string | number)[];
  name: string;
}

const WHOLE_VARIABLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of the parsed document.
 * Interpolating after parsing means a value can never inject YAML structure. Scalars that
 * are one variable and nothing else are listed in `wholeVariables` (keyed by their path).
 */
export function interpolateEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  at: string,
  missing: string[],
  wholeVariables?: Map<string, WholeVariable>,
  pathParts: (string | number)[] = [],
): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_VARIABLE.exec(value);
    if (whole && wholeVariables) wholeVariables.set(at || '(root)', { path: pathParts, name: whole[1]! });
    return value.replace(VARIABLE, (_all, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      missing.push(`${at || '(root)'}: environment variable ${name} is not set`);
      return '';
    });
  }
  if (Array.isArray(value))
    return value.map((item, i) => interpolateEnv(item, env, `${at}[${i}]`, missing, wholeVariables, [...pathParts, i]));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = interpolateEnv(item, env, at ? `${at}.${key}` : key, missing, wholeVariables, [...pathParts, key]);
    }
    return out;
  }
  return value;
}

/** The text of a variable read as the number or boolean the schema wants, or null when it is not one. */
function coerceVariable(text: string, expected: 'number' | 'boolean'): number | boolean | null {
  const trimmed = text.trim();
  if (expected === 'number') return /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(trimmed) ? Number(trimmed) : null;
  if (/^(true|yes|on|1)$/i.test(trimmed)) return true;
  if (/^(false|no|off|0)$/i.test(trimmed)) return false;
  return null;
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
}

/**
 * Where the schema wants a number or a boolean and the YAML gave exactly `${VAR}`, reads
 * the variable's text as one (environment variables are always text). Returns the
 * problems of variables that hold no such value; changes `document` in place.
 */
function coerceWholeVariables(
  document: unknown,
  issues: readonly z.core.$ZodIssue[],
  wholeVariables: ReadonlyMap<string, WholeVariable>,
): { changed: boolean; problems: string[] } {
  let changed = false;
  const problems: string[] = [];
  for (const issue of issues) {
    if (issue.code !== 'invalid_type' || (issue.expected !== 'number' && issue.expected !== 'boolean')) continue;
    const key = formatIssuePath(issue.path);
    const variable = wholeVariables.get(key);
    if (!variable || typeof issue.input !== 'string') continue;
    const coerced = coerceVariable(issue.input, issue.expected as 'number' | 'boolean');
    if (coerced === null) {
      problems.push(
        `${key}: environment variable ${variable.name} is ${JSON.stringify(issue.input)}, not a ${issue.expected}`,
      );
      continue;
    }
    setAt(document, variable.path, coerced);
    changed = true;
  }
  return { changed, problems };
}

export function formatIssuePath(issuePath: readonly PropertyKey[]): string {
  let out = '';
  for (const part of issuePath) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  // A bad record key (a category slug): zod's own text is "Invalid key in record".
  if (issue.code === 'invalid_key' && issue.issues[0]) return `bad key: ${issue.issues[0].message}`;
  // A discriminated union (sources[].type, transport.type) with an unknown tag.
  if (issue.code === 'invalid_union' && /discriminator/i.test(issue.message)) {
    const expected = /Expected (.+)$/.exec(issue.message)?.[1]?.replace(/'/g, '"').replace(/ \| /g, ', ');
    return expected ? `must be one of ${expected}` : issue.message;
  }
  return issue.message;
}

export interface ParseOptions {
  /**
   * False for commands that send nothing (`status`, `edition show`, `articles`…): an
   * unset variable under `transport` (`url: ${SMTP_URL}`) is then no error. The transport
   * becomes `unavailable` and fails, naming the variable, only if something opens it.
   * Default true: a command that sends learns of it before it does any work.
   */
  sendsMail?: boolean;
}

const isTransportPath = (problem: string) => problem.startsWith('transport.') || problem.startsWith('transport:');

/** Validates an already-parsed document; throws ConfigError listing every problem. */
export function parseConfig(
  raw: unknown,
  env: Record<string, string | undefined>,
  file = 'config',
  options: ParseOptions = {},
): TidingsConfig {
  let missing: string[] = [];
  const wholeVariables = new Map<string, WholeVariable>();
  const interpolated = interpolateEnv(raw ?? {}, env, '', missing, wholeVariables) as Record<string, unknown>;
  const deferred = options.sendsMail === false ? missing.filter(isTransportPath) : [];
  if (deferred.length > 0) {
    missing = missing.filter((problem) => !isTransportPath(problem));
    // Validated as the default transport; replaced by the unavailable one below.
    delete interpolated.transport;
  }
  let result = configSchema.safeParse(interpolated, { reportInput: true });
  const problems = [...missing];
  if (!result.success) {
    const coercion = coerceWholeVariables(interpolated, result.error.issues, wholeVariables);
    problems.push(...coercion.problems);
    if (coercion.changed) result = configSchema.safeParse(interpolated, { reportInput: true });
  }
  // A variable that holds no number was reported with its name; zod's "expected number" adds nothing.
  const coercedPaths = new Set(
    problems.slice(missing.length).map((problem) => problem.slice(0, problem.indexOf(': '))),
  );
  // A field whose variable is unset has said what is wrong; its emptiness is no news.
  const unsetPaths = new Set(missing.map((problem) => problem.slice(0, problem.indexOf(': '))));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const prefix = formatIssuePath(issue.path);
      const variable = wholeVariables.get(prefix);
      const from = variable ? ` (from environment variable ${variable.name})` : '';
      if (!unsetPaths.has(prefix) && !coercedPaths.has(prefix))
        problems.push(`${prefix}: ${describeIssue(issue)}${from}`);
    }
  }
  problems.push(...checkSecretReferences(raw));
  if (problems.length > 0) throw new ConfigError(file, [...new Set(problems)]);
  const config: TidingsConfig = result.data!;
  if (deferred.length > 0) config.transport = { type: 'unavailable', file, problems: deferred };
  return checkReferences(config, file);
}

const ENV_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * Keys that may only name an environment variable, never hold the secret: a key written
 * in the file ends up in backups and repositories. A `${VAR:-fallback}` is refused too,
 * since its fallback is a key written in the file.
 */
function checkSecretReferences(raw: unknown): string[] {
  const apiKey = (raw as { summaries?: { llm?: { apiKey?: unknown } } } | null)?.summaries?.llm?.apiKey;
  if (apiKey === undefined || apiKey === null) return [];
  if (typeof apiKey === 'string' && ENV_REFERENCE.test(apiKey.trim())) return [];
  return [
    'summaries.llm.apiKey: must be an environment variable reference such as ${LLM_API_KEY}, without a fallback (a key written in the file is refused)',
  ];
}

/** Cross-field rules zod cannot see field by field. */
function checkReferences(config: TidingsConfig, file: string): TidingsConfig {
  const problems: string[] = [];
  const names = new Set<string>();
  config.sources.forEach((source, i) => {
    if (names.has(source.name)) problems.push(`sources[${i}].name: "${source.name}" is used by another source`);
    names.add(source.name);
  });
  const ids = new Set<string>();
  config.newsletters.forEach((newsletter, i) => {
    if (ids.has(newsletter.id)) problems.push(`newsletters[${i}].id: "${newsletter.id}" is used by another newsletter`);
    ids.add(newsletter.id);
    newsletter.categories.forEach((slug, j) => {
      if (!config.categories[slug])
        problems.push(`newsletters[${i}].categories[${j}]: "${slug}" is not a configured category`);
    });
    if (newsletter.otherSection && !newsletter.categories.includes(newsletter.otherSection))
      problems.push(
        `newsletters[${i}].otherSection: "${newsletter.otherSection}" must be one of the newsletter's categories (${newsletter.categories.join(', ')})`,
      );
  });
  if (config.bounces.mailbox && !config.transport.returnPath) {
    problems.push(
      'bounces.mailbox (or maildir): needs transport.returnPath (bounces are tied to their delivery by its VERP address)',
    );
  }
  const streams = expandCadences(config.newsletters);
  problems.push(...streams.problems);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return { ...config, newsletters: streams.newsletters };
}

export function loadConfig(
  file: string,
  env: Record<string, string | undefined>,
  options: ParseOptions = {},
): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError(file, [`(file): ${reason}`]);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
        const [position] = e.linePos ?? [];
        const reason = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return `line ${position?.line ?? '?'}, column ${position?.col ?? '?'}: ${reason}`;
      }),
    );
  }
  let raw: unknown;
  try {
    // Aliases are expanded here: yaml counts them and stops an alias bomb (a few lines that
    // expand to billions of nodes) before it takes the memory.
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new ConfigError(file, [
      `(file): YAML aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} alias uses); refused as a possible alias bomb (${(error as Error).message})`,
    ]);
  }
  const config = parseConfig(raw, env, file, options);
  return { config, baseDir: path.dirname(path.resolve(file)), file, exists: true };
}
