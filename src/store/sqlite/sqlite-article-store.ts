import type { ArticleQuery, ArticleStore, SaveOutcome, SaveReport } from '../../ingest/article-store.ts';
import type { ArticleRecord, StoredArticle } from '../../core/stored-article.ts';
import { sameArticleContent, toStoredArticle, type ArticleRow } from '../rows/article-rows.ts';
import type { SqliteDatabase } from './open-database.ts';

export class SqliteArticleStore implements ArticleStore {
  readonly #db: SqliteDatabase;
  readonly #byId;
  readonly #byHash;
  readonly #insert;
  readonly #update;
  readonly #clearCategories;
  readonly #addCategory;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#byId = db.prepare<[string], ArticleRow>('SELECT * FROM articles WHERE id = ?');
    this.#byHash = db.prepare<[string, string], { id: string }>(
      'SELECT id FROM articles WHERE content_hash = ? AND id <> ? LIMIT 1',
    );
    this.#insert = db.prepare(`
      INSERT INTO articles (id, url, title, text, description, summary, published_at, categories, category_origin,
        source, source_title, author, image_url, language, content_hash, first_seen_at, updated_at)
      VALUES (@id, @url, @title, @text, @description, @summary, @publishedAt, @categories, @categoryOrigin,
        @source, @sourceTitle, @author, @imageUrl, @language, @contentHash, @at, @at)`);
    this.#update = db.prepare(`
      UPDATE articles SET url = @url, title = @title, text = @text, description = @description, summary = @summary,
        published_at = @publishedAt, categories = @categories, category_origin = @categoryOrigin, source = @source, source_title = @sourceTitle,
        author = @author, image_url = @imageUrl, language = @language, content_hash = @contentHash, updated_at = @at
      WHERE id = @id`);
    this.#clearCategories = db.prepare('DELETE FROM article_categories WHERE article_id = ?');
    this.#addCategory = db.prepare('INSERT OR IGNORE INTO article_categories (article_id, category) VALUES (?, ?)');
  }

  async saveArticles(records: readonly ArticleRecord[], at: Date): Promise<SaveReport> {
    const stamp = at.toISOString();
    const report: SaveReport = { new: 0, updated: 0, unchanged: 0, duplicate: 0, outcomes: [] };
    // Only writes happen here (parsing, summarizing and classifying are done before), and
    // IMMEDIATE takes the write lock up front: a deferred transaction that read first could
    // fail at once with SQLITE_BUSY when another process committed in between, instead of
    // waiting its turn (store.busyTimeout).
    this.#db
      .transaction(() => {
        for (const record of records) {
          const outcome = this.#saveOne(record, stamp);
          report[outcome] += 1;
          report.outcomes.push({ id: record.id, outcome });
        }
      })
      .immediate();
    return report;
  }

  #saveOne(record: ArticleRecord, stamp: string): SaveOutcome {
    const existing = this.#byId.get(record.id);
    const params = { ...record, categories: JSON.stringify(record.categories), at: stamp };
    if (!existing) {
      // Same story under another URL (syndication, AMP copies): keep the first one.
      if (this.#byHash.get(record.contentHash, record.id)) return 'duplicate';
      this.#insert.run(params);
      this.#writeCategories(record.id, record.categories);
      return 'new';
    }
    // The same canonical URL from another source is that source's copy of a story we
    // already have: the first source keeps it (its categories, its text), so one feed
    // cannot wipe what another one said. Its own source updates it.
    if (existing.source !== record.source) return 'duplicate';
    // An editor's label outranks whatever the source says later.
    if (existing.category_origin === 'editor') {
      params.categories = existing.categories;
      params.categoryOrigin = 'editor';
      record = { ...record, categories: JSON.parse(existing.categories) as string[], categoryOrigin: 'editor' };
    }
    // An article the classifier labelled keeps that label until its source gives one.
    if (record.categoryOrigin === 'none' && existing.category_origin === 'classifier') {
      params.categories = existing.categories;
      params.categoryOrigin = 'classifier';
      record = { ...record, categories: JSON.parse(existing.categories) as string[], categoryOrigin: 'classifier' };
    }
    if (sameArticleContent(existing, record)) return 'unchanged';
    this.#update.run(params);
    this.#writeCategories(record.id, record.categories);
    return 'updated';
  }

  #writeCategories(id: string, categories: readonly string[]): void {
    this.#clearCategories.run(id);
    for (const category of categories) this.#addCategory.run(id, category);
  }

  async listArticles(query: ArticleQuery = {}): Promise<StoredArticle[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const effectiveTime = 'COALESCE(a.published_at, a.first_seen_at)';
    if (query.category) {
      where.push('a.id IN (SELECT article_id FROM article_categories WHERE category = ?)');
      params.push(query.category);
    }
    if (query.since && query.orSeenSince) {
      where.push(`(${effectiveTime} >= ? OR a.first_seen_at >= ?)`);
      params.push(query.since.toISOString(), query.orSeenSince.toISOString());
    } else if (query.since) {
      where.push(`${effectiveTime} >= ?`);
      params.push(query.since.toISOString());
    }
    if (query.until) {
      where.push(`${effectiveTime} < ?`);
      params.push(query.until.toISOString());
    }
    if (query.uncategorized) where.push(`a.category_origin = 'none'`);
    if (query.ids) {
      if (query.ids.length === 0) return [];
      where.push(`a.id IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(query.ids));
    }
    const sql =
      `SELECT a.* FROM articles a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
      `ORDER BY ${effectiveTime} DESC, a.id ${query.limit ? `LIMIT ${Math.floor(query.limit)}` : ''}`;
    return this.#db
      .prepare<unknown[], ArticleRow>(sql)
      .all(...params)
      .map(toStoredArticle);
  }

  async getArticle(id: string): Promise<StoredArticle | null> {
    const row = this.#byId.get(id);
    return row ? toStoredArticle(row) : null;
  }

  async findArticleIdsByPrefix(prefix: string, limit: number): Promise<string[]> {
    // substr rather than LIKE: ids may hold `%` or `_`, and a prefix is a prefix.
    const rows = this.#db
      .prepare<[string, string, number], { id: string }>(
        'SELECT id FROM articles WHERE substr(id, 1, length(?)) = ? ORDER BY id LIMIT ?',
      )
      .all(prefix, prefix, limit);
    return rows.map((row) => row.id);
  }

  async setClassifiedCategories(
    updates: readonly { id: string; categories: string[]; origin: 'classifier' | 'none' }[],
    at: Date,
  ): Promise<void> {
    const stamp = at.toISOString();
    const set = this.#db.prepare(
      `UPDATE articles SET categories = ?, category_origin = ?, updated_at = ? WHERE id = ? AND category_origin NOT IN ('source', 'editor')`,
    );
    this.#db
      .transaction(() => {
        for (const { id, categories, origin } of updates) {
          const changed = set.run(JSON.stringify(categories), origin, stamp, id).changes;
          if (changed) this.#writeCategories(id, categories);
        }
      })
      .immediate();
  }

  async listTrainingExamples(): Promise<{ id: string; title: string; text: string; categories: string[] }[]> {
    return this.#db
      .prepare<[], { id: string; title: string; text: string; categories: string }>(
        `SELECT id, title, text, categories FROM articles WHERE category_origin IN ('source', 'editor') ORDER BY first_seen_at, id`,
      )
      .all()
      .map((row) => ({ ...row, categories: JSON.parse(row.categories) as string[] }));
  }

  async setEditorCategory(
    id: string,
    category: string,
    configuredCategories: readonly string[],
    at: Date,
  ): Promise<StoredArticle | null> {
    return this.#db.transaction(() => {
      const row = this.#byId.get(id);
      if (!row) return null;
      const configured = new Set(configuredCategories);
      const kept = (JSON.parse(row.categories) as string[]).filter(
        (slug) => !configured.has(slug) && slug !== category,
      );
      const categories = [category, ...kept];
      this.#db
        .prepare(`UPDATE articles SET categories = ?, category_origin = 'editor', updated_at = ? WHERE id = ?`)
        .run(JSON.stringify(categories), at.toISOString(), id);
      this.#writeCategories(id, categories);
      return toStoredArticle(this.#byId.get(id)!);
    })();
  }

  async searchArticles(query: string, limit: number): Promise<StoredArticle[]> {
    const match = toFtsQuery(query);
    if (!match) return [];
    return this.#db
      .prepare<[string, number], ArticleRow>(
        `SELECT a.* FROM articles_fts f JOIN articles a ON a.rowid = f.rowid
         WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0), a.id LIMIT ?`,
      )
      .all(match, Math.max(1, Math.floor(limit)))
      .map(toStoredArticle);
  }

  async getCachedSummary(contentHash: string, version: string): Promise<string | null> {
    const row = this.#db
      .prepare<[string, string], { summary: string }>(
        'SELECT summary FROM summary_cache WHERE content_hash = ? AND version = ?',
      )
      .get(contentHash, version);
    return row?.summary ?? null;
  }

  async putCachedSummary(contentHash: string, version: string, summary: string): Promise<void> {
    this.#db
      .prepare('INSERT OR REPLACE INTO summary_cache (content_hash, version, summary) VALUES (?, ?, ?)')
      .run(contentHash, version, summary);
  }
}

/**
 * An editor's words as an FTS5 query: each word quoted (so no FTS syntax from the input
 * can reach the engine) and matched as a prefix, all words required.
 */
function toFtsQuery(query: string): string | null {
  const words = query.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length
    ? words
        .slice(0, 12)
        .map((word) => `"${word}"*`)
        .join(' ')
    : null;
}
