import { basename, extname } from 'node:path';
import type { ArticleDraft } from '../../core/article.ts';
import { SourceError } from '../../core/errors.ts';
import { collapseWhitespace } from '../html-to-text.ts';
import { normalizeLanguageTag } from '../page/page-metadata.ts';
import { parseDate } from '../../core/parse-date.ts';
import { toHttpUrl } from '../../core/http-url.ts';
import { firstPresent, toAuthor, toImageRef, toLabels, toText } from './draft-fields.ts';
import { splitFrontMatter } from './front-matter.ts';
import { markdownToText } from './markdown-to-text.ts';
import { decodeWindows1252References } from '../strip-control-characters.ts';

/**
 * A Markdown article with optional YAML front matter (Jekyll, Hugo, Eleventy style).
 * The title comes from front matter, else the first `# ` heading (which then leaves
 * the body), else the file name; a `2024-05-01-` file-name prefix gives a date.
 */
export function parseMarkdownArticle(text: string, options: { fileName: string }): ArticleDraft {
  const { fileName } = options;
  const { data, body, keyLines } = splitFrontMatter(text, fileName);
  const { paragraphs, firstImage } = markdownToText(body);

  // Front matter is YAML, not Markdown: its `&#146;` would stay as written, unlike the body's.
  let title = decodeWindows1252References(toText(firstPresent(data, ['title', 'headline', 'name'])));
  const firstHeading = paragraphs.find((paragraph) => paragraph.headingLevel > 0);
  const leadingHeading = paragraphs[0]?.headingLevel === 1 ? paragraphs[0] : undefined;
  if (!title && firstHeading?.headingLevel === 1) {
    title = firstHeading.text;
    paragraphs.splice(paragraphs.indexOf(firstHeading), 1);
  } else if (title && leadingHeading && sameText(leadingHeading.text, title)) {
    paragraphs.shift(); // the body repeats the front-matter title as its heading
  }
  const stem = basename(fileName, extname(fileName));
  const datePrefix = /^(\d{4}-\d{2}-\d{2})[-_]/.exec(stem);
  title ??= collapseWhitespace(stem.replace(/^\d{4}-\d{2}-\d{2}[-_]/, '').replace(/[-_]+/g, ' ')) || stem;

  const dateKey = DATE_KEYS.find((key) => firstPresent(data, [key]) !== undefined);
  const dateWhere = dateKey && keyLines.has(dateKey) ? `${fileName}:${keyLines.get(dateKey)}` : fileName;
  const publishedAt = dateField(dateKey ? data[dateKey] : undefined, dateWhere) ?? parseDate(datePrefix?.[1]);

  return {
    url: toHttpUrl(
      toText(firstPresent(data, ['url', 'link', 'canonical', 'canonical_url', 'canonicalUrl', 'permalink'])),
    ),
    title,
    text: paragraphs.map((paragraph) => paragraph.text).join('\n\n'),
    description: decodeWindows1252References(
      toText(firstPresent(data, ['description', 'summary', 'excerpt', 'subtitle'])),
    ),
    publishedAt,
    labels: toLabels(data.categories, data.category, data.tags, data.tag),
    author: toAuthor(firstPresent(data, ['author', 'authors', 'byline'])),
    imageUrl: toHttpUrl(
      toImageRef(firstPresent(data, ['image', 'imageUrl', 'image_url', 'cover', 'featured_image', 'thumbnail'])) ??
        firstImage,
    ),
    language: normalizeLanguageTag(toText(firstPresent(data, ['language', 'lang', 'locale']))),
    siteName: toText(firstPresent(data, ['site', 'siteName', 'site_name', 'source'])),
  };
}

const DATE_KEYS = ['date', 'published', 'publishedAt', 'published_at', 'pubDate', 'created'];

function dateField(value: unknown, where: string): string | null {
  if (value === undefined) return null;
  const parsed = value instanceof Date ? value.toISOString() : parseDate(toText(value));
  if (!parsed) {
    throw new SourceError('SOURCE_PARSE', `front matter date ${JSON.stringify(String(value))} is not a date`, {
      where,
    });
  }
  return parsed;
}

function sameText(a: string, b: string): boolean {
  return collapseWhitespace(a).toLowerCase() === collapseWhitespace(b).toLowerCase();
}
