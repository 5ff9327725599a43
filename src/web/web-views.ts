import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { TidingsError } from '../core/errors.ts';
import { registerHelpers, type RenderData } from '../render/handlebars-helpers.ts';
import { createTranslator, resolveIntlLocale, type LocaleTables, type Translator } from '../render/locale-strings.ts';
import { loadTemplateFiles } from '../render/template-files.ts';
import { templateError } from '../render/compile-templates.ts';

/**
 * The web pages' Handlebars views: `templates/web/<view>.hbs`, partials in
 * `templates/web/partials/`, one `layout.hbs` around every page and one stylesheet
 * `style.css`. Like the email templates, `templates.dir` overrides them file by file and
 * the locale files key by key. Compiled once, at start, so a broken view stops `serve`.
 */
export interface PageRender {
  /** The view's file name without `.hbs`. */
  view: string;
  /** Values the view reads; the layout also reads `title`. */
  context: Record<string, unknown>;
  locale: string;
  timeZone?: string;
}

export interface WebViews {
  render(page: PageRender): string;
  /** The stylesheet, and a short content hash to bust caches. */
  readonly css: { body: string; hash: string };
  readonly locales: LocaleTables;
  translator(locale: string): Translator;
}

const WEB = 'web';

function listFiles(dirs: string[], sub: string, suffix: string): Map<string, string> {
  // Later folders win: [templatesDir, overrideDir].
  const found = new Map<string, string>();
  for (const dir of dirs) {
    const folder = path.join(dir, sub);
    if (!fs.existsSync(folder)) continue;
    for (const entry of fs.readdirSync(folder)) {
      if (entry.endsWith(suffix)) found.set(entry.slice(0, -suffix.length), path.join(folder, entry));
    }
  }
  return found;
}

function compile(hb: typeof Handlebars, file: string): Handlebars.TemplateDelegate {
  const source = fs.readFileSync(file, 'utf8');
  try {
    hb.precompile(source, { strict: false });
    return hb.compile(source, { strict: false, noEscape: false });
  } catch (error) {
    throw templateError({ path: file, source }, error);
  }
}

export function loadWebViews(templatesDir: string, overrideDir?: string): WebViews {
  const dirs = [path.resolve(templatesDir), ...(overrideDir ? [path.resolve(overrideDir)] : [])];
  const { locales } = loadTemplateFiles(templatesDir, overrideDir);
  const hb = Handlebars.create();
  registerHelpers(hb, 'html');
  /** {{languageName "de"}} → "Deutsch": each language named in itself, for the locale select. */
  hb.registerHelper('languageName', (code: unknown) => nameLanguage(String(code)));
  for (const [name, file] of listFiles(dirs, path.join(WEB, 'partials'), '.hbs')) {
    try {
      hb.registerPartial(name, fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw templateError({ path: file, source: '' }, error);
    }
  }
  const files = listFiles(dirs, WEB, '.hbs');
  const views = new Map<string, { file: string; template: Handlebars.TemplateDelegate }>();
  for (const [name, file] of files) views.set(name, { file, template: compile(hb, file) });
  const layout = views.get('layout');
  if (!layout)
    throw new TidingsError('TEMPLATE_INVALID', 'missing template web/layout.hbs', { where: dirs.join(' or ') });
  const cssFile = listFiles(dirs, WEB, '.css').get('style');
  if (!cssFile)
    throw new TidingsError('TEMPLATE_INVALID', 'missing stylesheet web/style.css', { where: dirs.join(' or ') });
  const cssBody = fs.readFileSync(cssFile, 'utf8');
  const css = { body: cssBody, hash: createHash('sha256').update(cssBody).digest('hex').slice(0, 12) };

  const translators = new Map<string, Translator>();
  const translator = (locale: string): Translator => {
    let found = translators.get(locale);
    if (!found) {
      found = createTranslator(locales, locale);
      translators.set(locale, found);
    }
    return found;
  };

  return {
    css,
    locales,
    translator,
    render({ view, context, locale, timeZone }) {
      const chosen = views.get(view);
      if (!chosen || view === 'layout')
        throw new TidingsError('TEMPLATE_INVALID', `missing template web/${view}.hbs`, { where: dirs.join(' or ') });
      const t = translator(locale);
      const data: RenderData = { translator: t, locale: resolveIntlLocale(locale), timeZone: timeZone ?? 'UTC' };
      const page = {
        ...context,
        lang: data.locale,
        dir: t.translate('dir') === 'rtl' ? 'rtl' : 'ltr',
        cssHash: css.hash,
      };
      try {
        const body = chosen.template(page, { data });
        return layout.template({ ...page, body: new hb.SafeString(body) }, { data });
      } catch (error) {
        throw templateError({ path: chosen.file, source: '' }, error, 'template failed to render');
      }
    },
  };
}

function nameLanguage(code: string): string {
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(code) + name.slice(1) : code;
  } catch {
    return code;
  }
}
