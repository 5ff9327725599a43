import type { ApprovalLinkStore, UsedApprovalLink } from '../../signal/approval-link-store.ts';
import type { ClickCount, ClickKey, ClickStore } from '../../signal/click-store.ts';
import {
  CLICK_ORDER,
  toClickCount,
  toUsedApprovalLink,
  type ApprovalLinkRow,
  type ClickCountRow,
} from '../rows/signal-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/** One statement per click: concurrent clicks on the same link add up (row lock of the upsert). */
export class PgClickStore implements ClickStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async add(key: ClickKey, kind: 'clicks' | 'filtered'): Promise<void> {
    const column = kind === 'clicks' ? 'clicks' : 'filtered';
    await this.#db.query(
      `INSERT INTO click_counts (edition_id, newsletter_id, slot_utc, article_id, section, source, ${column})
       VALUES ($1, $2, $3, $4, $5, $6, 1)
       ON CONFLICT (edition_id, article_id, section) DO UPDATE SET ${column} = click_counts.${column} + 1`,
      [key.editionId, key.newsletterId, key.slotUtc, key.articleId, key.section, key.source],
    );
  }

  async listForEdition(editionId: string): Promise<ClickCount[]> {
    const { rows } = await this.#db.query<ClickCountRow>(
      `SELECT * FROM click_counts WHERE edition_id = $1 ${CLICK_ORDER}`,
      [editionId],
    );
    return rows.map(toClickCount);
  }

  async listSince(sinceUtc: Date, newsletterId?: string): Promise<ClickCount[]> {
    const params: string[] = [sinceUtc.toISOString()];
    if (newsletterId) params.push(newsletterId);
    const { rows } = await this.#db.query<ClickCountRow>(
      `SELECT * FROM click_counts WHERE slot_utc >= $1 ${newsletterId ? 'AND newsletter_id = $2' : ''} ${CLICK_ORDER}`,
      params,
    );
    return rows.map(toClickCount);
  }
}

export class PgApprovalLinkStore implements ApprovalLinkStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async markUsed(use: UsedApprovalLink): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      `INSERT INTO approval_links_used (token_hash, edition_id, action, editor, used_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (token_hash) DO NOTHING`,
      [use.tokenHash, use.editionId, use.action, use.editor, use.usedAt],
    );
    return rowCount === 1;
  }

  async findUse(tokenHash: string): Promise<UsedApprovalLink | null> {
    const { rows } = await this.#db.query<ApprovalLinkRow>('SELECT * FROM approval_links_used WHERE token_hash = $1', [
      tokenHash,
    ]);
    return rows[0] ? toUsedApprovalLink(rows[0]) : null;
  }
}
