import type { ArticleQuery, ArticleStore, SaveOutcome, SaveReport } from '../../ingest/article-store.ts';
import type { ArticleRecord, StoredArticle } from '../../core/stored-article.ts';
import { sameArticleContent, toStoredArticle, type ArticleRow } from '../rows/article-rows.ts';
import type { PgDatabase, PgQueryable } from './pg-database.ts';

/** Every column but the search vector, which only the database reads. */
const COLUMNS = `a.id, a.url, a.title, a.text, a.description, a.summary, a.published_at, a.categories, a.category_origin,
  a.source, a.source_title, a.author, a.image_url, a.language, a.content_hash, a.first_seen_at, a.updated_at`;

/**
 * Article writers take this transaction-scoped lock first, so that two ingests of one
 * story never race between "is it there?" and the insert: they queue, as SQLite's
 * IMMEDIATE transactions do. Readers never wait for it.
 */
const ARTICLE_WRITE_LOCK = 7_142_062;

function valuesOf(record: ArticleRecord, categories: string, categoryOrigin: string, stamp: string): unknown[] {
  return [
    record.id,
    record.url,
    record.title,
    record.text,
    record.description,
    record.summary,
    record.publishedAt,
    categories,
    categoryOrigin,
    record.source,
    record.sourceTitle,
    record.author,
    record.imageUrl,
    record.language,
    record.contentHash,
    stamp,
  ];
}

export class PgArticleStore implements ArticleStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async saveArticles(records: readonly ArticleRecord[], at: Date): Promise<SaveReport> {
    const stamp = at.toISOString();
    const report: SaveReport = { new: 0, updated: 0, unchanged: 0, duplicate: 0, outcomes: [] };
    await this.#db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ARTICLE_WRITE_LOCK]);
      for (const record of records) {
        const outcome = await saveOne(tx, record, stamp);
        report[outcome] += 1;
        report.outcomes.push({ id: record.id, outcome });
      }
    });
    return report;
  }

  async listArticles(query: ArticleQuery = {}): Promise<StoredArticle[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const effectiveTime = 'COALESCE(a.published_at, a.first_seen_at)';
    if (query.category)
      where.push(`a.id IN (SELECT article_id FROM article_categories WHERE category = ${param(query.category)})`);
    if (query.since && query.orSeenSince) {
      where.push(
        `(${effectiveTime} >= ${param(query.since.toISOString())} OR a.first_seen_at >= ${param(query.orSeenSince.toISOString())})`,
      );
    } else if (query.since) {
      where.push(`${effectiveTime} >= ${param(query.since.toISOString())}`);
    }
    if (query.until) where.push(`${effectiveTime} < ${param(query.until.toISOString())}`);
    if (query.uncategorized) where.push(`a.category_origin = 'none'`);
    if (query.ids) {
      if (query.ids.length === 0) return [];
      where.push(`a.id = ANY(${param([...query.ids])}::text[])`);
    }
    const sql =
      `SELECT ${COLUMNS} FROM articles a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
      `ORDER BY ${effectiveTime} DESC, a.id ${query.limit ? `LIMIT ${Math.floor(query.limit)}` : ''}`;
    const { rows } = await this.#db.query<ArticleRow>(sql, params);
    return rows.map(toStoredArticle);
  }

  async getArticle(id: string): Promise<StoredArticle | null> {
    const row = await byId(this.#db, id);
    return row ? toStoredArticle(row) : null;
  }

  async findArticleIdsByPrefix(prefix: string, limit: number): Promise<string[]> {
    // starts_with rather than LIKE: ids may hold `%` or `_`, and a prefix is a prefix.
    const { rows } = await this.#db.query<{ id: string }>(
      'SELECT id FROM articles WHERE starts_with(id, $1) ORDER BY id LIMIT $2',
      [prefix, limit],
    );
    return rows.map((row) => row.id);
  }

  async setClassifiedCategories(
    updates: readonly { id: string; categories: string[]; origin: 'classifier' | 'none' }[],
    at: Date,
  ): Promise<void> {
    const stamp = at.toISOString();
    await this.#db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ARTICLE_WRITE_LOCK]);
      for (const { id, categories, origin } of updates) {
        const { rowCount } = await tx.query(
          `UPDATE articles SET categories = $1, category_origin = $2, updated_at = $3 WHERE id = $4 AND category_origin NOT IN ('source', 'editor')`,
          [JSON.stringify(categories), origin, stamp, id],
        );
        if (rowCount) await writeCategories(tx, id, categories);
      }
    });
  }

  async listTrainingExamples(): Promise<{ id: string; title: string; text: string; categories: string[] }[]> {
    const { rows } = await this.#db.query<{ id: string; title: string; text: string; categories: string }>(
      `SELECT id, title, text, categories FROM articles WHERE category_origin IN ('source', 'editor') ORDER BY first_seen_at, id`,
    );
    return rows.map((row) => ({ ...row, categories: JSON.parse(row.categories) as string[] }));
  }

  async setEditorCategory(
    id: string,
    category: string,
    configuredCategories: readonly string[],
    at: Date,
  ): Promise<StoredArticle | null> {
    return this.#db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ARTICLE_WRITE_LOCK]);
      const row = await byId(tx, id);
      if (!row) return null;
      const configured = new Set(configuredCategories);
      const kept = (JSON.parse(row.categories) as string[]).filter(
        (slug) => !configured.has(slug) && slug !== category,
      );
      const categories = [category, ...kept];
      await tx.query(`UPDATE articles SET categories = $1, category_origin = 'editor', updated_at = $2 WHERE id = $3`, [
        JSON.stringify(categories),
        at.toISOString(),
        id,
      ]);
      await writeCategories(tx, id, categories);
      return toStoredArticle((await byId(tx, id))!);
    });
  }

  async searchArticles(query: string, limit: number): Promise<StoredArticle[]> {
    const match = toTsQuery(query);
    if (!match) return [];
    // Weights {D, C, B, A}: a word in the title counts five times one in the text (sqlite: bm25 5.0, 1.0).
    const { rows } = await this.#db.query<ArticleRow>(
      `SELECT ${COLUMNS} FROM articles a, to_tsquery('simple', tidings_fold($1)) q
       WHERE a.search @@ q ORDER BY ts_rank('{0.1, 0.1, 0.2, 1.0}', a.search, q) DESC, a.id LIMIT $2`,
      [match, Math.max(1, Math.floor(limit))],
    );
    return rows.map(toStoredArticle);
  }

  async getCachedSummary(contentHash: string, version: string): Promise<string | null> {
    const { rows } = await this.#db.query<{ summary: string }>(
      'SELECT summary FROM summary_cache WHERE content_hash = $1 AND version = $2',
      [contentHash, version],
    );
    return rows[0]?.summary ?? null;
  }

  async putCachedSummary(contentHash: string, version: string, summary: string): Promise<void> {
    await this.#db.query(
      `INSERT INTO summary_cache (content_hash, version, summary) VALUES ($1, $2, $3)
       ON CONFLICT (content_hash, version) DO UPDATE SET summary = excluded.summary`,
      [contentHash, version, summary],
    );
  }
}

async function byId(db: PgQueryable, id: string): Promise<ArticleRow | undefined> {
  const { rows } = await db.query<ArticleRow>(`SELECT ${COLUMNS} FROM articles a WHERE a.id = $1`, [id]);
  return rows[0];
}

/** The same rules as the SQLite store: first copy wins, editor and classifier labels are kept. */
async function saveOne(tx: PgQueryable, record: ArticleRecord, stamp: string): Promise<SaveOutcome> {
  const existing = await byId(tx, record.id);
  if (!existing) {
    // Same story under another URL (syndication, AMP copies): keep the first one.
    const { rowCount } = await tx.query('SELECT 1 FROM articles WHERE content_hash = $1 AND id <> $2 LIMIT 1', [
      record.contentHash,
      record.id,
    ]);
    if (rowCount) return 'duplicate';
    await tx.query(
      `INSERT INTO articles (id, url, title, text, description, summary, published_at, categories, category_origin,
         source, source_title, author, image_url, language, content_hash, first_seen_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)`,
      valuesOf(record, JSON.stringify(record.categories), record.categoryOrigin, stamp),
    );
    await writeCategories(tx, record.id, record.categories);
    return 'new';
  }
  // Another source's copy of a story we already have: the first source keeps it.
  if (existing.source !== record.source) return 'duplicate';
  // An editor's label outranks whatever the source says later; a classifier's stays until the source gives one.
  if (
    existing.category_origin === 'editor' ||
    (record.categoryOrigin === 'none' && existing.category_origin === 'classifier')
  ) {
    record = {
      ...record,
      categories: JSON.parse(existing.categories) as string[],
      categoryOrigin: existing.category_origin,
    };
  }
  if (sameArticleContent(existing, record)) return 'unchanged';
  await tx.query(
    `UPDATE articles SET url = $2, title = $3, text = $4, description = $5, summary = $6, published_at = $7, categories = $8,
       category_origin = $9, source = $10, source_title = $11, author = $12, image_url = $13, language = $14, content_hash = $15,
       updated_at = $16
     WHERE id = $1`,
    valuesOf(record, JSON.stringify(record.categories), record.categoryOrigin, stamp),
  );
  await writeCategories(tx, record.id, record.categories);
  return 'updated';
}

async function writeCategories(tx: PgQueryable, id: string, categories: readonly string[]): Promise<void> {
  await tx.query('DELETE FROM article_categories WHERE article_id = $1', [id]);
  if (categories.length === 0) return;
  await tx.query(
    'INSERT INTO article_categories (article_id, category) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
    [id, [...categories]],
  );
}

/**
 * An editor's words as a tsquery: only letters and digits survive (no tsquery syntax
 * from the input reaches the engine), each word a prefix, all words required.
 */
function toTsQuery(query: string): string | null {
  const words = query.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length
    ? words
        .slice(0, 12)
        .map((word) => `${word}:*`)
        .join(' & ')
    : null;
}
