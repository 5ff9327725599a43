import { toPublicArticle, type Article } from '../../core/article.ts';
import { parseSince } from '../../core/duration.ts';
import { TidingsError } from '../../core/errors.ts';
import type { SourceReport } from '../../ingest/ingest-sources.ts';
import type { AppContext } from '../context.ts';
import { ingestDueSources } from '../ingest-due-sources.ts';
import { sourceHealth, sourceHealthDeps, type SourceHealth as SourceHealthView } from '../source-health.ts';

/** `ok`: the last attempt worked; `failing`: the last one failed; `never`: not fetched yet. */
export type SourceHealth = 'ok' | 'failing' | 'never';

export interface SourceView {
  name: string;
  type: string;
  /** The URL or path it reads. */
  location: string;
  enabled: boolean;
  health: SourceHealth;
  lastFetchedAt: string | null;
  lastOkAt: string | null;
  lastFailedAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  /** The watchdog's view (app/source-health.ts): its rhythm and what looks wrong. */
  itemsPerDay: number;
  learning: boolean;
  warnings: { kind: string; message: string }[];
}

export interface ArticleListQuery {
  category?: string;
  /** A duration back from now (24h, 7d) or an ISO time. */
  since?: string;
  limit: number;
}

/**
 * Articles and sources for the JSON API: the store's article list and full-text search
 * (`tidings articles`, the desk's "add" search), the configured sources with their fetch
 * state (`tidings status`), and an ingest now (`tidings ingest`).
 */
export class ApiContent {
  constructor(private readonly ctx: AppContext) {}

  async listArticles(query: ArticleListQuery): Promise<Article[]> {
    const since = query.since ? parseSince(query.since, this.ctx.clock.now()) : undefined;
    if (since === null)
      throw new TidingsError('INPUT_INVALID', 'neither a duration (24h, 7d) nor an ISO time', { where: 'since' });
    const articles = await this.ctx.store.articles.listArticles({
      category: query.category,
      since,
      limit: query.limit,
    });
    return articles.map(toPublicArticle);
  }

  async searchArticles(q: string, limit: number): Promise<Article[]> {
    return (await this.ctx.store.articles.searchArticles(q, limit)).map(toPublicArticle);
  }

  /** One read of the fetch states and the watchdog's view (app/source-health.ts), as `tidings sources` shows them. */
  async listSources(): Promise<SourceView[]> {
    const health = await sourceHealth(sourceHealthDeps(this.ctx), this.ctx.clock.now());
    return this.ctx.config.sources.map((source, i) => {
      const { fetch, rhythm, warnings } = health[i]!;
      return {
        name: source.name,
        type: source.type,
        location: ('url' in source && source.url) || source.path || '',
        enabled: source.enabled,
        health: healthOf(fetch),
        lastFetchedAt: fetch?.lastFetchedAt ?? null,
        lastOkAt: fetch?.lastOkAt ?? null,
        lastFailedAt: fetch?.lastFailedAt ?? null,
        lastError: fetch?.lastError ?? null,
        consecutiveFailures: fetch?.consecutiveFailures ?? 0,
        itemsPerDay: rhythm.perDay,
        learning: rhythm.learning,
        warnings: warnings.map(({ kind, message }) => ({ kind, message })),
      };
    });
  }

  /** Ingests one source, or every enabled one, now (due or not). */
  async ingest(name?: string): Promise<SourceReport[]> {
    const sources = name
      ? this.ctx.config.sources.filter((source) => source.name === name)
      : this.ctx.config.sources.filter((source) => source.enabled);
    if (name && sources.length === 0) throw new TidingsError('NOT_FOUND', `no source named "${name}"`);
    const results = await ingestDueSources(this.ctx, this.ctx.clock.now(), { force: true, sources });
    return results.flatMap((result) => (result.report ? [result.report] : []));
  }
}

function healthOf(state: SourceHealthView['fetch']): SourceHealth {
  if (!state?.lastFetchedAt) return 'never';
  return state.consecutiveFailures > 0 ? 'failing' : 'ok';
}
