import type { ArticleDraft } from '../../core/article.ts';
import { extractPage } from './extract-page.ts';

/**
 * A saved HTML file from a folder source: the same extraction as a fetched page, with
 * the URL taken from the page's `<link rel=canonical>` or og:url when it has one.
 */
export function parseHtmlFile(html: string, options: { fileName: string }): ArticleDraft {
  return extractPage(html, { url: null, name: options.fileName });
}
