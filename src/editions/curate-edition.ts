import type { Clock } from '../core/clock.ts';
import { TidingsError } from '../core/errors.ts';
import type { Edition, EditionArticle } from './edition.ts';
import type { EditionStore, PickChange } from './edition-store.ts';

/**
 * Editor operations on a built edition. Content can change while an edition is a
 * draft or approved; a change to an approved edition sends it back to draft so the
 * editor approves exactly what will be sent.
 */
export class EditionCurator {
  readonly #editions: EditionStore;
  readonly #clock: Clock;

  constructor(editions: EditionStore, clock: Clock) {
    this.#editions = editions;
    this.#clock = clock;
  }

  async load(editionId: string): Promise<Edition> {
    const edition = await this.#editions.getEdition(editionId);
    if (!edition) throw new TidingsError('EDITION_NOT_FOUND', `no edition "${editionId}" (see: tidings edition list)`);
    return edition;
  }

  async #editable(editionId: string, articleId?: string): Promise<{ edition: Edition; article: EditionArticle | undefined }> {
    const edition = await this.load(editionId);
    if (edition.status === 'sending' || edition.status === 'sent') {
      throw new TidingsError('EDITION_STATE', `edition ${editionId} is ${edition.status}: its content can no longer change`);
    }
    const article = articleId ? findArticle(edition, articleId) : undefined;
    return { edition, article };
  }

  async #changed(edition: Edition): Promise<Edition> {
    if (edition.status === 'approved') {
      await this.#editions.setStatus(edition.id, 'draft', { at: this.#clock.now(), reason: 'changed after approval', from: ['approved'] });
    }
    return this.load(edition.id);
  }

  async pick(editionId: string, articleId: string, change: PickChange): Promise<Edition> {
    const { edition, article } = await this.#editable(editionId, articleId);
    await this.#editions.updatePick(edition.id, article!.articleId, change);
    return this.#changed(edition);
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
    const section = edition.articles
      .filter((a) => a.category === article!.category)
      .sort((a, b) => a.position - b.position);
    const shown = (a: EditionArticle) => !a.pinned && !a.excluded;
    const visible = section.filter((a) => shown(a) && a.articleId !== article!.articleId).map((a) => a.articleId);
    const index = Math.min(Math.max(position, 1), visible.length + 1) - 1;
    visible.splice(index, 0, article!.articleId);
    const aside = section.filter((a) => !shown(a) && a.articleId !== article!.articleId).map((a) => a.articleId);
    await this.#editions.setPositions(edition.id, [...visible, ...aside]);
    return this.#changed(edition);
  }

  async setIntro(editionId: string, intro: string | null): Promise<Edition> {
    const { edition } = await this.#editable(editionId);
    const clean = intro?.replace(/\r\n?/g, '\n').trim() || null;
    await this.#editions.setIntro(edition.id, clean);
    return this.#changed(edition);
  }

  async approve(editionId: string, approvedBy: string): Promise<Edition> {
    const { edition } = await this.#editable(editionId);
    if (edition.status === 'skipped') {
      throw new TidingsError('EDITION_STATE', `edition ${editionId} was skipped (${edition.statusReason ?? 'no reason'}): nothing to approve`);
    }
    await this.#editions.setStatus(edition.id, 'approved', { at: this.#clock.now(), approvedBy, from: ['draft', 'approved'] });
    return this.load(edition.id);
  }
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
