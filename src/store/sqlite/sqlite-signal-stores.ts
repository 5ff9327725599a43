import type { ApprovalLinkStore, UsedApprovalLink } from '../../signal/approval-link-store.ts';
import type { ClickCount, ClickKey, ClickStore } from '../../signal/click-store.ts';
import {
  CLICK_ORDER,
  toClickCount,
  toUsedApprovalLink,
  type ApprovalLinkRow,
  type ClickCountRow,
} from '../rows/signal-rows.ts';
import type { SqliteDatabase } from './open-database.ts';

export class SqliteClickStore implements ClickStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async add(key: ClickKey, kind: 'clicks' | 'filtered'): Promise<void> {
    const column = kind === 'clicks' ? 'clicks' : 'filtered';
    this.#db
      .prepare(
        `INSERT INTO click_counts (edition_id, newsletter_id, slot_utc, article_id, section, source, ${column})
         VALUES (?, ?, ?, ?, ?, ?, 1)
         ON CONFLICT (edition_id, article_id, section) DO UPDATE SET ${column} = ${column} + 1`,
      )
      .run(key.editionId, key.newsletterId, key.slotUtc, key.articleId, key.section, key.source);
  }

  async listForEdition(editionId: string): Promise<ClickCount[]> {
    return this.#db
      .prepare<[string], ClickCountRow>(`SELECT * FROM click_counts WHERE edition_id = ? ${CLICK_ORDER}`)
      .all(editionId)
      .map(toClickCount);
  }

  async listSince(sinceUtc: Date, newsletterId?: string): Promise<ClickCount[]> {
    const params: string[] = [sinceUtc.toISOString()];
    if (newsletterId) params.push(newsletterId);
    return this.#db
      .prepare<string[], ClickCountRow>(
        `SELECT * FROM click_counts WHERE slot_utc >= ? ${newsletterId ? 'AND newsletter_id = ?' : ''} ${CLICK_ORDER}`,
      )
      .all(...params)
      .map(toClickCount);
  }
}

export class SqliteApprovalLinkStore implements ApprovalLinkStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async markUsed(use: UsedApprovalLink): Promise<boolean> {
    const result = this.#db
      .prepare(
        'INSERT OR IGNORE INTO approval_links_used (token_hash, edition_id, action, editor, used_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(use.tokenHash, use.editionId, use.action, use.editor, use.usedAt);
    return result.changes === 1;
  }

  async findUse(tokenHash: string): Promise<UsedApprovalLink | null> {
    const row = this.#db
      .prepare<[string], ApprovalLinkRow>('SELECT * FROM approval_links_used WHERE token_hash = ?')
      .get(tokenHash);
    return row ? toUsedApprovalLink(row) : null;
  }
}
