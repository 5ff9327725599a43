import type HandlebarsNamespace from 'handlebars';
import { toHttpUrl } from '../core/http-url.ts';
import { escapeHtml } from './safe-url.ts';
import { formatDate, type DateStyle } from './intl-dates.ts';
import { renderIntroLine } from './intro-markdown.ts';
import type { Translator } from './locale-strings.ts';

type Handlebars = typeof HandlebarsNamespace;
export type TemplateMode = 'html' | 'text';

/** Per-render values the helpers read from `options.data` (`@locale`, `@timeZone` in templates). */
export interface RenderData {
  translator: Translator;
  locale: string;
  timeZone: string;
}

interface HelperOptions {
  hash: Record<string, unknown>;
  data: RenderData & Record<string, unknown>;
}

const DATE_STYLES = new Set<DateStyle>(['long', 'medium', 'short', 'weekday', 'time', 'dateTime', 'iso']);

function splitParagraphs(text: unknown): string[][] {
  if (typeof text !== 'string') return [];
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((block) =>
      block
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    )
    .filter((lines) => lines.length > 0);
}

/**
 * Registers the template helpers on an isolated Handlebars instance. In html mode the
 * helpers escape what they return (SafeString); in text mode they return plain strings
 * and the instance is compiled with noEscape. No helper ever passes source text through
 * unescaped into HTML.
 */
export function registerHelpers(hb: Handlebars, mode: TemplateMode): void {
  const html = mode === 'html';
  const escapeText = html ? escapeHtml : (value: string) => value;
  const safe = (value: string) => (html ? new hb.SafeString(value) : value);

  /** {{t "key" name=value}}: a locale string with escaped {name} placeholders filled in. */
  hb.registerHelper('t', (key: unknown, options: HelperOptions) =>
    safe(options.data.translator.translate(String(key), options.hash, escapeText)),
  );

  /** {{httpUrl url}}: the URL when it is http(s), else '' (so `{{#if (httpUrl url)}}` guards a link). */
  hb.registerHelper('httpUrl', (value: unknown) => toHttpUrl(value) ?? '');

  /** {{formatDate iso "long|medium|short|weekday|time|dateTime|iso"}} in the reader's locale and zone. */
  hb.registerHelper('formatDate', (iso: unknown, style: unknown, options: HelperOptions) => {
    const chosen = (typeof style === 'string' && DATE_STYLES.has(style as DateStyle) ? style : 'medium') as DateStyle;
    return formatDate(typeof iso === 'string' ? iso : null, chosen, options.data.locale, options.data.timeZone);
  });

  /** {{paragraphs text class="…" style="…"}}: blank-line separated paragraphs, single newlines kept. */
  hb.registerHelper('paragraphs', (text: unknown, options: HelperOptions) => {
    const blocks = splitParagraphs(text);
    if (!html) return blocks.map((lines) => lines.join('\n')).join('\n\n');
    const cls = typeof options.hash.class === 'string' ? ` class="${escapeHtml(options.hash.class)}"` : '';
    const style = typeof options.hash.style === 'string' ? ` style="${escapeHtml(options.hash.style)}"` : '';
    return safe(blocks.map((lines) => `<p${cls}${style}>${lines.map(escapeHtml).join('<br>')}</p>`).join(''));
  });

  /** {{markdown text class="…" style="…"}}: like `paragraphs`, with the intro's inline Markdown (see intro-markdown.ts). */
  hb.registerHelper('markdown', (text: unknown, options: HelperOptions) => {
    const blocks = splitParagraphs(text);
    if (!html)
      return blocks
        .map((lines) => lines.map((line) => renderIntroLine(line, 'text', (s) => s)).join('\n'))
        .join('\n\n');
    const cls = typeof options.hash.class === 'string' ? ` class="${escapeHtml(options.hash.class)}"` : '';
    const style = typeof options.hash.style === 'string' ? ` style="${escapeHtml(options.hash.style)}"` : '';
    return safe(
      blocks
        .map(
          (lines) =>
            `<p${cls}${style}>${lines.map((line) => renderIntroLine(line, 'html', escapeHtml)).join('<br>')}</p>`,
        )
        .join(''),
    );
  });

  /** {{lines text}}: one line per line of the input (a postal address), escaped. */
  hb.registerHelper('lines', (text: unknown) => {
    const lines =
      typeof text === 'string'
        ? text
            .split(/\r?\n/)
            .map((line) => line.trim())
            .filter(Boolean)
        : [];
    return safe(lines.map(escapeText).join(html ? '<br>' : '\n'));
  });

  /** {{upper text}}: upper case in the reader's locale (plain-text headings). */
  hb.registerHelper('upper', (text: unknown, options: HelperOptions) =>
    String(text ?? '').toLocaleUpperCase(options.data.locale),
  );

  /** {{#if (eq a b)}}. */
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
}
