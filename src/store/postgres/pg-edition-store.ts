import {
  snapshotOf,
  type Edition,
  type EditionArticle,
  type EditionAudience,
  type EditionStatus,
} from '../../editions/edition.ts';
import {
  EDITION_COLUMNS,
  toAudience,
  toEdition,
  toEditionArticle,
  type EditionArticleRow,
  type EditionRow,
} from '../rows/edition-rows.ts';
import type { Block, EditionStore, NewEdition, PickChange } from '../../editions/edition-store.ts';
import type { PgDatabase, PgQueryable } from './pg-database.ts';

export class PgEditionStore implements EditionStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  /** Editions with their articles: two queries whatever the number of editions. */
  async #load(rows: readonly EditionRow[], db: PgQueryable = this.#db): Promise<Edition[]> {
    if (rows.length === 0) return [];
    const { rows: articleRows } = await db.query<EditionArticleRow & { edition_id: string }>(
      `SELECT * FROM edition_articles WHERE edition_id = ANY($1::text[]) ORDER BY edition_id, pinned DESC, position, article_id`,
      [rows.map((row) => row.id)],
    );
    const byEdition = new Map<string, EditionArticle[]>();
    for (const row of articleRows) {
      const list = byEdition.get(row.edition_id) ?? [];
      list.push(toEditionArticle(row));
      byEdition.set(row.edition_id, list);
    }
    return rows.map((row) => toEdition(row, byEdition.get(row.id) ?? []));
  }

  async createEdition(edition: NewEdition, at: Date): Promise<Edition> {
    await this.#db.transaction(async (tx) => {
      // Another process building the same slot: the first insert wins, this one keeps it.
      const { rowCount } = await tx.query(
        `INSERT INTO editions (id, newsletter_id, slot, slot_utc, status, status_reason, built_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [
          edition.id,
          edition.newsletterId,
          edition.slot,
          edition.slotUtc,
          edition.status,
          edition.statusReason,
          at.toISOString(),
        ],
      );
      if (!rowCount || edition.articles.length === 0) return;
      await tx.query(
        `INSERT INTO edition_articles (edition_id, article_id, category, position, snapshot)
         SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::int[], $5::text[])`,
        [
          edition.id,
          edition.articles.map((a) => a.articleId),
          edition.articles.map((a) => a.category),
          edition.articles.map((a) => a.position),
          edition.articles.map((a) => JSON.stringify(snapshotOf(a))),
        ],
      );
    });
    return (await this.getEdition(edition.id))!;
  }

  async getEdition(id: string): Promise<Edition | null> {
    const { rows } = await this.#db.query<EditionRow>(`SELECT ${EDITION_COLUMNS} FROM editions WHERE id = $1`, [id]);
    return (await this.#load(rows))[0] ?? null;
  }

  async listEditions(newsletterId?: string, options: { statuses?: readonly EditionStatus[] } = {}): Promise<Edition[]> {
    const { rows } = await this.#db.query<EditionRow>(
      `SELECT ${EDITION_COLUMNS} FROM editions WHERE ($1::text IS NULL OR newsletter_id = $1) AND ($2::text[] IS NULL OR status = ANY($2::text[]))
        ORDER BY slot_utc DESC, newsletter_id`,
      [newsletterId ?? null, options.statuses ? [...options.statuses] : null],
    );
    return this.#load(rows);
  }

  async findPreviousEdition(newsletterId: string, beforeUtc: Date): Promise<Edition | null> {
    const { rows } = await this.#db.query<EditionRow>(
      `SELECT ${EDITION_COLUMNS} FROM editions WHERE newsletter_id = $1 AND slot_utc < $2 ORDER BY slot_utc DESC LIMIT 1`,
      [newsletterId, beforeUtc.toISOString()],
    );
    return (await this.#load(rows))[0] ?? null;
  }

  async listUsedArticleIds(newsletterId: string, exceptEditionId?: string): Promise<Set<string>> {
    const { rows } = await this.#db.query<{ article_id: string }>(
      `SELECT DISTINCT ea.article_id FROM edition_articles ea JOIN editions e ON e.id = ea.edition_id
       WHERE e.newsletter_id = $1 AND e.id <> $2 AND ea.excluded = 0 AND e.status <> 'skipped'`,
      [newsletterId, exceptEditionId ?? ''],
    );
    return new Set(rows.map((row) => row.article_id));
  }

  async updatePick(editionId: string, articleId: string, change: PickChange): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [editionId, articleId];
    const set = (column: string, value: unknown) => sets.push(`${column} = $${values.push(value)}`);
    if (change.pinned !== undefined) set('pinned', change.pinned ? 1 : 0);
    if (change.excluded !== undefined) set('excluded', change.excluded ? 1 : 0);
    if (change.titleOverride !== undefined) set('title_override', change.titleOverride);
    if (change.summaryOverride !== undefined) set('summary_override', change.summaryOverride);
    await this.#db.transaction(async (tx) => {
      // One top story per edition: pinning one unpins the others.
      if (change.pinned) await tx.query('UPDATE edition_articles SET pinned = 0 WHERE edition_id = $1', [editionId]);
      if (sets.length === 0) return;
      await tx.query(
        `UPDATE edition_articles SET ${sets.join(', ')} WHERE edition_id = $1 AND article_id = $2`,
        values,
      );
    });
  }

  async setPositions(editionId: string, orderedArticleIds: readonly string[]): Promise<void> {
    if (orderedArticleIds.length === 0) return;
    await this.#db.query(
      `UPDATE edition_articles ea SET position = o.position
       FROM unnest($2::text[]) WITH ORDINALITY AS o(article_id, position)
       WHERE ea.edition_id = $1 AND ea.article_id = o.article_id`,
      [editionId, [...orderedArticleIds]],
    );
  }

  async setIntro(editionId: string, intro: string | null): Promise<void> {
    await this.#db.query('UPDATE editions SET intro = $1 WHERE id = $2', [intro, editionId]);
  }

  async setStatus(
    editionId: string,
    status: EditionStatus,
    options: { at: Date; reason?: string | null; from?: readonly EditionStatus[]; approvedBy?: string },
  ): Promise<boolean> {
    const params: unknown[] = [editionId, status, options.reason ?? null];
    const param = (value: unknown) => `$${params.push(value)}`;
    // Back to draft (changed after approval, approval withdrawn) forgets who approved.
    const approval =
      status === 'draft'
        ? 'approved_at = NULL, approved_by = NULL'
        : `approved_at = COALESCE(${param(status === 'approved' ? options.at.toISOString() : null)}::text, approved_at),
           approved_by = COALESCE(${param(options.approvedBy ?? null)}::text, approved_by)`;
    // The status lock: one UPDATE with the expected statuses in its WHERE, so two runs cannot both win.
    const guard = options.from ? `AND status = ANY(${param([...options.from])}::text[])` : '';
    const { rowCount } = await this.#db.query(
      `UPDATE editions SET status = $2, status_reason = $3, ${approval} WHERE id = $1 ${guard}`,
      params,
    );
    return (rowCount ?? 0) > 0;
  }

  async addArticle(
    editionId: string,
    article: Omit<EditionArticle, 'pinned' | 'excluded' | 'position'>,
  ): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      // The edition's row lock: two additions to one section get positions one after the other.
      await tx.query('SELECT 1 FROM editions WHERE id = $1 FOR UPDATE', [editionId]);
      const { rowCount } = await tx.query(
        `INSERT INTO edition_articles (edition_id, article_id, category, position, snapshot)
         SELECT $1::text, $2::text, $3::text, COALESCE(MAX(position), 0) + 1, $4::text FROM edition_articles WHERE edition_id = $1 AND category = $3
         ON CONFLICT DO NOTHING`,
        [editionId, article.articleId, article.category, JSON.stringify(snapshotOf(article))],
      );
      return (rowCount ?? 0) > 0;
    });
  }

  async setArticleCategory(editionId: string, articleId: string, category: string): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM editions WHERE id = $1 FOR UPDATE', [editionId]);
      await tx.query(
        `UPDATE edition_articles SET category = $3,
           position = (SELECT COALESCE(MAX(position), 0) + 1 FROM edition_articles WHERE edition_id = $1 AND category = $3)
         WHERE edition_id = $1 AND article_id = $2 AND category <> $3`,
        [editionId, articleId, category],
      );
    });
  }

  async addBlock(newsletterId: string, block: Block): Promise<void> {
    await this.#db.query(
      `INSERT INTO newsletter_blocks (newsletter_id, kind, value, blocked_by, blocked_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [newsletterId, block.kind, block.value, block.blockedBy, block.blockedAt],
    );
  }

  async removeBlock(newsletterId: string, kind: Block['kind'], value: string): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      'DELETE FROM newsletter_blocks WHERE newsletter_id = $1 AND kind = $2 AND value = $3',
      [newsletterId, kind, value],
    );
    return (rowCount ?? 0) > 0;
  }

  async listBlocks(newsletterId: string): Promise<Block[]> {
    const { rows } = await this.#db.query<Block>(
      `SELECT kind, value, blocked_by AS "blockedBy", blocked_at AS "blockedAt" FROM newsletter_blocks WHERE newsletter_id = $1 ORDER BY seq`,
      [newsletterId],
    );
    return rows;
  }

  async recordAudience(
    editionId: string,
    audience: { maxSubscriberId: number; added: number },
  ): Promise<EditionAudience | null> {
    await this.#db.query(
      `UPDATE editions SET audience_total = CASE WHEN audience_max_id IS NULL THEN $3 ELSE audience_total + $3 END,
         audience_max_id = $2 WHERE id = $1 AND (audience_max_id IS NULL OR audience_max_id < $2)`,
      [editionId, audience.maxSubscriberId, audience.added],
    );
    const { rows } = await this.#db.query<EditionRow>(`SELECT ${EDITION_COLUMNS} FROM editions WHERE id = $1`, [
      editionId,
    ]);
    return rows[0] ? toAudience(rows[0]) : null;
  }

  async advanceQueue(editionId: string, afterId: number, throughId: number): Promise<boolean> {
    const result = await this.#db.query(
      'UPDATE editions SET queued_through = $4 WHERE id = $1 AND queued_through >= $2 AND queued_through < $3',
      [editionId, afterId, throughId, throughId],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async holdQueue(editionId: string, heldBy: string | null): Promise<void> {
    await this.#db.query('UPDATE editions SET queue_held_by = $2 WHERE id = $1', [editionId, heldBy]);
  }

  async listUnqueued(newsletterId?: string): Promise<string[]> {
    const { rows } = await this.#db.query<{ id: string }>(
      `SELECT id FROM editions WHERE audience_max_id IS NOT NULL AND queued_through < audience_max_id
         AND status IN ('sending', 'sent') AND ($1::text IS NULL OR newsletter_id = $1::text) ORDER BY slot_utc, id`,
      [newsletterId ?? null],
    );
    return rows.map((row) => row.id);
  }
}
