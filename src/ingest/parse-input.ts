import path from 'node:path';
import type { ArticleDraft } from '../core/article.ts';
import { SourceError } from '../core/errors.ts';
import { decodeText } from './decode-text.ts';
import { detectInputKind } from './detect-input-kind.ts';
import { parseFeed } from './feed/parse-feed.ts';
import { parseJsonArticles } from './folder/parse-json-articles.ts';
import { parseMarkdownArticle } from './folder/parse-markdown-article.ts';
import type { PageExtractor } from './page/page-extractor.ts';
import { parsePageDump } from './page/parse-page-dump.ts';
import { decodeWindows1252References } from './strip-control-characters.ts';
import type { FetchedResource, InputKind, ParsedInput } from './types.ts';

function decodingKind(name: string, contentType: string | null): 'xml' | 'html' | 'text' {
  const lower = name.toLowerCase();
  if (/xml|rss|atom/.test(contentType ?? '') || /\.(xml|rss|atom|rdf)$/.test(lower)) return 'xml';
  if (/html/.test(contentType ?? '') || /\.html?$/.test(lower)) return 'html';
  return 'text';
}

export interface ParseResourceOptions {
  /** Narrows the detected kind for configured sources. */
  expect?: 'feed' | 'page';
  /** Where HTML pages are extracted, within the parse budget (a worker thread). */
  pages: PageExtractor;
}

/**
 * Decodes and parses one input, whatever it is: the kind is detected from the
 * content first and the name second. Every HTML page, fetched or read from a file
 * (a page source, a folder's .html file, `tidings inspect`), goes through `pages`.
 */
export async function parseResource(resource: FetchedResource, options: ParseResourceOptions): Promise<ParsedInput> {
  const { expect } = options;
  const name = resource.location;
  let text = decodeText(resource.bytes, {
    contentType: resource.contentType,
    kind: decodingKind(name, resource.contentType),
  });
  let kind: InputKind = expect === 'feed' ? 'feed' : detectInputKind(path.basename(name.split('?')[0] ?? name), text);
  if (expect === 'page' && kind !== 'page') kind = 'page';
  // The name or Content-Type may not say what the content is (a feed served as
  // text/plain, a page saved without extension): decode again reading the document's
  // own declaration, the XML declaration of a feed or the <meta charset> of a page.
  const markupKind = kind === 'page' ? 'html' : kind === 'feed' && text.trimStart().startsWith('<') ? 'xml' : null;
  if (markupKind && decodingKind(name, resource.contentType) !== markupKind) {
    text = decodeText(resource.bytes, { contentType: resource.contentType, kind: markupKind });
  }
  const baseUrl = resource.isUrl ? resource.location : null;
  let drafts: ArticleDraft[];
  const warnings: string[] = [];
  try {
    switch (kind) {
      case 'feed': {
        const feed = parseFeed(text, { baseUrl });
        warnings.push(...feed.warnings);
        drafts = feed.drafts;
        break;
      }
      case 'page': {
        const page = await options.pages.extract(text, { url: baseUrl, name });
        warnings.push(...page.warnings);
        drafts = [page.draft];
        break;
      }
      case 'page-dump':
        // A dump is plain text, but `&#146;` in it was meant as HTML means it: ’.
        drafts = [parsePageDump(decodeWindows1252References(text), { fileName: name })];
        break;
      case 'markdown':
        drafts = [parseMarkdownArticle(text, { fileName: name })];
        break;
      case 'json':
        drafts = parseJsonArticles(text, { fileName: name });
        break;
    }
  } catch (error) {
    if (error instanceof SourceError) {
      if (error.where) throw error;
      // Parsers do not know where their text came from: name the file or URL here.
      throw new SourceError(error.code, error.message, {
        where: name,
        retryable: error.retryable,
        cause: error.cause ?? error,
      });
    }
    throw new SourceError('SOURCE_PARSE', `cannot parse as ${kind}: ${(error as Error).message}`, {
      where: name,
      cause: error,
    });
  }
  return { kind, drafts, warnings };
}
