import type { NewsletterConfig } from '../../config/schema.ts';
import { createMailTransport } from '../../delivery/smtp-transport.ts';
import type { Edition } from '../../editions/edition.ts';
import { planDigest } from '../../editions/plan-digest.ts';
import { createRenderer, type Renderer } from '../../render/create-renderer.ts';
import { settleTopStory } from '../../render/build-template-context.ts';
import { personalize } from '../../render/personalize.ts';
import type { AppContext } from '../context.ts';
import { templateLocales } from '../template-locales.ts';
import { imageLinkerFor, requireSecret } from '../edition-pipeline.ts';
import { editionViewPath, signEditionView } from '../../delivery/subscriber-token.ts';
import { archiveUrlFor } from './public-urls.ts';
import { createSubscriberService, type SubscriberService } from './subscriber-service.ts';

/** The web page has no size budget: it is the whole edition (the email's "full edition" link). */
const NO_BUDGET = Number.MAX_SAFE_INTEGER;

/**
 * The composition root's wiring of the subscriber service: the context's store, clock,
 * logger and config, web.secret (required), the send path's transport factory, and a
 * renderer that draws an edition for a reader of every category with no personal data.
 */
export function createSubscriberServiceFromContext(ctx: AppContext): SubscriberService {
  const secret = requireSecret(ctx);
  const overrideDir = ctx.config.templates.dir ? ctx.resolvePath(ctx.config.templates.dir) : undefined;
  const locales = templateLocales(ctx.templatesDir, overrideDir);
  const renderers = new Map<string, Promise<Renderer>>();
  const rendererFor = (newsletter: NewsletterConfig) => {
    let renderer = renderers.get(newsletter.template);
    if (!renderer) {
      renderer = createRenderer({
        templatesDir: ctx.templatesDir,
        overrideDir,
        template: newsletter.template,
        logger: ctx.logger,
        sizeBudgetBytes: NO_BUDGET,
        images: imageLinkerFor(ctx),
      });
      renderers.set(newsletter.template, renderer);
    }
    return renderer;
  };
  const base = ctx.config.web.baseUrl.replace(/\/+$/, '');

  const renderEditionForWeb = async (edition: Edition, newsletter: NewsletterConfig) => {
    const viewUrl = `${base}${editionViewPath(edition.id, newsletter.public ? undefined : signEditionView(edition.id, secret))}`;
    // Every category, nothing received before, no thin-digest rule: the edition as it went out, whole.
    const plan = planDigest(
      edition,
      { ...newsletter, minArticles: 0 },
      ctx.config.categories,
      { locale: null, timezone: null, categories: null },
      new Set(),
      null,
    );
    if ('skip' in plan) return null;
    // A reader on the web is nobody in particular: no address, no per-reader links, only the way onward.
    const webReader = {
      archiveUrl: archiveUrlFor(ctx.config, newsletter) ?? null,
      signupUrl: newsletter.signup ? `${base}/s/${newsletter.id}` : null,
    };
    const segment = await (await rendererFor(newsletter)).renderSegment({ ...plan.content, webReader }, newsletter);
    const page = personalize(segment, {
      name: '',
      email: '',
      unsubscribe_url: viewUrl,
      preferences_url: viewUrl,
      view_url: viewUrl,
    });
    const { topStory, sections } = settleTopStory(plan.content);
    const highlights = [topStory, ...sections.map((section) => section.articles[0])].flatMap((article) =>
      article ? [article.title] : [],
    );
    return { subject: page.subject, html: page.html, text: page.text, highlights };
  };

  return createSubscriberService({
    store: ctx.store,
    clock: ctx.clock,
    logger: ctx.logger,
    config: ctx.config,
    secret,
    openTransport: () =>
      createMailTransport(ctx.config.transport, ctx.baseDir, {
        clock: ctx.clock,
        logger: ctx.logger,
        abortSignal: ctx.shutdown.expired,
      }),
    renderEditionForWeb,
    locales,
    templateDirs: [ctx.templatesDir, ...(overrideDir ? [overrideDir] : [])],
    abandon: ctx.shutdown.expired,
  });
}
