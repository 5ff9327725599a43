import type { ArticleDraft } from '../../core/article.ts';
import { htmlToText } from '../html-to-text.ts';
import { cleanAuthor, fallbackTitle, firstImageSource, inlineFromText, language, uniqueLabels } from './feed-fields.ts';
import { paragraphsFromText } from '../html-to-text.ts';
import { resolveHttpUrl } from '../../core/http-url.ts';
import type { ParsedFeed } from './feed-types.ts';
import { parseDate } from '../../core/parse-date.ts';

/**
 * JSON Feed 1.0 and 1.1. Fields of the wrong type are ignored rather than fatal, so
 * one odd item does not cost the rest of the feed.
 */
export function readJsonFeed(feed: Record<string, unknown>, baseUrl: string | null): ParsedFeed {
  const warnings: string[] = [];
  const title = str(feed.title) ? inlineFromText(str(feed.title)!) || null : null;
  const feedUrl = resolveHttpUrl(str(feed.feed_url), [baseUrl]);
  const siteUrl = resolveHttpUrl(str(feed.home_page_url), [feedUrl, baseUrl]);
  const bases = [siteUrl, feedUrl, baseUrl];
  const feedLanguage = language(str(feed.language));
  const feedAuthor = authorOf(feed);
  const rawItems = Array.isArray(feed.items) ? feed.items : [];
  if (!Array.isArray(feed.items)) warnings.push('JSON Feed has no "items" array');

  const drafts: ArticleDraft[] = [];
  rawItems.forEach((raw, index) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      warnings.push(`items[${index}] is not an object; skipped`);
      return;
    }
    const item = raw as Record<string, unknown>;
    const url = resolveHttpUrl(str(item.url), bases) ?? resolveHttpUrl(str(item.external_url), bases);
    const html = str(item.content_html);
    const plain = str(item.content_text);
    const summary = str(item.summary);
    const text = html
      ? htmlToText(html)
      : plain
        ? paragraphsFromText(plain)
        : summary
          ? paragraphsFromText(summary)
          : '';
    const description = summary ? inlineFromText(summary) || null : null;
    const titleText = str(item.title);
    drafts.push({
      url,
      title: (titleText && inlineFromText(titleText)) || fallbackTitle(text, description, url),
      text,
      description,
      publishedAt: parseDate(str(item.date_published)) ?? parseDate(str(item.date_modified)),
      labels: uniqueLabels(Array.isArray(item.tags) ? item.tags.map((tag) => str(tag)) : []),
      author: authorOf(item) ?? feedAuthor,
      imageUrl:
        resolveHttpUrl(str(item.image), bases) ??
        resolveHttpUrl(str(item.banner_image), bases) ??
        resolveHttpUrl(html ? firstImageSource(html) : null, bases),
      language: language(str(item.language)) ?? feedLanguage,
      siteName: title,
    });
  });
  return { title, siteUrl, language: feedLanguage, drafts, warnings };
}

/** 1.1 `authors` (first with a name), else 1.0 `author`. */
function authorOf(holder: Record<string, unknown>): string | null {
  const authors = Array.isArray(holder.authors) ? holder.authors : [];
  for (const author of [...authors, holder.author]) {
    if (author && typeof author === 'object') {
      const name = cleanAuthor(str((author as Record<string, unknown>).name));
      if (name) return name;
    }
  }
  return null;
}

function str(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

/** JSON that looks like a JSON Feed: a version URL of jsonfeed.org, or an items array. */
export function isJsonFeed(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const version = typeof record.version === 'string' ? record.version : '';
  return /jsonfeed\.org\/version\//i.test(version) || Array.isArray(record.items);
}
