import { createHash } from 'node:crypto';
import type { ArticleDraft } from '../core/article.ts';
import type { ArticleRecord } from '../core/stored-article.ts';
import { isHttpUrl } from '../core/http-url.ts';
import { canonicalizeUrl, linkUrl } from './canonical-url.ts';
import type { CategoryMapper } from './category-mapper.ts';
import { collapseWhitespace, paragraphsFromText } from './html-to-text.ts';
import { stripDraftControls, stripLineControls } from './strip-control-characters.ts';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Id from the canonical URL; without a URL, from the source and the title. */
export function articleIdFor(canonicalUrl: string | null, source: string, title: string): string {
  const basis = canonicalUrl ?? `${source}\u0000${collapseWhitespace(title).toLowerCase()}`;
  return sha256(basis).slice(0, 24);
}

/** Hash of what a reader sees; equal hashes under different URLs are the same story. */
export function contentHashFor(title: string, text: string): string {
  return sha256(`${collapseWhitespace(title)}\n${text.replace(/\s+/g, ' ').trim()}`);
}

function toIsoOrNull(value: string | null): string | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

function cleanLine(value: string | null): string | null {
  if (!value) return null;
  const line = collapseWhitespace(value);
  return line || null;
}

/**
 * Turns a parser's draft into the stored shape: stable id (from the canonical URL), link URL,
 * clean text, category slugs and content hash. The summary is filled later. Control
 * characters are removed from every field first (see strip-control-characters.ts).
 */
export function normalizeDraft(
  rawDraft: ArticleDraft,
  context: { source: string; sourceTitle?: string; defaultCategories: readonly string[]; mapper: CategoryMapper },
): ArticleRecord {
  const draft = stripDraftControls(rawDraft);
  const source = stripLineControls(context.source);
  // The canonical form only names the story (the id); the link keeps the source's path.
  const canonical = canonicalizeUrl(draft.url);
  const title = collapseWhitespace(draft.title);
  const text = paragraphsFromText(draft.text);
  const { configured, unknown } = context.mapper.map(draft.labels, context.defaultCategories);
  return {
    id: articleIdFor(canonical, source, title),
    url: linkUrl(draft.url),
    title,
    text,
    summary: null,
    publishedAt: toIsoOrNull(draft.publishedAt),
    categories: [...configured, ...unknown],
    source,
    // Readers see the configured title, else the feed's or site's own name, never the config name unless nothing else.
    sourceTitle: stripLineControls(context.sourceTitle ?? '') || cleanLine(draft.siteName) || source,
    author: cleanLine(draft.author),
    imageUrl: isHttpUrl(draft.imageUrl) ? draft.imageUrl : null,
    language: cleanLine(draft.language)?.toLowerCase() ?? null,
    description: draft.description ? paragraphsFromText(draft.description) || null : null,
    contentHash: contentHashFor(title, text),
    categoryOrigin: configured.length > 0 ? 'source' : 'none',
  };
}
