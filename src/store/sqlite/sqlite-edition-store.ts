import {
  snapshotOf,
  type Edition,
  type EditionArticle,
  type EditionAudience,
  type EditionStatus,
} from '../../editions/edition.ts';
import {
  toAudience,
  toEdition,
  toEditionArticle,
  type EditionArticleRow,
  type EditionRow,
} from '../rows/edition-rows.ts';
import type { Block, EditionStore, NewEdition, PickChange } from '../../editions/edition-store.ts';
import type { SqliteDatabase } from './open-database.ts';

export class SqliteEditionStore implements EditionStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  #load(row: EditionRow | undefined): Edition | null {
    if (!row) return null;
    const articles = this.#db
      .prepare<[string], EditionArticleRow>(
        `SELECT * FROM edition_articles WHERE edition_id = ? ORDER BY pinned DESC, position, article_id`,
      )
      .all(row.id)
      .map(toEditionArticle);
    return toEdition(row, articles);
  }

  async createEdition(edition: NewEdition, at: Date): Promise<Edition> {
    this.#db
      .transaction(() => {
        const inserted = this.#db
          .prepare(
            `INSERT OR IGNORE INTO editions (id, newsletter_id, slot, slot_utc, status, status_reason, built_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            edition.id,
            edition.newsletterId,
            edition.slot,
            edition.slotUtc,
            edition.status,
            edition.statusReason,
            at.toISOString(),
          );
        if (inserted.changes === 0) return;
        const insertArticle = this.#db.prepare(
          `INSERT INTO edition_articles (edition_id, article_id, category, position, snapshot) VALUES (?, ?, ?, ?, ?)`,
        );
        for (const article of edition.articles) {
          insertArticle.run(
            edition.id,
            article.articleId,
            article.category,
            article.position,
            JSON.stringify(snapshotOf(article)),
          );
        }
      })
      .immediate();
    return (await this.getEdition(edition.id))!;
  }

  async getEdition(id: string): Promise<Edition | null> {
    return this.#load(this.#db.prepare<[string], EditionRow>('SELECT * FROM editions WHERE id = ?').get(id));
  }

  async listEditions(newsletterId?: string, options: { statuses?: readonly EditionStatus[] } = {}): Promise<Edition[]> {
    const where: string[] = [];
    const values: string[] = [];
    if (newsletterId) where.push('newsletter_id = ?') && values.push(newsletterId);
    if (options.statuses)
      where.push(`status IN (${options.statuses.map(() => '?').join(', ') || 'NULL'})`) &&
        values.push(...options.statuses);
    const rows = this.#db
      .prepare<string[], EditionRow>(
        `SELECT * FROM editions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY slot_utc DESC, newsletter_id`,
      )
      .all(...values);
    return rows.map((row) => this.#load(row)!);
  }

  async findPreviousEdition(newsletterId: string, beforeUtc: Date): Promise<Edition | null> {
    const row = this.#db
      .prepare<[string, string], EditionRow>(
        `SELECT * FROM editions WHERE newsletter_id = ? AND slot_utc < ? ORDER BY slot_utc DESC LIMIT 1`,
      )
      .get(newsletterId, beforeUtc.toISOString());
    return this.#load(row);
  }

  async listUsedArticleIds(newsletterId: string, exceptEditionId?: string): Promise<Set<string>> {
    const rows = this.#db
      .prepare<[string, string], { article_id: string }>(
        `SELECT DISTINCT ea.article_id FROM edition_articles ea JOIN editions e ON e.id = ea.edition_id
         WHERE e.newsletter_id = ? AND e.id <> ? AND ea.excluded = 0 AND e.status <> 'skipped'`,
      )
      .all(newsletterId, exceptEditionId ?? '');
    return new Set(rows.map((row) => row.article_id));
  }

  async updatePick(editionId: string, articleId: string, change: PickChange): Promise<void> {
    this.#db
      .transaction(() => {
        // One top story per edition: pinning one unpins the others.
        if (change.pinned)
          this.#db.prepare('UPDATE edition_articles SET pinned = 0 WHERE edition_id = ?').run(editionId);
        const sets: string[] = [];
        const values: unknown[] = [];
        if (change.pinned !== undefined) sets.push('pinned = ?') && values.push(change.pinned ? 1 : 0);
        if (change.excluded !== undefined) sets.push('excluded = ?') && values.push(change.excluded ? 1 : 0);
        if (change.titleOverride !== undefined) sets.push('title_override = ?') && values.push(change.titleOverride);
        if (change.summaryOverride !== undefined)
          sets.push('summary_override = ?') && values.push(change.summaryOverride);
        if (sets.length === 0) return;
        this.#db
          .prepare(`UPDATE edition_articles SET ${sets.join(', ')} WHERE edition_id = ? AND article_id = ?`)
          .run(...values, editionId, articleId);
      })
      .immediate();
  }

  async setPositions(editionId: string, orderedArticleIds: readonly string[]): Promise<void> {
    const set = this.#db.prepare('UPDATE edition_articles SET position = ? WHERE edition_id = ? AND article_id = ?');
    this.#db
      .transaction(() => {
        for (const [index, id] of orderedArticleIds.entries()) set.run(index + 1, editionId, id);
      })
      .immediate();
  }

  async setIntro(editionId: string, intro: string | null): Promise<void> {
    this.#db.prepare('UPDATE editions SET intro = ? WHERE id = ?').run(intro, editionId);
  }

  async setStatus(
    editionId: string,
    status: EditionStatus,
    options: { at: Date; reason?: string | null; from?: readonly EditionStatus[]; approvedBy?: string },
  ): Promise<boolean> {
    const approved = status === 'approved' ? options.at.toISOString() : null;
    // Back to draft (changed after approval, approval withdrawn) forgets who approved.
    const forget = status === 'draft' ? ', approved_at = NULL, approved_by = NULL' : '';
    const guard = options.from ? `AND status IN (SELECT value FROM json_each(?))` : '';
    const params: unknown[] = [status, options.reason ?? null, approved, options.approvedBy ?? null, editionId];
    if (options.from) params.push(JSON.stringify(options.from));
    const result = this.#db
      .prepare(
        `UPDATE editions SET status = ?, status_reason = ?, approved_at = COALESCE(?, approved_at),
           approved_by = COALESCE(?, approved_by) ${forget} WHERE id = ? ${guard}`,
      )
      .run(...params);
    return result.changes > 0;
  }

  async addArticle(
    editionId: string,
    article: Omit<EditionArticle, 'pinned' | 'excluded' | 'position'>,
  ): Promise<boolean> {
    return this.#db.transaction(() => {
      const last = this.#db
        .prepare<[string, string], { last: number | null }>(
          'SELECT MAX(position) AS last FROM edition_articles WHERE edition_id = ? AND category = ?',
        )
        .get(editionId, article.category);
      const inserted = this.#db
        .prepare(
          `INSERT OR IGNORE INTO edition_articles (edition_id, article_id, category, position, snapshot) VALUES (?, ?, ?, ?, ?)`,
        )
        .run(
          editionId,
          article.articleId,
          article.category,
          (last?.last ?? 0) + 1,
          JSON.stringify(snapshotOf(article)),
        );
      return inserted.changes > 0;
    })();
  }

  async setArticleCategory(editionId: string, articleId: string, category: string): Promise<void> {
    this.#db.transaction(() => {
      const last = this.#db
        .prepare<[string, string], { last: number | null }>(
          'SELECT MAX(position) AS last FROM edition_articles WHERE edition_id = ? AND category = ?',
        )
        .get(editionId, category);
      this.#db
        .prepare(
          'UPDATE edition_articles SET category = ?, position = ? WHERE edition_id = ? AND article_id = ? AND category <> ?',
        )
        .run(category, (last?.last ?? 0) + 1, editionId, articleId, category);
    })();
  }

  async addBlock(newsletterId: string, block: Block): Promise<void> {
    this.#db
      .prepare(
        `INSERT OR IGNORE INTO newsletter_blocks (newsletter_id, kind, value, blocked_by, blocked_at) VALUES (?, ?, ?, ?, ?)`,
      )
      .run(newsletterId, block.kind, block.value, block.blockedBy, block.blockedAt);
  }

  async removeBlock(newsletterId: string, kind: Block['kind'], value: string): Promise<boolean> {
    return (
      this.#db
        .prepare('DELETE FROM newsletter_blocks WHERE newsletter_id = ? AND kind = ? AND value = ?')
        .run(newsletterId, kind, value).changes > 0
    );
  }

  async listBlocks(newsletterId: string): Promise<Block[]> {
    return this.#db
      .prepare<[string], Block>(
        `SELECT kind, value, blocked_by AS blockedBy, blocked_at AS blockedAt FROM newsletter_blocks
         WHERE newsletter_id = ? ORDER BY rowid`,
      )
      .all(newsletterId);
  }

  async recordAudience(
    editionId: string,
    audience: { maxSubscriberId: number; added: number },
  ): Promise<EditionAudience | null> {
    this.#db
      .prepare(
        `UPDATE editions SET audience_total = CASE WHEN audience_max_id IS NULL THEN @added ELSE audience_total + @added END,
           audience_max_id = @max WHERE id = @id AND (audience_max_id IS NULL OR audience_max_id < @max)`,
      )
      .run({ id: editionId, max: audience.maxSubscriberId, added: audience.added });
    const row = this.#db.prepare<[string], EditionRow>('SELECT * FROM editions WHERE id = ?').get(editionId);
    return row ? toAudience(row) : null;
  }

  async advanceQueue(editionId: string, afterId: number, throughId: number): Promise<boolean> {
    const result = this.#db
      .prepare('UPDATE editions SET queued_through = ? WHERE id = ? AND queued_through >= ? AND queued_through < ?')
      .run(throughId, editionId, afterId, throughId);
    return result.changes > 0;
  }

  async holdQueue(editionId: string, heldBy: string | null): Promise<void> {
    this.#db.prepare('UPDATE editions SET queue_held_by = ? WHERE id = ?').run(heldBy, editionId);
  }

  async listUnqueued(newsletterId?: string): Promise<string[]> {
    return this.#db
      .prepare<[string | null, string | null], { id: string }>(
        `SELECT id FROM editions WHERE audience_max_id IS NOT NULL AND queued_through < audience_max_id
           AND status IN ('sending', 'sent') AND (? IS NULL OR newsletter_id = ?) ORDER BY slot_utc, id`,
      )
      .all(newsletterId ?? null, newsletterId ?? null)
      .map((row) => row.id);
  }
}
