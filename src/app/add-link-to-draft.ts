import type { ArticleDraft } from '../core/article.ts';
import { describeError, TidingsError } from '../core/errors.ts';
import { isHttpUrl } from '../core/http-url.ts';
import { CategoryMapper } from '../ingest/category-mapper.ts';
import { normalizeDraft } from '../ingest/normalize-article.ts';
import { createPageExtractor } from '../ingest/page/page-extractor.ts';
import { parseResource } from '../ingest/parse-input.ts';
import type { Edition } from '../editions/edition.ts';
import type { AppContext } from './context.ts';
import { createCurator } from './create-curator.ts';
import { createEnricher } from './create-enricher.ts';

/** Articles added by hand are stored under this source name (they belong to no configured source). */
export const ADDED_LINK_SOURCE = 'added-by-editor';

export interface AddLinkInput {
  editionId: string;
  url: string;
  /** The editor's words: required when the page cannot be fetched; they win over the extracted ones. */
  title?: string | null;
  summary?: string | null;
  /** A section of the edition's newsletter; default: the article's own category, else the first section. */
  category?: string | null;
  /** The editor's name, or `cli`. */
  actor: string;
}

export interface AddLinkResult {
  edition: Edition;
  articleId: string;
  /** False when the page could not be fetched and the editor's title and summary stand in. */
  fetched: boolean;
  /** Why the page could not be fetched (when `fetched` is false). */
  fetchProblem: string | null;
}

const clean = (text: string | null | undefined) => text?.replace(/\s+/g, ' ').trim() || null;

/**
 * "Add this link": fetches the URL as an untrusted address (the fetch policy: public
 * addresses only unless fetch.allowPrivateNetworks), extracts the page, summarizes and
 * categorizes it like an ingested article, stores it and adds it to the edition (a draft
 * or approved edition; an approved one goes back to draft). When the page cannot be
 * fetched or read, the editor's title and summary make the article instead.
 */
export async function addLinkToDraft(ctx: AppContext, input: AddLinkInput): Promise<AddLinkResult> {
  const url = input.url.trim();
  if (!isHttpUrl(url)) throw new TidingsError('INPUT_INVALID', 'only http(s) links can be added', { where: 'url' });
  const curator = createCurator(ctx, input.actor);
  const edition = await curator.load(input.editionId);
  const newsletter = curator.newsletterOf(edition);
  const title = clean(input.title);
  const summary = clean(input.summary);
  let draft: ArticleDraft | null = null;
  let fetchProblem: string | null = null;
  try {
    draft = await fetchDraft(ctx, url);
  } catch (error) {
    fetchProblem = describeError(error);
  }
  if (!draft) {
    if (!title) {
      throw new TidingsError(
        'INPUT_INVALID',
        `the page could not be read (${fetchProblem ?? 'no article found'}): give a title and a summary by hand`,
        { where: url },
      );
    }
    draft = manualDraft(url, title, summary);
  }
  const record = normalizeDraft(draft, {
    source: ADDED_LINK_SOURCE,
    // The site's own name when the page gives one, else its host.
    sourceTitle: draft.siteName ? undefined : new URL(url).hostname,
    defaultCategories: input.category ? [input.category] : [],
    mapper: new CategoryMapper(ctx.config.categories),
  });
  const [enriched] = await (await createEnricher(ctx)).enrich([record]);
  await ctx.store.articles.saveArticles([enriched!], ctx.clock.now());
  const stored = (await ctx.store.articles.getArticle(enriched!.id))!;
  const section =
    input.category ??
    newsletter.categories.find((slug) => stored.categories.includes(slug)) ??
    newsletter.categories[0];
  let updated = await curator.add(edition.id, stored.id, section);
  if (title || summary) {
    updated = await curator.pick(edition.id, stored.id, {
      ...(title ? { titleOverride: title } : {}),
      ...(summary ? { summaryOverride: summary } : {}),
    });
  }
  return { edition: updated, articleId: stored.id, fetched: fetchProblem === null, fetchProblem };
}

/** The page's main article, or null when it has none; throws when it cannot be fetched. */
async function fetchDraft(ctx: AppContext, url: string): Promise<ArticleDraft | null> {
  const resource = await ctx.http.get(url, { untrusted: true });
  const pages = createPageExtractor(ctx.config.parse);
  try {
    const parsed = await parseResource({ ...resource, isUrl: true }, { expect: 'page', pages });
    const draft = parsed.drafts[0];
    return draft?.title.trim() ? { ...draft, url: draft.url ?? url } : null;
  } finally {
    await pages.close();
  }
}

function manualDraft(url: string, title: string, summary: string | null): ArticleDraft {
  return {
    url,
    title,
    text: summary ?? title,
    description: summary,
    publishedAt: null,
    labels: [],
    author: null,
    imageUrl: null,
    language: null,
    siteName: null,
  };
}

/** Editions a link can still go into (drafts and approved ones of configured newsletters), newest slot first. */
export async function editionsTakingLinks(ctx: Pick<AppContext, 'store' | 'config'>): Promise<Edition[]> {
  const open = await ctx.store.editions.listEditions(undefined, { statuses: ['draft', 'approved'] });
  return open.filter((e) => ctx.config.newsletters.some((n) => n.id === e.newsletterId));
}
