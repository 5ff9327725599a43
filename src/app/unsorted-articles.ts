import type { AppContext } from './context.ts';
import type { CategoryConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import { TidingsError } from '../core/errors.ts';
import type { AuditLog } from '../editions/audit-log.ts';
import type { StoredArticle } from '../core/stored-article.ts';
import type { ArticleStore } from '../ingest/article-store.ts';

/** How far back the Unsorted tray looks: older articles no edition would pick anyway. */
export const UNSORTED_WINDOW_MS = 14 * 86_400_000;
const UNSORTED_LIMIT = 200;

export interface UnsortedDeps {
  articles: Pick<ArticleStore, 'listArticles' | 'getArticle' | 'findArticleIdsByPrefix' | 'setEditorCategory'>;
  audit: Pick<AuditLog, 'record'>;
  categories: Record<string, CategoryConfig>;
  clock: Clock;
}

/**
 * The Unsorted tray: articles of the last two weeks that neither their source nor the
 * classifier placed in a configured category, so no category newsletter would carry
 * them. Newest first.
 */
export async function listUnsortedArticles(deps: UnsortedDeps): Promise<StoredArticle[]> {
  const since = new Date(deps.clock.now().getTime() - UNSORTED_WINDOW_MS);
  return deps.articles.listArticles({ uncategorized: true, since, orSeenSince: since, limit: UNSORTED_LIMIT });
}

/**
 * Files an article under a configured category as an editor's label: it outranks the
 * source's and the classifier's, later ingests keep it, and the classifier learns from
 * it on its next run. Recorded in the audit log.
 */
export async function fileArticle(
  deps: UnsortedDeps,
  idOrPrefix: string,
  category: string,
  actor: string,
): Promise<StoredArticle> {
  const configured = Object.keys(deps.categories);
  if (!configured.includes(category))
    throw new TidingsError(
      'INPUT_INVALID',
      `"${category}" is not a configured category (one of: ${configured.join(', ')})`,
    );
  const articleId = await resolveArticleId(deps, idOrPrefix);
  const now = deps.clock.now();
  const filed = await deps.articles.setEditorCategory(articleId, category, configured, now);
  if (!filed)
    throw new TidingsError('INPUT_INVALID', `no stored article "${articleId}" (see: tidings articles --uncategorized)`);
  await deps.audit.record({
    at: now.toISOString(),
    actor,
    action: 'article.file',
    newsletterId: null,
    editionId: null,
    details: { articleId, title: filed.title, category },
  });
  return filed;
}

/** An article id from the id or an unambiguous prefix of it, as `tidings articles` prints it. */
async function resolveArticleId(deps: UnsortedDeps, idOrPrefix: string): Promise<string> {
  if (await deps.articles.getArticle(idOrPrefix)) return idOrPrefix;
  const ids = idOrPrefix ? await deps.articles.findArticleIdsByPrefix(idOrPrefix, 2) : [];
  if (ids.length === 1) return ids[0]!;
  const why = ids.length === 0 ? 'no stored article' : 'several stored articles match';
  throw new TidingsError('INPUT_INVALID', `${why} "${idOrPrefix}" (see: tidings articles --uncategorized)`);
}

/** The tray's collaborators from the composition root's context. */
export function unsortedDeps(ctx: Pick<AppContext, 'config' | 'store' | 'clock'>): UnsortedDeps {
  return { articles: ctx.store.articles, audit: ctx.store.audit, categories: ctx.config.categories, clock: ctx.clock };
}

/** The tray as the desk and the CLI use it. */
export interface UnsortedTray {
  list(): Promise<StoredArticle[]>;
  file(idOrPrefix: string, category: string, actor: string): Promise<StoredArticle>;
}

export function createUnsortedTray(deps: UnsortedDeps): UnsortedTray {
  return {
    list: () => listUnsortedArticles(deps),
    file: (idOrPrefix, category, actor) => fileArticle(deps, idOrPrefix, category, actor),
  };
}
