import type { NewsletterConfig } from '../../config/schema.ts';
import type { Edition } from '../../editions/edition.ts';
import type { AppContext } from '../context.ts';
import { createCurator } from '../create-curator.ts';
import { DeskSends } from '../desk/desk-sends.ts';
import { EditionPipeline, findNewsletter, parseAt } from '../edition-pipeline.ts';
import { readEditionProgress, type EditionProgress } from '../edition-progress.ts';
import { checkSendable } from '../edition-send-check.ts';

/** One curation action, as the desk's edition page offers them (src/web/desk/desk-actions.ts). */
export type CurationAction =
  | { op: 'pin'; article: string; pinned: boolean }
  | { op: 'exclude'; article: string; excluded: boolean }
  | { op: 'move'; article: string; position: number }
  | { op: 'reorder'; category: string; order: string[] }
  | { op: 'rewrite'; article: string; title?: string | null; summary?: string | null }
  | { op: 'intro'; intro: string | null }
  | { op: 'add'; article: string; category?: string }
  | { op: 'recategorize'; article: string; category: string }
  | { op: 'block'; article: string; scope: 'article' | 'source' }
  | { op: 'approve' }
  | { op: 'unapprove' };

/** An edition in a list: everything but its articles, which are counted. */
export type EditionSummary = Omit<Edition, 'articles'> & { articles: number };

/**
 * The edition operations of the JSON API: the curation module the desk and the CLI use
 * (acting for the token's name, which the audit log records), the build of `tidings
 * edition build`, and the desk's background send with its progress.
 */
export class ApiEditions {
  readonly #sends: DeskSends;

  constructor(private readonly ctx: AppContext) {
    this.#sends = new DeskSends(ctx);
  }

  async list(newsletterId?: string): Promise<EditionSummary[]> {
    if (newsletterId) findNewsletter(this.ctx, newsletterId);
    const editions = await this.ctx.store.editions.listEditions(newsletterId);
    return editions.map(({ articles, ...rest }) => ({ ...rest, articles: articles.filter((a) => !a.excluded).length }));
  }

  show(id: string): Promise<Edition> {
    return createCurator(this.ctx, 'api').load(id);
  }

  /** Builds and saves the draft of a slot (default: now), as `tidings edition build`. */
  async build(newsletterId: string, at: string | undefined): Promise<Edition> {
    const newsletter = findNewsletter(this.ctx, newsletterId);
    const pipeline = await EditionPipeline.open(this.ctx, newsletter.id, parseAt(this.ctx, at, newsletter.timezone));
    return pipeline.edition;
  }

  curate(id: string, action: CurationAction, actor: string): Promise<Edition> {
    const curator = createCurator(this.ctx, actor);
    switch (action.op) {
      case 'pin':
        return curator.pick(id, action.article, action.pinned ? { pinned: true, excluded: false } : { pinned: false });
      case 'exclude':
        return curator.exclude(id, action.article, action.excluded);
      case 'move':
        return curator.move(id, action.article, action.position);
      case 'reorder':
        return curator.reorder(id, action.category, action.order);
      case 'rewrite':
        return curator.pick(id, action.article, {
          ...(action.title !== undefined ? { titleOverride: action.title?.trim() || null } : {}),
          ...(action.summary !== undefined ? { summaryOverride: action.summary?.trim() || null } : {}),
        });
      case 'intro':
        return curator.setIntro(id, action.intro);
      case 'add':
        return curator.add(id, action.article, action.category);
      case 'recategorize':
        return curator.recategorize(id, action.article, action.category);
      case 'block':
        return curator.block(id, action.article, action.scope);
      case 'approve':
        return curator.approve(id);
      case 'unapprove':
        return curator.unapprove(id);
    }
  }

  /** Starts the send in the background (false: one is running here already); progress tells how it goes. */
  async send(id: string, actor: string): Promise<{ started: boolean; edition: Edition }> {
    const curator = createCurator(this.ctx, actor);
    const edition = await curator.load(id);
    const newsletter: NewsletterConfig = curator.newsletterOf(edition);
    checkSendable(edition, newsletter);
    return { started: await this.#sends.start(edition, actor), edition };
  }

  async progress(id: string): Promise<EditionProgress> {
    await createCurator(this.ctx, 'api').load(id);
    return readEditionProgress(this.ctx, id);
  }

  /** Waits for the sends this API started (server shutdown, tests). */
  drain(): Promise<void> {
    return this.#sends.drain();
  }
}
