import type { NewsletterConfig } from '../config/schema.ts';
import { ConfigError, UsageError } from '../core/errors.ts';
import { buildSubscriberUrls, createSubscriberLinks, type SubscriberUrls } from '../delivery/subscriber-token.ts';
import { buildEdition } from '../editions/build-edition.ts';
import { CachedSummarizer } from '../ingest/article-enricher.ts';
import type { Edition } from '../editions/edition.ts';
import { planDigest, type DigestPlan, type DigestReader } from '../editions/plan-digest.ts';
import { createRenderer, type Renderer } from '../render/create-renderer.ts';
import { personalize } from '../render/personalize.ts';
import type { RenderedSegment } from '../render/render-types.ts';
import type { AppContext } from './context.ts';

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function findNewsletter(ctx: AppContext, id: string): NewsletterConfig {
  const newsletter = ctx.config.newsletters.find((n) => n.id === id);
  if (!newsletter) {
    const known = ctx.config.newsletters.map((n) => n.id).join(', ') || 'none configured';
    throw new UsageError(`no newsletter "${id}" in ${ctx.configFile} (known: ${known})`);
  }
  return newsletter;
}

/** `--at ISO` or now. */
export function parseAt(ctx: AppContext, at: string | undefined): Date {
  if (!at) return ctx.clock.now();
  const parsed = new Date(at);
  if (Number.isNaN(parsed.getTime())) throw new UsageError(`--at: "${at}" is not an ISO 8601 time`);
  return parsed;
}

export function requireSecret(ctx: AppContext): string {
  if (!ctx.config.web.secret) throw new ConfigError(ctx.configFile, ['web.secret: is required to sign subscriber links (set it from the environment)']);
  return ctx.config.web.secret;
}

/**
 * One edition on its way out: built (or loaded) once, planned per reader, rendered once
 * per segment. Preview and send both go through here, so a preview shows exactly
 * what a subscriber gets.
 */
export class EditionPipeline {
  readonly #segments = new Map<string, Promise<RenderedSegment>>();

  private constructor(
    private readonly ctx: AppContext,
    readonly newsletter: NewsletterConfig,
    readonly edition: Edition,
    readonly renderer: Renderer,
  ) {}

  static async open(ctx: AppContext, newsletterId: string, at: Date): Promise<EditionPipeline> {
    const newsletter = findNewsletter(ctx, newsletterId);
    const renderer = await createRenderer({
      templatesDir: ctx.templatesDir,
      overrideDir: ctx.config.templates.dir ? ctx.resolvePath(ctx.config.templates.dir) : undefined,
      logger: ctx.logger,
    });
    const summarizer = newsletter.summary
      ? new CachedSummarizer(ctx.store.articles, { ...ctx.config.summaries, ...stripUndefined(newsletter.summary) })
      : null;
    const edition = await buildEdition(newsletter, at, {
      articles: ctx.store.articles,
      editions: ctx.store.editions,
      logger: ctx.logger,
      summarize: summarizer ? (article) => summarizer.summaryOf(article) : undefined,
    });
    return new EditionPipeline(ctx, newsletter, edition, renderer);
  }

  get webVersionUrl(): string {
    return buildSubscriberUrls(this.ctx.config.web.baseUrl, { unsubscribe: '', preferences: '' }, this.edition.id).viewUrl;
  }

  plan(reader: DigestReader, received: ReadonlySet<string>): DigestPlan {
    return planDigest(this.edition, this.newsletter, this.ctx.config.categories, reader, received, this.webVersionUrl);
  }

  /** Renders a segment once; later calls with the same key share the result. */
  render(plan: Exclude<DigestPlan, { skip: string }>): Promise<RenderedSegment> {
    let rendered = this.#segments.get(plan.segmentKey);
    if (!rendered) {
      rendered = this.renderer.renderSegment(plan.content, this.newsletter);
      this.#segments.set(plan.segmentKey, rendered);
      rendered.then(
        (segment) => {
          if (segment.droppedArticleIds.length) {
            this.ctx.logger.warn(
              { edition: this.edition.id, segment: plan.segmentKey, dropped: segment.droppedArticleIds.length },
              'edition over the size budget: articles cut from the longest sections, the email links the full web version',
            );
          }
        },
        () => this.#segments.delete(plan.segmentKey),
      );
    }
    return rendered;
  }

  links(secret: string): (subscriberId: number) => SubscriberUrls {
    return createSubscriberLinks({ baseUrl: this.ctx.config.web.baseUrl, secret, newsletterId: this.newsletter.id, editionId: this.edition.id });
  }

  personalize(segment: RenderedSegment, reader: { name: string | null; email: string }, urls: SubscriberUrls) {
    return personalize(segment, {
      name: reader.name ?? '',
      email: reader.email,
      unsubscribe_url: urls.unsubscribeUrl,
      preferences_url: urls.preferencesUrl,
      view_url: urls.viewUrl,
    });
  }
}
