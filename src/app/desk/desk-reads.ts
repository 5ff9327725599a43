import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { DeliveryEventStore, EditionFeedbackCounts } from '../../delivery/delivery-events.ts';
import type { DeliveryRow, EditionDeliverySummary, Ledger } from '../../delivery/ledger.ts';
import type { AuditEntry, AuditLog } from '../../editions/audit-log.ts';
import type { Edition } from '../../editions/edition.ts';
import type { EditionStore } from '../../editions/edition-store.ts';
import type { SubscriberStore } from '../../subscribers/subscriber-store.ts';
import type { NewsletterConfig } from '../../config/schema.ts';
import { type Audience, audienceOf } from '../audience-of.ts';

export interface DeskReadsDeps {
  editions: Pick<EditionStore, 'getEdition' | 'listEditions'>;
  ledger: Pick<Ledger, 'counts' | 'editions' | 'unresolvedAmbiguous' | 'listAmbiguous'>;
  subscribers: Pick<SubscriberStore, 'streamRecipients' | 'count' | 'unsubscribesByEdition'>;
  deliveryEvents: Pick<DeliveryEventStore, 'countsByEdition'>;
  audit: Pick<AuditLog, 'list'>;
  clock: Clock;
  logger: Logger;
  /** The configured streams: a cadence stream's readers are its base newsletter's, filtered (audienceOf). */
  newsletters: readonly NewsletterConfig[];
}

/** Everything the editions page shows besides the configuration; the optional figures are empty when unavailable. */
export interface EditionListSources {
  editions: Edition[];
  summaries: Map<string, EditionDeliverySummary>;
  unsubscribes: Map<string, number>;
  feedback: Map<string, EditionFeedbackCounts>;
  /** Unresolved ambiguous rows per edition. */
  ambiguous: Map<string, number>;
}

/** What the editor desk reads about editions: one query each, named for the page that shows it. */
export interface DeskReads {
  edition(id: string): Promise<Edition | null>;
  editionList(): Promise<EditionListSources>;
  /** Bounces and complaints of an edition with its accepted count; null when they cannot be read. */
  feedbackOf(edition: Edition): Promise<{ counts: EditionFeedbackCounts | undefined; accepted: number } | null>;
  /** The first `limit` recipients' addresses, for the preview's reader choice. */
  sampleRecipients(newsletterId: string, limit: number): Promise<string[]>;
  auditTrail(editionId: string, limit: number): Promise<AuditEntry[]>;
  /** Who a send would reach now, and how many deliveries are already final. */
  sendAudience(edition: Edition): Promise<{ audience: number; alreadyHandled: number }>;
  /** The ambiguous rows of an edition while nobody has decided them; empty otherwise. */
  unresolvedAmbiguous(edition: Edition): Promise<DeliveryRow[]>;
}

export function createDeskReads(deps: DeskReadsDeps): DeskReads {
  const readersOf = (newsletterId: string, slot: Date): Audience => {
    const newsletter = deps.newsletters.find((n) => n.id === newsletterId);
    return newsletter ? audienceOf(newsletter, slot) : { newsletterId };
  };
  const { ledger, logger } = deps;
  // Figures beside the edition, not a reason to fail the page.
  const orEmpty = <T>(what: string, read: Promise<Map<string, T>>) =>
    read.catch((error: unknown) => {
      logger.warn({ err: error }, `desk: ${what} unavailable`);
      return new Map<string, T>();
    });
  return {
    edition: (id) => deps.editions.getEdition(id),
    async editionList() {
      const editions = await deps.editions.listEditions();
      const summaries = new Map((await ledger.editions()).map((s) => [s.editionId, s]));
      const unsubscribes = await orEmpty('unsubscribe counts', deps.subscribers.unsubscribesByEdition());
      const feedback = await orEmpty('bounce and complaint counts', deps.deliveryEvents.countsByEdition());
      const unresolved = await ledger.unresolvedAmbiguous(deps.clock.now());
      return {
        editions,
        summaries,
        unsubscribes,
        feedback,
        ambiguous: new Map(unresolved.map((e) => [e.editionId, e.rows])),
      };
    },
    async feedbackOf(edition) {
      try {
        const accepted = (await ledger.counts(edition.id)).accepted;
        const counts = (await deps.deliveryEvents.countsByEdition(edition.newsletterId)).get(edition.id);
        return { counts, accepted };
      } catch (error) {
        logger.warn({ err: error, edition: edition.id }, 'desk: bounce and complaint counts unavailable');
        return null;
      }
    },
    async sampleRecipients(newsletterId, limit) {
      const emails: string[] = [];
      const readers = readersOf(newsletterId, deps.clock.now());
      const options = { batchSize: limit, cadence: readers.cadence };
      for await (const recipient of deps.subscribers.streamRecipients(readers.newsletterId, options)) {
        emails.push(recipient.email);
        if (emails.length >= limit) break;
      }
      return emails;
    },
    auditTrail: (editionId, limit) => deps.audit.list({ editionId, limit }),
    async sendAudience(edition) {
      const readers = readersOf(edition.newsletterId, new Date(edition.slot));
      const audience = await deps.subscribers.count(readers.newsletterId, deps.clock.now(), readers.cadence);
      const counts = await ledger.counts(edition.id);
      return { audience, alreadyHandled: counts.accepted + counts.failed + counts.skipped };
    },
    async unresolvedAmbiguous(edition) {
      const open = await ledger.unresolvedAmbiguous(deps.clock.now(), edition.newsletterId);
      return open.some((e) => e.editionId === edition.id) ? ledger.listAmbiguous(edition.id) : [];
    },
  };
}
