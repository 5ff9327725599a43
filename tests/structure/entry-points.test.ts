import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const ENTRY_POINTS = ['cli', 'web'];
const FORBIDDEN_FOLDERS = ['store', 'render'];

/**
 * Entry-point files that may import from src/render, each with its reason. Nothing may
 * import from src/store or read `ctx.store`.
 */
const RENDER_EXCEPTIONS: Record<string, string> = {
  'web/web-views.ts':
    "the web pages' view engine: the same Handlebars helpers, template files and locale tables as the email, so a page and a mail say the same words",
  'web/desk/desk-views.ts': "the desk's views report template errors the way every other template does",
  'web/pick-locale.ts': "a request's locale falls back along the locale tables' own chain",
  'web/public/image-routes.ts': 'checks the signed image token the renderer writes: one token format, in one file',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The folders under src/ that a file's relative imports (static, dynamic and type-only) reach. */
function importedFolders(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.[^']+)'/g)].map((match) => match[1]!);
  return specifiers.map(
    (specifier) => path.relative(SRC, path.resolve(path.dirname(file), specifier)).split(path.sep)[0]!,
  );
}

/** Why a file of src/cli or src/web breaks the rule; empty when it keeps it. */
function entryPointViolations(file: string, text: string): string[] {
  const name = path.relative(SRC, file).split(path.sep).join('/');
  const found: string[] = [];
  if (/\bctx\.store\b/.test(text)) found.push(`${name}: reads ctx.store (call an app operation instead)`);
  for (const folder of new Set(importedFolders(file, text))) {
    if (!FORBIDDEN_FOLDERS.includes(folder)) continue;
    if (folder === 'render' && RENDER_EXCEPTIONS[name]) continue;
    found.push(`${name}: imports from src/${folder} (go through src/app)`);
  }
  return found;
}

describe('entry points call the app only', () => {
  const files = ENTRY_POINTS.flatMap((folder) => sourceFiles(path.join(SRC, folder)));

  it('no file under src/cli or src/web reads ctx.store or imports from src/store or src/render', () => {
    expect(files.length).toBeGreaterThan(50);
    const violations = files.flatMap((file) => entryPointViolations(file, readFileSync(file, 'utf8')));
    expect(violations).toEqual([]);
  });

  it('each listed exception still imports from src/render (a stale exception is removed)', () => {
    for (const name of Object.keys(RENDER_EXCEPTIONS)) {
      const file = path.join(SRC, name);
      expect(importedFolders(file, readFileSync(file, 'utf8')), name).toContain('render');
    }
  });

  it('catches a store read, a store import and a render import', () => {
    const file = path.join(SRC, 'cli', 'commands', 'example.ts');
    expect(entryPointViolations(file, 'const e = await ctx.store.editions.getEdition(id);')).toHaveLength(1);
    expect(entryPointViolations(file, "import type { Store } from '../../store/store.ts';")).toEqual([
      'cli/commands/example.ts: imports from src/store (go through src/app)',
    ]);
    expect(entryPointViolations(file, "const m = await import('../../render/create-renderer.ts');")).toHaveLength(1);
    expect(entryPointViolations(file, "import { appOperations } from '../../app/app-operations.ts';")).toEqual([]);
  });
});
