import fs from 'node:fs';
import path from 'node:path';
import { TidingsError } from '../core/errors.ts';
import type { LocaleTables } from './locale-strings.ts';

/**
 * Reads the template folder and an optional override folder. The override wins file
 * by file: a partial, the main templates or a locale file found there replaces the
 * default one; everything else comes from the defaults. Locale files are merged key by
 * key (override keys win), so an override may change one string only.
 */
export interface TemplateFile {
  /** Absolute path, used in error messages. */
  path: string;
  source: string;
}

export interface TemplateFiles {
  html: TemplateFile;
  text: TemplateFile;
  /** Partial name → file. `partials/header.mjml.hbs` is `header` for the HTML template. */
  htmlPartials: Map<string, TemplateFile>;
  /** `partials/footer.txt.hbs` is `footer` for the plain-text template. */
  textPartials: Map<string, TemplateFile>;
  locales: LocaleTables;
}

export const DEFAULT_TEMPLATE = 'digest';
export const HTML_TEMPLATE = `${DEFAULT_TEMPLATE}.mjml.hbs`;
export const TEXT_TEMPLATE = `${DEFAULT_TEMPLATE}.txt.hbs`;

function pick(relative: string, dirs: string[]): string | null {
  // Later folders win: [templatesDir, overrideDir].
  for (const dir of [...dirs].reverse()) {
    const candidate = path.join(dir, relative);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function read(file: string): TemplateFile {
  return { path: file, source: fs.readFileSync(file, 'utf8') };
}

function listNames(dirs: string[], sub: string, suffix: string): string[] {
  const names = new Set<string>();
  for (const dir of dirs) {
    const folder = path.join(dir, sub);
    if (!fs.existsSync(folder)) continue;
    for (const entry of fs.readdirSync(folder)) if (entry.endsWith(suffix)) names.add(entry);
  }
  return [...names].sort();
}

function readLocale(file: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (cause) {
    const line = /line (\d+)/.exec(String((cause as Error).message))?.[1];
    throw new TidingsError('TEMPLATE_INVALID', `locale file is not valid JSON: ${(cause as Error).message}`, {
      where: line ? `${file}:${line}` : file,
      cause,
    });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TidingsError('TEMPLATE_INVALID', 'a locale file must be a JSON object of key → string', { where: file });
  }
  const table: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') {
      throw new TidingsError('TEMPLATE_INVALID', `locale key "${key}" must be a string`, { where: file });
    }
    table[key] = value;
  }
  return table;
}

/**
 * `template` is the newsletter's template name (`newsletters[].template`): `<name>.mjml.hbs`
 * and `<name>.txt.hbs`; partials and locales are shared by every template.
 */
export function loadTemplateFiles(
  templatesDir: string,
  overrideDir?: string,
  template = DEFAULT_TEMPLATE,
): TemplateFiles {
  const dirs = [path.resolve(templatesDir), ...(overrideDir ? [path.resolve(overrideDir)] : [])];
  for (const dir of dirs) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new TidingsError('TEMPLATE_INVALID', 'template folder not found', { where: dir });
    }
  }
  const required = (relative: string): TemplateFile => {
    const found = pick(relative, dirs);
    if (!found)
      throw new TidingsError('TEMPLATE_INVALID', `missing template ${relative}`, { where: dirs.join(' or ') });
    return read(found);
  };
  const partials = (suffix: string): Map<string, TemplateFile> => {
    const map = new Map<string, TemplateFile>();
    for (const entry of listNames(dirs, 'partials', suffix)) {
      map.set(entry.slice(0, -suffix.length), read(pick(path.join('partials', entry), dirs)!));
    }
    return map;
  };
  const locales: LocaleTables = {};
  for (const dir of dirs) {
    const folder = path.join(dir, 'locales');
    if (!fs.existsSync(folder)) continue;
    for (const entry of fs
      .readdirSync(folder)
      .filter((name) => name.endsWith('.json'))
      .sort()) {
      const code = entry.slice(0, -'.json'.length).toLowerCase();
      locales[code] = { ...locales[code], ...readLocale(path.join(folder, entry)) };
    }
  }
  return {
    html: required(`${template}.mjml.hbs`),
    text: required(`${template}.txt.hbs`),
    htmlPartials: partials('.mjml.hbs'),
    textPartials: partials('.txt.hbs'),
    locales,
  };
}
