import type { LlmSummaryCacheStore, LlmSummaryKey } from '../../content/llm/llm-summary-cache-store.ts';
import type { PgDatabase } from './pg-database.ts';

/** One row per (content hash, model, variant); each write is one statement. */
export class PgLlmSummaryCacheStore implements LlmSummaryCacheStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async getLlmSummary(key: LlmSummaryKey): Promise<string | null> {
    const { rows } = await this.#db.query<{ summary: string }>(
      'SELECT summary FROM llm_summary_cache WHERE content_hash = $1 AND model = $2 AND variant = $3',
      [key.contentHash, key.model, key.variant],
    );
    return rows[0]?.summary ?? null;
  }

  async putLlmSummary(key: LlmSummaryKey, summary: string, at: Date): Promise<void> {
    await this.#db.query(
      `INSERT INTO llm_summary_cache (content_hash, model, variant, summary, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (content_hash, model, variant) DO UPDATE SET summary = excluded.summary, created_at = excluded.created_at`,
      [key.contentHash, key.model, key.variant, summary, at.toISOString()],
    );
  }
}
