import type { NewsletterConfig } from '../../config/schema.ts';
import type { Clock } from '../../core/clock.ts';
import { toHttpUrl } from '../../core/http-url.ts';
import type { Edition } from '../../editions/edition.ts';
import type { EditionStore } from '../../editions/edition-store.ts';
import { TOP_STORY_SECTION, verifyClickToken } from '../../render/click-links.ts';
import type { AppContext } from '../context.ts';
import { judgeClick, type ClickRequest, type ClickVerdict } from './click-filter.ts';
import type { ClickCount, ClickStore } from '../../signal/click-store.ts';

/** How far back the per-source report and /metrics look. */
export const CLICK_REPORT_DAYS = 30;

/** What a `/c/` request gets: a redirect (counted or not), or why not. */
export type FollowResult =
  | { kind: 'redirect'; location: string; verdict: ClickVerdict }
  /** The token is forged, altered or not a click link. */
  | { kind: 'invalid' }
  /** A valid token whose edition or article is gone, or whose article has no http(s) link. */
  | { kind: 'unknown' };

export interface StoryClicks {
  articleId: string;
  title: string;
  source: string;
  /** Every section the story's links sat in (top story and its category count together). */
  clicks: number;
}

export interface EditionClickReport {
  editionId: string;
  minCount: number;
  /** Stories with at least minCount clicks, most read first. */
  stories: StoryClicks[];
  /** Stories clicked fewer than minCount times: counted, not shown. */
  hiddenStories: number;
  /** Requests redirected but not counted (scanners, prefetches, HEAD). */
  filtered: number;
}

export interface SourceClicks {
  source: string;
  /** Clicks on the source's stories in the period (only when at least minCount). */
  clicks: number;
  /** Its stories in the editions of the period. */
  stories: number;
  /** Readers the editions carrying its stories were sent to (their recorded audiences). */
  messages: number;
  /** clicks ÷ messages: the share of sent digests in which one of its stories was opened, at most. */
  clickThrough: number | null;
}

export interface SourceClickReport {
  days: number;
  minCount: number;
  sources: SourceClicks[];
  /** Sources with stories but fewer than minCount clicks: counted, not shown. */
  hiddenSources: number;
}

export interface NewsletterClickOverview {
  newsletterId: string;
  sources: SourceClickReport;
  /** Sent (or sending) editions of the last CLICK_REPORT_DAYS, newest first. */
  editions: EditionClickReport[];
}

/** The app operations behind `/c/`, the desk's click pages, `/metrics` and the API. */
export interface ClickOperations {
  readonly minCount: number;
  follow(token: string, request: ClickRequest): Promise<FollowResult>;
  editionReport(editionId: string): Promise<EditionClickReport>;
  sourceReport(newsletterId?: string, days?: number): Promise<SourceClickReport>;
  /** Per newsletter with analytics: aggregate, its sources' report and each recent edition's most-read stories (the desk). */
  overview(): Promise<NewsletterClickOverview[]>;
  /** Clicks per story of the editions of the last CLICK_REPORT_DAYS, only those at least minCount (for /metrics). */
  recentStories(): Promise<{ newsletterId: string; editionId: string; articleId: string; clicks: number }[]>;
}

export interface ClickDeps {
  clicks: ClickStore;
  editions: Pick<EditionStore, 'getEdition' | 'listEditions'>;
  /** The link secret (web.secret); undefined: no link verifies. */
  secret: string | undefined;
  minCount: number;
  clock: Clock;
  newsletters: readonly Pick<NewsletterConfig, 'id' | 'analytics'>[];
}

const slotUtc = (edition: Edition) => new Date(edition.slot).toISOString();

/** The article a click link names, when the edition carries it in that section with an http(s) link. */
function targetUrl(edition: Edition, articleId: string, section: string) {
  const article = edition.articles.find((a) => a.articleId === articleId);
  if (!article || (section !== TOP_STORY_SECTION && article.category !== section)) return null;
  const url = toHttpUrl(article.url);
  return url ? { article, url } : null;
}

export function createClickOperations(deps: ClickDeps): ClickOperations {
  return {
    minCount: deps.minCount,

    async follow(token, request) {
      const target = deps.secret ? verifyClickToken(token, deps.secret) : null;
      if (!target) return { kind: 'invalid' };
      const edition = await deps.editions.getEdition(target.editionId);
      const found = edition ? targetUrl(edition, target.articleId, target.section) : null;
      if (!edition || !found) return { kind: 'unknown' };
      const verdict = judgeClick(request);
      await deps.clicks.add(
        {
          editionId: edition.id,
          newsletterId: edition.newsletterId,
          slotUtc: slotUtc(edition),
          articleId: found.article.articleId,
          section: target.section,
          source: found.article.source,
        },
        verdict.counted ? 'clicks' : 'filtered',
      );
      return { kind: 'redirect', location: found.url, verdict };
    },

    async editionReport(editionId) {
      const edition = await deps.editions.getEdition(editionId);
      const rows = await deps.clicks.listForEdition(editionId);
      const byArticle = new Map<string, number>();
      for (const row of rows) byArticle.set(row.articleId, (byArticle.get(row.articleId) ?? 0) + row.clicks);
      const counted = [...byArticle].filter(([, clicks]) => clicks > 0);
      const stories = counted
        .filter(([, clicks]) => clicks >= deps.minCount)
        .map(([articleId, clicks]) => {
          const article = edition?.articles.find((a) => a.articleId === articleId);
          return { articleId, clicks, title: article?.title ?? articleId, source: article?.sourceTitle ?? '' };
        })
        .sort((a, b) => b.clicks - a.clicks || a.title.localeCompare(b.title));
      return {
        editionId,
        minCount: deps.minCount,
        stories,
        hiddenStories: counted.length - stories.length,
        filtered: rows.reduce((sum, row) => sum + row.filtered, 0),
      };
    },

    async overview() {
      const since = deps.clock.now().getTime() - CLICK_REPORT_DAYS * 86_400_000;
      const overview: NewsletterClickOverview[] = [];
      for (const newsletter of deps.newsletters.filter((n) => n.analytics === 'aggregate')) {
        const editions = await deps.editions.listEditions(newsletter.id, { statuses: ['sending', 'sent'] });
        const recent = editions.filter((edition) => new Date(edition.slot).getTime() >= since);
        overview.push({
          newsletterId: newsletter.id,
          sources: await this.sourceReport(newsletter.id),
          editions: await Promise.all(recent.map((edition) => this.editionReport(edition.id))),
        });
      }
      return overview;
    },

    async recentStories() {
      const since = new Date(deps.clock.now().getTime() - CLICK_REPORT_DAYS * 86_400_000);
      const stories = new Map<string, { newsletterId: string; editionId: string; articleId: string; clicks: number }>();
      for (const row of await deps.clicks.listSince(since)) {
        const key = JSON.stringify([row.editionId, row.articleId]);
        const story = stories.get(key) ?? {
          newsletterId: row.newsletterId,
          editionId: row.editionId,
          articleId: row.articleId,
          clicks: 0,
        };
        story.clicks += row.clicks;
        stories.set(key, story);
      }
      return [...stories.values()].filter((story) => story.clicks >= deps.minCount);
    },

    async sourceReport(newsletterId, days = CLICK_REPORT_DAYS) {
      const since = new Date(deps.clock.now().getTime() - days * 86_400_000);
      const rows = await deps.clicks.listSince(since, newsletterId);
      const exposure = await sourceExposure(deps, since, newsletterId);
      const clicks = sumBySource(rows);
      const all = new Set([...exposure.keys(), ...clicks.keys()]);
      const sources: SourceClicks[] = [];
      for (const source of all) {
        const count = clicks.get(source) ?? 0;
        if (count < deps.minCount) continue;
        const seen = exposure.get(source) ?? { stories: 0, messages: 0 };
        sources.push({
          source,
          clicks: count,
          ...seen,
          clickThrough: seen.messages > 0 ? count / seen.messages : null,
        });
      }
      sources.sort((a, b) => (b.clickThrough ?? 0) - (a.clickThrough ?? 0) || b.clicks - a.clicks);
      return { days, minCount: deps.minCount, sources, hiddenSources: all.size - sources.length };
    },
  };
}

function sumBySource(rows: readonly ClickCount[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(row.source, (sums.get(row.source) ?? 0) + row.clicks);
  return sums;
}

/** Per source: its stories in sent editions of aggregate newsletters since `since`, and the readers those editions reached. */
async function sourceExposure(
  deps: ClickDeps,
  since: Date,
  newsletterId: string | undefined,
): Promise<Map<string, { stories: number; messages: number }>> {
  const exposure = new Map<string, { stories: number; messages: number }>();
  const counted = deps.newsletters.filter(
    (n) => n.analytics === 'aggregate' && (!newsletterId || n.id === newsletterId),
  );
  for (const newsletter of counted) {
    const editions = await deps.editions.listEditions(newsletter.id, { statuses: ['sending', 'sent'] });
    for (const edition of editions) {
      if (new Date(edition.slot) < since) continue;
      const readers = edition.audience?.total ?? 0;
      const sources = new Map<string, number>();
      for (const article of edition.articles)
        if (!article.excluded) sources.set(article.source, (sources.get(article.source) ?? 0) + 1);
      for (const [source, stories] of sources) {
        const entry = exposure.get(source) ?? { stories: 0, messages: 0 };
        entry.stories += stories;
        entry.messages += readers;
        exposure.set(source, entry);
      }
    }
  }
  return exposure;
}

/** The click operations of the context (web.secret signs and checks the links). */
export function clickOperationsFromContext(ctx: AppContext): ClickOperations {
  return createClickOperations({
    clicks: ctx.store.clicks,
    editions: ctx.store.editions,
    secret: ctx.config.web.secret,
    minCount: ctx.config.analytics.minCount,
    clock: ctx.clock,
    newsletters: ctx.config.newsletters,
  });
}
