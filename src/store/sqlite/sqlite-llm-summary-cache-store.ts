import type { LlmSummaryCacheStore, LlmSummaryKey } from '../../content/llm/llm-summary-cache-store.ts';
import type { SqliteDatabase } from './open-database.ts';

/** One row per (content hash, model, variant); each write is one statement. */
export class SqliteLlmSummaryCacheStore implements LlmSummaryCacheStore {
  private readonly statements;

  constructor(db: SqliteDatabase) {
    this.statements = {
      get: db.prepare<[string, string, string], { summary: string }>(
        'SELECT summary FROM llm_summary_cache WHERE content_hash = ? AND model = ? AND variant = ?',
      ),
      put: db.prepare(
        `INSERT INTO llm_summary_cache (content_hash, model, variant, summary, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (content_hash, model, variant) DO UPDATE SET summary = excluded.summary, created_at = excluded.created_at`,
      ),
    };
  }

  async getLlmSummary(key: LlmSummaryKey): Promise<string | null> {
    return this.statements.get.get(key.contentHash, key.model, key.variant)?.summary ?? null;
  }

  async putLlmSummary(key: LlmSummaryKey, summary: string, at: Date): Promise<void> {
    this.statements.put.run(key.contentHash, key.model, key.variant, summary, at.toISOString());
  }
}
