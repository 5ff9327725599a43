import { z } from 'zod';
import type { ArticleDraft } from '../../core/article.ts';
import { SourceError } from '../../core/errors.ts';
import { htmlToText } from '../html-to-text.ts';
import { normalizeLanguageTag } from '../page/page-metadata.ts';
import { parseDate } from '../../core/parse-date.ts';
import { toHttpUrl } from '../../core/http-url.ts';
import { toAuthor, toImageRef, toLabels, toText } from './draft-fields.ts';
import { locateJsonError } from './locate-json-error.ts';

/**
 * A JSON file of articles: one object, an array of them, or `{ "articles": [...] }`.
 * Every element is validated; any problem fails the whole file (it never half-loads)
 * with the file, the element index and the field, e.g. `a.json: [2].title: is required`.
 */
const optionalText = z.string().nullish();
const dateValue = z
  .union([z.string(), z.number()])
  .nullish()
  .refine((value) => value === null || value === undefined || value === '' || parseDate(value) !== null, {
    message: 'is not a date',
  });
const named = z.object({ name: z.string() });
const labelsValue = z.union([z.string(), z.array(z.union([z.string(), named]))]).nullish();

const ArticleJson = z.object({
  title: z.string().trim().min(1, 'must not be empty'),
  url: optionalText,
  link: optionalText,
  text: optionalText,
  html: optionalText,
  content: optionalText,
  summary: optionalText,
  description: optionalText,
  publishedAt: dateValue,
  date: dateValue,
  published: dateValue,
  categories: labelsValue,
  category: labelsValue,
  tags: labelsValue,
  author: z.union([z.string(), named, z.array(z.union([z.string(), named]))]).nullish(),
  imageUrl: optionalText,
  image: z.union([z.string(), z.object({ url: z.string() })]).nullish(),
  language: optionalText,
  lang: optionalText,
  siteName: optionalText,
});
type ArticleJson = z.infer<typeof ArticleJson>;

export function parseJsonArticles(text: string, options: { fileName: string }): ArticleDraft[] {
  const { fileName } = options;
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const { line, column } = locateJsonError(text.replace(/^\uFEFF/, ''));
    throw new SourceError('SOURCE_PARSE', `invalid JSON: ${(error as Error).message}`, {
      where: `${fileName}:${line}:${column}`,
      cause: error,
    });
  }
  const wrapped = isRecord(data) && Array.isArray(data.articles) ? data.articles : data;
  const single = !Array.isArray(wrapped);
  if (!single && wrapped.length === 0) return [];
  if (single && !isRecord(wrapped)) {
    throw new SourceError('SOURCE_PARSE', 'expected an article object or an array of them', { where: fileName });
  }
  const result = z.array(ArticleJson).safeParse(single ? [wrapped] : wrapped, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((issue) => describeIssue(issue, single));
    const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
    throw new SourceError('SOURCE_PARSE', problems.join('; ') + more, { where: fileName });
  }
  return result.data.map(toDraft);
}

function toDraft(item: ArticleJson): ArticleDraft {
  const markup = item.html ?? item.content;
  // `content` is HTML in most exports, but plain text when it has no tags at all.
  const text = item.text ?? (markup ? (/<[a-z!/][^>]*>/i.test(markup) ? htmlToText(markup) : markup.trim()) : null);
  const description = item.summary ?? item.description ?? null;
  return {
    url: toHttpUrl(item.url ?? item.link),
    title: toText(item.title) ?? '',
    text: text ?? (description && /<[a-z/][^>]*>/i.test(description) ? htmlToText(description) : description) ?? '',
    description: description
      ? (/<[a-z/][^>]*>/i.test(description) ? htmlToText(description) : description.trim()) || null
      : null,
    publishedAt: parseDate(item.publishedAt ?? item.date ?? item.published ?? null),
    labels: toLabels(item.categories, item.category, item.tags),
    author: toAuthor(item.author),
    imageUrl: toHttpUrl(toImageRef(item.imageUrl ?? item.image)),
    language: normalizeLanguageTag(item.language ?? item.lang),
    siteName: toText(item.siteName),
  };
}

function describeIssue(issue: z.core.$ZodIssue, single: boolean): string {
  const path = issue.path
    .map((part, index) =>
      typeof part === 'number'
        ? single && index === 0
          ? ''
          : `[${part}]`
        : `${index === 0 || (single && index === 1) ? '' : '.'}${String(part)}`,
    )
    .join('');
  return `${path || '(article)'}: ${issueMessage(issue)}`;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return 'input' in issue && issue.input !== undefined
      ? `must be a ${issue.expected}, not ${describeType(issue.input)}`
      : 'is required';
  }
  if (issue.code === 'invalid_union') {
    const input = (issue as { input?: unknown }).input;
    return `has the wrong type (${describeType(input)})`;
  }
  return issue.message;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
