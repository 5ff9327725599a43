import { createPoolSignal } from './pool-signal.ts';
import type { NewsletterConfig } from '../config/schema.ts';
import { ConfigError, UsageError } from '../core/errors.ts';
import { parseInstant } from '../core/zone-time.ts';
import {
  buildSubscriberUrls,
  createSubscriberLinks,
  signEditionView,
  type SubscriberUrls,
} from '../delivery/subscriber-token.ts';
import { buildEdition } from '../editions/build-edition.ts';
import type { Edition } from '../editions/edition.ts';
import { digestPlanner, type DigestPlan, type DigestPlanner, type DigestReader } from '../editions/plan-digest.ts';
import { createRenderer, type Renderer } from '../render/create-renderer.ts';
import { createClickLinker } from '../render/click-links.ts';
import { createImageLinker, type ImageLinker } from '../render/image-links.ts';
import { personalize, personalTokens } from '../render/personalize.ts';
import type { RenderedSegment } from '../render/render-types.ts';
import type { AppContext } from './context.ts';
import { editionSummarizer } from './edition-summarizer.ts';

export function findNewsletter(ctx: AppContext, id: string): NewsletterConfig {
  const newsletter = ctx.config.newsletters.find((n) => n.id === id);
  if (!newsletter) {
    const known = ctx.config.newsletters.map((n) => n.id).join(', ') || 'none configured';
    throw new UsageError(`no newsletter "${id}" in ${ctx.configFile} (known: ${known})`);
  }
  return newsletter;
}

/**
 * `--at ISO` or now. A time without an offset (`2026-11-28T07:00`, as an edition id
 * shows it) is read in the newsletter's time zone, not the machine's.
 */
export function parseAt(ctx: AppContext, at: string | undefined, timeZone?: string): Date {
  if (!at) return ctx.clock.now();
  const instant = parseInstant(at, timeZone);
  if (!instant) {
    throw new UsageError(
      `--at: "${at}" is not an ISO 8601 time (e.g. 2026-11-28T07:00, read in the newsletter's time zone, or 2026-11-28T07:00:00Z)`,
    );
  }
  return instant;
}

export function requireSecret(ctx: AppContext): string {
  if (!ctx.config.web.secret)
    throw new ConfigError(ctx.configFile, [
      'web.secret: is required to sign subscriber links (set it from the environment)',
    ]);
  return ctx.config.web.secret;
}

/** Article images as config `images` says; the secret is read only when a proxied image is signed. */
export function imageLinkerFor(ctx: AppContext): ImageLinker {
  return createImageLinker({
    mode: ctx.config.images,
    baseUrl: ctx.config.web.baseUrl,
    secret: () => requireSecret(ctx),
  });
}

const renderers = new WeakMap<AppContext, Map<string, Promise<Renderer>>>();

/** The newsletter's renderer, loaded and checked once per context (a broken template fails here). */
export function rendererFor(ctx: AppContext, newsletter: NewsletterConfig): Promise<Renderer> {
  let byTemplate = renderers.get(ctx);
  if (!byTemplate) {
    byTemplate = new Map();
    renderers.set(ctx, byTemplate);
  }
  let renderer = byTemplate.get(newsletter.template);
  if (!renderer) {
    renderer = createRenderer({
      templatesDir: ctx.templatesDir,
      overrideDir: ctx.config.templates.dir ? ctx.resolvePath(ctx.config.templates.dir) : undefined,
      template: newsletter.template,
      logger: ctx.logger,
      images: imageLinkerFor(ctx),
      clicks: createClickLinker({ baseUrl: ctx.config.web.baseUrl, secret: () => requireSecret(ctx) }),
    });
    byTemplate.set(newsletter.template, renderer);
  }
  return renderer;
}

/** Loads every newsletter's templates: `tidings run` calls it first, so a broken template stops the job before any work. */
export async function checkTemplates(ctx: AppContext, newsletters: readonly NewsletterConfig[]): Promise<void> {
  for (const newsletter of newsletters) await rendererFor(ctx, newsletter);
}

/** An edition named by itself: its id and its slot as stored (ISO 8601 with the zone's offset, one instant). */
export type EditionRef = Pick<Edition, 'id' | 'newsletterId' | 'slot'>;

/**
 * One edition on its way out: built (or loaded) once, planned per reader, rendered once
 * per segment. Preview and send both go through here, so a preview shows exactly
 * what a subscriber gets.
 */
export class EditionPipeline {
  private constructor(
    private readonly ctx: AppContext,
    readonly newsletter: NewsletterConfig,
    readonly edition: Edition,
    readonly renderer: Renderer,
  ) {}

  /** `save: false` (preview, test send): an edition not built yet stays an unsaved draft. */
  static async open(
    ctx: AppContext,
    newsletterId: string,
    at: Date,
    options: { save?: boolean } = {},
  ): Promise<EditionPipeline> {
    const newsletter = findNewsletter(ctx, newsletterId);
    const renderer = await rendererFor(ctx, newsletter);
    const edition = await buildEdition(newsletter, at, {
      articles: ctx.store.articles,
      editions: ctx.store.editions,
      logger: ctx.logger,
      clock: ctx.clock,
      summarize: editionSummarizer(ctx, newsletter),
      save: options.save,
      dedupe: ctx.config.dedupe,
      poolSignal: createPoolSignal({
        newsletters: ctx.config.newsletters,
        editions: ctx.store.editions,
        clicks: ctx.store.clicks,
      }),
    });
    return new EditionPipeline(ctx, newsletter, edition, renderer);
  }

  /** An edition already built (the worker's, read from the store): planned and rendered as it is. */
  static async of(ctx: AppContext, edition: Edition): Promise<EditionPipeline> {
    const newsletter = findNewsletter(ctx, edition.newsletterId);
    return new EditionPipeline(ctx, newsletter, edition, await rendererFor(ctx, newsletter));
  }

  /**
   * The edition `ref` names, loaded by its id (the desk's and the scheduler's sends): never
   * rebuilt from its wall time, which a repeated hour makes ambiguous. One not stored is
   * built for its slot instant, as `open` does.
   */
  static async openRef(ctx: AppContext, ref: EditionRef, options: { save?: boolean } = {}): Promise<EditionPipeline> {
    const stored = await ctx.store.editions.getEdition(ref.id);
    if (stored) return EditionPipeline.of(ctx, stored);
    return EditionPipeline.open(ctx, ref.newsletterId, new Date(ref.slot), options);
  }

  /** The edition's web page; keyed for a newsletter that is not public (`/e/` needs the key then). */
  get webVersionUrl(): string {
    // Signed once per edition, not once per reader planned (an HMAC each: ~1% of a send's CPU).
    this.cachedWebVersionUrl ??= this.buildWebVersionUrl();
    return this.cachedWebVersionUrl;
  }

  private cachedWebVersionUrl: string | undefined;
  private planner: DigestPlanner | undefined;

  private buildWebVersionUrl(): string {
    const secret = this.ctx.config.web.secret;
    const viewKey = !this.newsletter.public && secret ? signEditionView(this.edition.id, secret) : undefined;
    return buildSubscriberUrls(
      this.ctx.config.web.baseUrl,
      { unsubscribe: '', preferences: '' },
      this.edition.id,
      viewKey,
    ).viewUrl;
  }

  plan(reader: DigestReader, received: ReadonlySet<string>): DigestPlan {
    // The edition's curated list and category titles are worked out once for all its readers.
    if (this.planner?.edition !== this.edition)
      this.planner = digestPlanner(this.edition, this.newsletter, this.ctx.config.categories, this.webVersionUrl);
    return this.planner.plan(reader, received);
  }

  /**
   * Renders one segment. Callers render each segment once: the delivery engine keeps
   * rendered segments in its own bounded cache, preview and test sends render one.
   */
  async render(plan: Exclude<DigestPlan, { skip: string }>): Promise<RenderedSegment> {
    const segment = await this.renderer.renderSegment(plan.content, this.newsletter);
    if (segment.droppedArticleIds.length) {
      this.ctx.logger.warn(
        { edition: this.edition.id, segment: plan.segmentKey, dropped: segment.droppedArticleIds.length },
        'edition over the size budget: articles cut from the longest sections, the email links the full web version',
      );
    }
    return segment;
  }

  links(secret: string): (subscriberId: number) => SubscriberUrls {
    return createSubscriberLinks({
      baseUrl: this.ctx.config.web.baseUrl,
      secret,
      // Links act on the subscription, stored against the configured newsletter (not the cadence stream).
      newsletterId: this.newsletter.cadence?.newsletterId ?? this.newsletter.id,
      editionId: this.edition.id,
      signView: !this.newsletter.public,
    });
  }

  personalize(
    segment: RenderedSegment,
    reader: { name: string | null; firstName?: string | null; email: string },
    urls: SubscriberUrls,
  ) {
    return personalize(segment, personalTokens(reader, urls));
  }
}
