import mjml2html from 'mjml';
import { TidingsError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { NewsletterConfig } from '../config/schema.ts';
import type { RenderedSegment } from './render-types.ts';
import type { SegmentContent } from '../editions/segment-content.ts';
import { loadTemplateFiles, type TemplateFile } from './template-files.ts';
import { compileTemplates, templateError, type CompiledTemplates } from './compile-templates.ts';
import { locateGeneratedLine } from './mjml-error-location.ts';
import { createTranslator, resolveIntlLocale, type LocaleTables } from './locale-strings.ts';
import { buildTemplateContext, settleTopStory, type DigestContext } from './build-template-context.ts';
import { renderHeaderLine } from './header-line.ts';
import {
  countSectionArticles,
  cutArticles,
  DEFAULT_SIZE_BUDGET_BYTES,
  estimateCut,
  measureHtml,
} from './size-budget.ts';
import { SAMPLE_SEGMENT } from './sample-segment.ts';
import type { RenderData } from './handlebars-helpers.ts';
import type { ImageLinker } from './image-links.ts';
import type { ArticleLinker } from './click-links.ts';

export interface RendererOptions {
  /** The default templates folder (templates/ of the project). */
  templatesDir: string;
  /** A folder whose files replace the defaults file by file (config `templates.dir`). */
  overrideDir?: string;
  /** The template name (`newsletters[].template`): `<name>.mjml.hbs` and `<name>.txt.hbs`. Default `digest`. */
  template?: string;
  logger: Logger;
  /** Largest HTML (bytes, with room for token values) before articles are cut. Default 100 KB. */
  sizeBudgetBytes?: number;
  /** What article images become (config `images`, see image-links.ts); default: their own URLs. */
  images?: ImageLinker;
  /** Article links of newsletters with `analytics: aggregate` (click-links.ts); the others link directly. */
  clicks?: ArticleLinker;
}

export interface Renderer {
  readonly sizeBudgetBytes: number;
  /** Renders one segment once: HTML and text with `%%{token}%%` placeholders for `personalize`. */
  renderSegment(content: SegmentContent, newsletter: NewsletterConfig): Promise<RenderedSegment>;
}

interface Prepared {
  templates: CompiledTemplates;
  locales: LocaleTables;
}

/** MJML → HTML with strict validation; a validation error names the template file and line. */
async function mjmlToHtml(mjml: string, locate: (line: number) => string): Promise<string> {
  try {
    const result = await mjml2html(mjml, { validationLevel: 'strict', minify: true, keepComments: false, fonts: {} });
    return result.html;
  } catch (error) {
    const first = (error as { errors?: { line: number; message: string }[] }).errors?.[0];
    const message = first
      ? `MJML validation error: ${first.message}`
      : `MJML compile error: ${(error as Error).message}`;
    throw new TidingsError('TEMPLATE_INVALID', message, { where: locate(first?.line ?? 0), cause: error });
  }
}

type NewsletterStrings = NonNullable<NewsletterConfig['strings']>;

/**
 * The locale tables with a newsletter's own strings on top, key by key. A key that no
 * locale file has is a typo that would otherwise be ignored without a word.
 */
function withNewsletterStrings(
  locales: LocaleTables,
  strings: NewsletterStrings | undefined,
  newsletterId: string,
): LocaleTables {
  if (!strings || Object.keys(strings).length === 0) return locales;
  const known = new Set(Object.values(locales).flatMap((table) => Object.keys(table)));
  const merged: LocaleTables = { ...locales };
  for (const [locale, table] of Object.entries(strings)) {
    for (const key of Object.keys(table)) {
      if (!known.has(key)) {
        throw new TidingsError(
          'CONFIG_INVALID',
          `newsletters[${newsletterId}].strings.${locale}.${key}: not a key of the locale files (known: ${[...known].sort().join(', ')})`,
        );
      }
    }
    const code = locale.toLowerCase();
    merged[code] = { ...merged[code], ...table };
  }
  return merged;
}

function renderData(prepared: Prepared, content: SegmentContent, newsletter?: NewsletterConfig): RenderData {
  const locales = newsletter
    ? withNewsletterStrings(prepared.locales, newsletter.strings, newsletter.id)
    : prepared.locales;
  return {
    translator: createTranslator(locales, content.locale),
    locale: resolveIntlLocale(content.locale),
    timeZone: content.timezone,
  };
}

function runTemplate(
  template: (ctx: object, data: RenderData) => string,
  ctx: DigestContext,
  data: RenderData,
  file: TemplateFile,
): string {
  try {
    return template(ctx, data);
  } catch (error) {
    throw templateError(file, error, 'template failed to render');
  }
}

export async function createRenderer(options: RendererOptions): Promise<Renderer> {
  const files = loadTemplateFiles(options.templatesDir, options.overrideDir, options.template);
  const prepared: Prepared = { templates: compileTemplates(files), locales: files.locales };
  const budget = options.sizeBudgetBytes ?? DEFAULT_SIZE_BUDGET_BYTES;
  const { templates } = prepared;

  const renderOnce = async (
    content: SegmentContent,
    data: RenderData,
    shortened: boolean,
    lines: { subject: string; preheader: string },
    images: ImageLinker | undefined = options.images,
    links?: ArticleLinker,
  ) => {
    const ctx = buildTemplateContext({
      content,
      intlLocale: data.locale,
      translator: data.translator,
      shortened,
      ...lines,
      images,
      links,
    });
    const mjml = runTemplate(templates.html, ctx, data, files.html);
    const html = await mjmlToHtml(mjml, (line) => {
      const found = locateGeneratedLine(line, templates.instrumentedHtml(ctx, data), files.html, files.htmlPartials);
      return found.line ? `${found.file.path}:${found.line}` : `${found.file.path} (generated MJML line ${line})`;
    });
    return { ctx, html };
  };

  // Check the templates once on a sample that uses every part, so a broken one fails now.
  {
    const data = renderData(prepared, SAMPLE_SEGMENT);
    // The sample's images stay direct: the check needs no link secret.
    const { ctx } = await renderOnce(
      settleTopStory(SAMPLE_SEGMENT),
      data,
      true,
      { subject: 'Sample', preheader: 'Sample' },
      (url) => url,
    );
    runTemplate(templates.text, ctx, data, files.text);
  }

  return {
    sizeBudgetBytes: budget,
    async renderSegment(content, newsletter) {
      const data = renderData(prepared, content, newsletter);
      let working = settleTopStory(content);
      const base = buildTemplateContext({
        content: working,
        intlLocale: data.locale,
        translator: data.translator,
        shortened: false,
        images: options.images,
      });
      const lineContext = {
        newsletter: base.newsletter,
        date: base.date,
        dateLong: base.dateLong,
        topStory: base.topStory,
        edition: base.edition,
      };
      const lines = {
        subject: renderHeaderLine(newsletter.subject, lineContext, data, `newsletters[${newsletter.id}].subject`),
        preheader: renderHeaderLine(newsletter.preheader, lineContext, data, `newsletters[${newsletter.id}].preheader`),
      };
      const dropped: string[] = [];
      const links = newsletter.analytics === 'aggregate' ? options.clicks : undefined;
      let rendered = await renderOnce(working, data, false, lines, options.images, links);
      for (;;) {
        const size = measureHtml(rendered.html);
        const cut = estimateCut(size, budget, countSectionArticles(working));
        if (cut === 0) {
          if (size > budget)
            options.logger.warn(
              { edition: content.edition.id, bytes: size, budget },
              'edition HTML is over the size budget and has no more articles to cut',
            );
          break;
        }
        const next = cutArticles(working, cut);
        working = next.content;
        dropped.push(...next.dropped);
        rendered = await renderOnce(working, data, true, lines, options.images, links);
      }
      if (dropped.length > 0) {
        options.logger.warn(
          {
            edition: content.edition.id,
            segmentLocale: content.locale,
            droppedArticleIds: dropped,
            bytes: measureHtml(rendered.html),
            budget,
          },
          `edition HTML over the ${Math.round(budget / 1024)} KB budget: cut ${dropped.length} article(s) from the end of the longest sections; the email links the full web version`,
        );
      }
      return {
        subject: lines.subject,
        preheader: lines.preheader,
        html: rendered.html,
        text: runTemplate(templates.text, rendered.ctx, data, files.text),
        droppedArticleIds: dropped,
        nameFallback: data.translator.translate('name_fallback'),
      };
    },
  };
}
