import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.ts';
import { configSchema, type TidingsConfig } from './schema.ts';

export interface LoadedConfig {
  config: TidingsConfig;
  /** The config file's folder: relative paths in the file are resolved from here. */
  baseDir: string;
  file: string;
  /** False when no file was read and the defaults stand in. */
  exists: boolean;
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of the parsed document.
 * Interpolating after parsing means a value can never inject YAML structure.
 */
export function interpolateEnv(value: unknown, env: Record<string, string | undefined>, at: string, missing: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (_all, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      missing.push(`${at || '(root)'}: environment variable ${name} is not set`);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolateEnv(item, env, `${at}[${i}]`, missing));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = interpolateEnv(item, env, at ? `${at}.${key}` : key, missing);
    return out;
  }
  return value;
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
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
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

/** Validates an already-parsed document; throws ConfigError listing every problem. */
export function parseConfig(raw: unknown, env: Record<string, string | undefined>, file = 'config'): TidingsConfig {
  const missing: string[] = [];
  const interpolated = interpolateEnv(raw ?? {}, env, '', missing);
  const result = configSchema.safeParse(interpolated);
  const problems = [...missing];
  // A field whose variable is unset has said what is wrong; its emptiness is no news.
  const unsetPaths = new Set(missing.map((problem) => problem.slice(0, problem.indexOf(': '))));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const prefix = formatIssuePath(issue.path);
      if (!unsetPaths.has(prefix)) problems.push(`${prefix}: ${describeIssue(issue)}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(file, [...new Set(problems)]);
  return checkReferences(result.data!, file);
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
      if (!config.categories[slug]) problems.push(`newsletters[${i}].categories[${j}]: "${slug}" is not a configured category`);
    });
  });
  if (problems.length > 0) throw new ConfigError(file, problems);
  return config;
}

export function loadConfig(file: string, env: Record<string, string | undefined>): LoadedConfig {
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
  const config = parseConfig(doc.toJS(), env, file);
  return { config, baseDir: path.dirname(path.resolve(file)), file, exists: true };
}
