import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { TidingsError } from '../../core/errors.ts';
import { templateError } from '../../render/compile-templates.ts';

/**
 * The desk's views: `templates/web/desk/<view>.hbs` inside `templates/web/desk/layout.hbs`,
 * compiled once at start (a broken view stops `serve`); `templates.dir` overrides them
 * file by file like every other template. Every value is HTML-escaped.
 */
export interface DeskViews {
  render(view: string, context: Record<string, unknown>): string;
}

export function loadDeskViews(templatesDir: string, overrideDir?: string): DeskViews {
  const dirs = [templatesDir, ...(overrideDir ? [overrideDir] : [])].map((dir) =>
    path.join(path.resolve(dir), 'web', 'desk'),
  );
  const files = new Map<string, string>();
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir))
      if (entry.endsWith('.hbs')) files.set(entry.slice(0, -4), path.join(dir, entry));
  }
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('kb', (bytes: unknown) => (Number(bytes) / 1024).toFixed(1));
  // A DeskTime (desk-time.ts) as `<time>`: the editor's reading, the exact instant in `datetime`.
  hb.registerHelper('when', (value: unknown) => {
    const time = value as { iso?: unknown; text?: unknown } | null;
    if (!time || typeof time.iso !== 'string' || typeof time.text !== 'string') return '';
    return new hb.SafeString(
      `<time datetime="${hb.escapeExpression(time.iso)}">${hb.escapeExpression(time.text)}</time>`,
    );
  });
  const views = new Map<string, Handlebars.TemplateDelegate>();
  for (const [name, file] of files) {
    const source = fs.readFileSync(file, 'utf8');
    try {
      hb.precompile(source);
      views.set(name, hb.compile(source, { strict: false }));
    } catch (error) {
      throw templateError({ path: file, source }, error);
    }
  }
  const layout = views.get('layout');
  if (!layout)
    throw new TidingsError('TEMPLATE_INVALID', 'missing template web/desk/layout.hbs', { where: dirs.join(' or ') });
  return {
    render(view, context) {
      const template = views.get(view);
      if (!template || view === 'layout')
        throw new TidingsError('TEMPLATE_INVALID', `missing template web/desk/${view}.hbs`);
      return layout({ ...context, body: new hb.SafeString(template(context)) });
    },
  };
}
