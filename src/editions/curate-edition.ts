import type { CategoryConfig, NewsletterConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import { TidingsError } from '../core/errors.ts';
import type { ArticleStore } from '../ingest/article-store.ts';
import type { StoredArticle } from '../core/stored-article.ts';
import type { AuditLog } from './audit-log.ts';
import { windowCandidates } from './build-edition.ts';
import type { Edition, EditionArticle } from './edition.ts';
import type { EditionStore, PickChange } from './edition-store.ts';

/** What curation works on; the CLI and the desk wire the same one. */
export interface CurationDeps {
  editions: EditionStore;
  articles: ArticleStore;
  audit: AuditLog;
  clock: Clock;
  newsletters: readonly NewsletterConfig[];
  categories: Record<string, CategoryConfig>;
}

/**
 * Editor operations on a built edition, on behalf of one actor (an editor's name, or
 * `cli`), each recorded in the audit log. Content can change while an edition is a
 * draft or approved; a change to an approved edition sends it back to draft so the
 * editor approves exactly what will be sent. Sending or sent editions are read-only.
 */
export class EditionCurator {
  readonly #deps: CurationDeps;
  readonly actor: string;

  constructor(deps: CurationDeps, actor: string) {
    this.#deps = deps;
    this.actor = actor;
  }

  async load(editionId: string): Promise<Edition> {
    const edition = await this.#deps.editions.getEdition(editionId);
    if (!edition) throw new TidingsError('EDITION_NOT_FOUND', `no edition "${editionId}" (see: tidings edition list)`);
    return edition;
  }

  newsletterOf(edition: Edition): NewsletterConfig {
    const newsletter = this.#deps.newsletters.find((n) => n.id === edition.newsletterId);
    if (!newsletter)
      throw new TidingsError(
        'INPUT_INVALID',
        `edition ${edition.id}: newsletter "${edition.newsletterId}" is no longer configured`,
      );
    return newsletter;
  }

  async #editable(
    editionId: string,
    articleId?: string,
  ): Promise<{ edition: Edition; article: EditionArticle | undefined }> {
    const edition = await this.load(editionId);
    if (edition.status === 'sending' || edition.status === 'sent') {
      throw new TidingsError(
        'EDITION_STATE',
        `edition ${editionId} is ${edition.status}: its content can no longer change`,
      );
    }
    const article = articleId ? findArticle(edition, articleId) : undefined;
    return { edition, article };
  }

  async #record(
    edition: Pick<Edition, 'id' | 'newsletterId'>,
    action: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await this.#deps.audit.record({
      at: this.#deps.clock.now().toISOString(),
      actor: this.actor,
      action,
      newsletterId: edition.newsletterId,
      editionId: edition.id,
      details,
    });
  }

  async #changed(edition: Edition, action: string, details: Record<string, unknown>): Promise<Edition> {
    if (edition.status === 'approved') {
      await this.#deps.editions.setStatus(edition.id, 'draft', {
        at: this.#deps.clock.now(),
        reason: 'changed after approval',
        from: ['approved'],
      });
    }
    await this.#record(edition, action, details);
    return this.load(edition.id);
  }

  async pick(editionId: string, articleId: string, change: PickChange): Promise<Edition> {
    const { edition, article } = await this.#editable(editionId, articleId);
    await this.#deps.editions.updatePick(edition.id, article!.articleId, change);
    return this.#changed(edition, 'pick', { articleId: article!.articleId, title: article!.title, ...change });
  }

  async exclude(editionId: string, articleId: string, excluded = true): Promise<Edition> {
    return this.pick(editionId, articleId, { excluded, ...(excluded ? { pinned: false } : {}) });
  }

  /**
   * Moves an article to a 1-based position within its section, counted among the
   * section's articles as the reader sees them (the pinned top story and excluded
   * articles aside), as `edition show` numbers them. Past the end means last.
   */
  async move(editionId: string, articleId: string, position: number): Promise<Edition> {
    const { edition, article } = await this.#editable(editionId, articleId);
    const shown = (a: EditionArticle) => !a.pinned && !a.excluded;
    const section = sectionOf(edition, article!.category);
    const visible = section.filter((a) => shown(a) && a.articleId !== article!.articleId).map((a) => a.articleId);
    const index = Math.min(Math.max(position, 1), visible.length + 1) - 1;
    visible.splice(index, 0, article!.articleId);
    const aside = section.filter((a) => !shown(a) && a.articleId !== article!.articleId).map((a) => a.articleId);
    await this.#deps.editions.setPositions(edition.id, [...visible, ...aside]);
    return this.#changed(edition, 'move', {
      articleId: article!.articleId,
      title: article!.title,
      position: index + 1,
    });
  }

  /** Sets a whole section's order at once (the desk's drag and drop); ids not given keep their order after the given ones. */
  async reorder(editionId: string, category: string, orderedArticleIds: readonly string[]): Promise<Edition> {
    const { edition } = await this.#editable(editionId);
    const section = sectionOf(edition, category).map((a) => a.articleId);
    const given = orderedArticleIds.filter((id) => section.includes(id));
    const rest = section.filter((id) => !given.includes(id));
    await this.#deps.editions.setPositions(edition.id, [...new Set([...given, ...rest])]);
    return this.#changed(edition, 'reorder', { category, order: given });
  }

  async setIntro(editionId: string, intro: string | null): Promise<Edition> {
    const { edition } = await this.#editable(editionId);
    const clean = intro?.replace(/\r\n?/g, '\n').trim() || null;
    await this.#deps.editions.setIntro(edition.id, clean);
    return this.#changed(edition, 'intro', { intro: clean });
  }

  /**
   * Adds a stored article to the edition (one the per-category cap left out, or one
   * found by search), last in its section: the given category, else the first of the
   * newsletter's categories it carries. An excluded article is included again.
   */
  async add(editionId: string, idOrPrefix: string, category?: string): Promise<Edition> {
    const { edition } = await this.#editable(editionId);
    const newsletter = this.newsletterOf(edition);
    const article = await this.#storedArticle(idOrPrefix);
    const articleId = article.id;
    const present = edition.articles.find((a) => a.articleId === articleId);
    if (present) {
      if (!present.excluded)
        throw new TidingsError('INPUT_INVALID', `article ${articleId} is already in edition ${edition.id}`);
      return this.exclude(editionId, articleId, false);
    }
    const section =
      category ??
      newsletter.categories.find((slug) => article.categories.includes(slug)) ??
      (newsletter.otherSection && article.categoryOrigin === 'none' ? newsletter.otherSection : undefined);
    if (!section || !newsletter.categories.includes(section)) {
      const known = newsletter.categories.join(', ');
      throw new TidingsError(
        'INPUT_INVALID',
        `article ${articleId} needs a section of ${newsletter.id} (one of: ${known})`,
      );
    }
    await this.#deps.editions.addArticle(edition.id, {
      articleId: article.id,
      category: section,
      ...snapshotFields(article),
    });
    return this.#changed(edition, 'add', { articleId: article.id, title: article.title, category: section });
  }

  /** A stored article by id or unambiguous id prefix, as `edition show` and `tidings articles` print them. */
  async #storedArticle(idOrPrefix: string): Promise<StoredArticle> {
    const exact = await this.#deps.articles.getArticle(idOrPrefix);
    if (exact) return exact;
    const ids = idOrPrefix ? await this.#deps.articles.findArticleIdsByPrefix(idOrPrefix, 2) : [];
    if (ids.length === 0)
      throw new TidingsError('INPUT_INVALID', `no stored article "${idOrPrefix}" (see: tidings articles)`);
    if (ids.length > 1)
      throw new TidingsError(
        'INPUT_INVALID',
        `article "${idOrPrefix}" matches several stored articles; type more of its id`,
      );
    const article = await this.#deps.articles.getArticle(ids[0]!);
    if (!article) throw new TidingsError('INPUT_INVALID', `no stored article "${idOrPrefix}" (see: tidings articles)`);
    return article;
  }

  /**
   * Gives an article the editor's category: stored with origin 'editor' (it outranks the
   * source's and the classifier's label, and trains the classifier on its next run), and
   * moved to that section of this edition.
   */
  async recategorize(editionId: string, articleId: string, category: string): Promise<Edition> {
    const { edition, article } = await this.#editable(editionId, articleId);
    const newsletter = this.newsletterOf(edition);
    if (!newsletter.categories.includes(category)) {
      throw new TidingsError(
        'INPUT_INVALID',
        `"${category}" is not a section of ${newsletter.id} (one of: ${newsletter.categories.join(', ')})`,
      );
    }
    const configured = Object.keys(this.#deps.categories);
    await this.#deps.articles.setEditorCategory(article!.articleId, category, configured, this.#deps.clock.now());
    await this.#deps.editions.setArticleCategory(edition.id, article!.articleId, category);
    return this.#changed(edition, 'recategorize', {
      articleId: article!.articleId,
      title: article!.title,
      from: article!.category,
      to: category,
    });
  }

  /**
   * Keeps an article, or every article of its source, out of this newsletter's later
   * editions; in this edition (when it can still change) they are excluded now.
   */
  async block(editionId: string, articleId: string, scope: 'article' | 'source'): Promise<Edition> {
    const edition = await this.load(editionId);
    const article = findArticle(edition, articleId);
    const value = scope === 'article' ? article.articleId : article.source;
    await this.#deps.editions.addBlock(edition.newsletterId, {
      kind: scope,
      value,
      blockedBy: this.actor,
      blockedAt: this.#deps.clock.now().toISOString(),
    });
    const readOnly = edition.status === 'sending' || edition.status === 'sent';
    if (!readOnly) {
      const hit = edition.articles.filter(
        (a) => (scope === 'article' ? a.articleId === value : a.source === value) && !a.excluded,
      );
      for (const a of hit)
        await this.#deps.editions.updatePick(edition.id, a.articleId, { excluded: true, pinned: false });
      if (hit.length)
        return this.#changed(edition, 'block', {
          scope,
          value,
          title: article.title,
          sourceTitle: article.sourceTitle,
        });
    }
    await this.#record(edition, 'block', { scope, value, title: article.title, sourceTitle: article.sourceTitle });
    return this.load(edition.id);
  }

  async approve(editionId: string): Promise<Edition> {
    const { edition } = await this.#editable(editionId);
    if (edition.status === 'skipped') {
      throw new TidingsError(
        'EDITION_STATE',
        `edition ${editionId} was skipped (${edition.statusReason ?? 'no reason'}): nothing to approve`,
      );
    }
    await this.#deps.editions.setStatus(edition.id, 'approved', {
      at: this.#deps.clock.now(),
      approvedBy: this.actor,
      from: ['draft', 'approved'],
    });
    await this.#record(edition, 'approve');
    return this.load(edition.id);
  }

  async unapprove(editionId: string): Promise<Edition> {
    const { edition } = await this.#editable(editionId);
    if (edition.status !== 'approved')
      throw new TidingsError('EDITION_STATE', `edition ${editionId} is ${edition.status}, not approved`);
    await this.#deps.editions.setStatus(edition.id, 'draft', {
      at: this.#deps.clock.now(),
      reason: `approval withdrawn by ${this.actor}`,
      from: ['approved'],
    });
    await this.#record(edition, 'unapprove', { approvedBy: edition.approvedBy });
    return this.load(edition.id);
  }

  /**
   * Articles the edition could have drawn from but does not carry (what the caps left
   * out), newest first: the builder's own candidates (windowCandidates), so `since-last`
   * counts an article by when it was first seen, as the builder does.
   */
  async listAddable(editionId: string, limit = 50): Promise<StoredArticle[]> {
    const edition = await this.load(editionId);
    const newsletter = this.newsletterOf(edition);
    const { allowed, used } = await windowCandidates(newsletter, new Date(edition.slot), edition.id, this.#deps);
    // Other sources' copies of a story in the edition are in it as "also in" links.
    const inEdition = new Set(
      edition.articles
        .filter((a) => !a.excluded)
        .flatMap((a) => [a.articleId, ...(a.alsoIn ?? []).map((link) => link.articleId)]),
    );
    return allowed.filter((a) => !inEdition.has(a.id) && !used.has(a.id)).slice(0, limit);
  }

  /** Full-text search over the whole store, for articles outside the window. */
  async search(query: string, limit = 30): Promise<StoredArticle[]> {
    return this.#deps.articles.searchArticles(query, limit);
  }
}

function sectionOf(edition: Edition, category: string): EditionArticle[] {
  return edition.articles.filter((a) => a.category === category).sort((a, b) => a.position - b.position);
}

function snapshotFields(article: StoredArticle) {
  const { title, summary, url, source, sourceTitle, author, imageUrl, publishedAt } = article;
  return { title, summary, url, source, sourceTitle: sourceTitle || source, author, imageUrl, publishedAt };
}

/** Finds an article by id or by an unambiguous id prefix (ids are long; editors type prefixes). */
export function findArticle(edition: Edition, idOrPrefix: string): EditionArticle {
  const exact = edition.articles.find((a) => a.articleId === idOrPrefix);
  if (exact) return exact;
  const matches = edition.articles.filter((a) => a.articleId.startsWith(idOrPrefix));
  if (matches.length === 1) return matches[0]!;
  const why = matches.length === 0 ? 'is not in' : 'matches several articles of';
  throw new TidingsError('INPUT_INVALID', `article "${idOrPrefix}" ${why} edition ${edition.id}`);
}
