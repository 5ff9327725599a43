/**
 * What happened to a delivery after the SMTP server accepted it: a bounce (delivery
 * status notification) or a complaint (feedback report) that came back. Owned by the
 * bounce processor and `tidings status`; the SQLite implementation lives in store/.
 */
export type DeliveryEventKind = 'hard-bounce' | 'soft-bounce' | 'complaint';

export interface DeliveryEvent {
  editionId: string;
  subscriberId: number;
  kind: DeliveryEventKind;
  /** The enhanced status code of a bounce (5.1.1) or the feedback type of a complaint (abuse). */
  status: string | null;
  /** The remote server's diagnostic, one line. */
  detail: string | null;
  /** Which message reported it (a Maildir file's unique name; over IMAP its Message-ID, else its IMAP URL with UID): the same report is counted once. */
  reportId: string;
  at: Date;
}

export interface EditionFeedbackCounts {
  hardBounces: number;
  softBounces: number;
  complaints: number;
}

export interface DeliveryEventStore {
  /**
   * False when this report was recorded before (a rerun after a crash), or the delivery
   * already bounced hard or drew a complaint: then nothing else is done.
   */
  record(event: DeliveryEvent): Promise<boolean>;
  /** The editions the subscriber has a ledger row in (the candidates for a VERP token). */
  editionIdsFor(subscriberId: number): Promise<string[]>;
  /** Distinct subscribers per kind, per edition id (optionally of one newsletter). */
  countsByEdition(newsletterId?: string): Promise<Map<string, EditionFeedbackCounts>>;
}
