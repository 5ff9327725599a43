import type { Edition, EditionArticle, EditionAudience, EditionStatus } from './edition.ts';

/** An editor's decision on one article of one edition; only the given fields change. */
export interface PickChange {
  pinned?: boolean;
  excluded?: boolean;
  titleOverride?: string | null;
  summaryOverride?: string | null;
}

/** An article or a whole source kept out of a newsletter's later editions. */
export interface Block {
  kind: 'article' | 'source';
  /** Article id or configured source name. */
  value: string;
  blockedBy: string;
  blockedAt: string;
}

export interface NewEdition {
  id: string;
  newsletterId: string;
  slot: string;
  slotUtc: string;
  status: EditionStatus;
  statusReason: string | null;
  articles: Omit<EditionArticle, 'pinned' | 'excluded'>[];
}

/** The editions part of the store, owned by the edition code that consumes it. */
export interface EditionStore {
  /** Inserts a frozen edition unless one with the id exists; returns the stored one either way. */
  createEdition(edition: NewEdition, at: Date): Promise<Edition>;
  getEdition(id: string): Promise<Edition | null>;
  /** Newest slot first; `statuses` keeps only editions in one of them (the scheduler's undecided drafts). */
  listEditions(newsletterId?: string, options?: { statuses?: readonly EditionStatus[] }): Promise<Edition[]>;
  /** The latest edition of a newsletter whose slot is before the given instant. */
  findPreviousEdition(newsletterId: string, beforeUtc: Date): Promise<Edition | null>;
  /** Article ids used by any edition of the newsletter other than `exceptEditionId`, skipped editions aside (they never went out). */
  listUsedArticleIds(newsletterId: string, exceptEditionId?: string): Promise<Set<string>>;
  updatePick(editionId: string, articleId: string, change: PickChange): Promise<void>;
  /** Sets the order of one section's articles (1-based positions in the given order). */
  setPositions(editionId: string, orderedArticleIds: readonly string[]): Promise<void>;
  setIntro(editionId: string, intro: string | null): Promise<void>;
  /** Adds an article to a section of a built edition, last in that section; false when it is already in it. */
  addArticle(editionId: string, article: Omit<EditionArticle, 'pinned' | 'excluded' | 'position'>): Promise<boolean>;
  /** Moves an article of an edition to another section, last in it. */
  setArticleCategory(editionId: string, articleId: string, category: string): Promise<void>;
  addBlock(newsletterId: string, block: Block): Promise<void>;
  removeBlock(newsletterId: string, kind: Block['kind'], value: string): Promise<boolean>;
  listBlocks(newsletterId: string): Promise<Block[]>;
  /**
   * Moves an edition to a status (back to draft forgets the approval); with `from`, only when its current status is one
   * of those (a status lock: returns false when another run got there first).
   */
  setStatus(
    editionId: string,
    status: EditionStatus,
    options: { at: Date; reason?: string | null; from?: readonly EditionStatus[]; approvedBy?: string },
  ): Promise<boolean>;
  /**
   * Records the edition's audience (queuing starts before the first id), or, when one is
   * recorded with a smaller `maxSubscriberId`, extends it by `added` readers (a rerun
   * reaches subscribers who joined since). Returns the stored audience; null for no edition.
   */
  recordAudience(
    editionId: string,
    audience: { maxSubscriberId: number; added: number },
  ): Promise<EditionAudience | null>;
  /**
   * Queuing reached `throughId`; only when it had reached `afterId` already, so a page is
   * never skipped over, whoever queues (a send, a worker, both). False when nothing moved.
   */
  advanceQueue(editionId: string, afterId: number, throughId: number): Promise<boolean>;
  /** Holds queuing with the reason (`send --limit`), or lets it go on (null). */
  holdQueue(editionId: string, heldBy: string | null): Promise<void>;
  /** Editions `sending` or `sent` whose recorded audience is not fully queued, oldest slot first. */
  listUnqueued(newsletterId?: string): Promise<string[]>;
}
