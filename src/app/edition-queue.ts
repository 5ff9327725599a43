import type { Ledger } from '../delivery/ledger.ts';
import type { EditionAudience } from '../editions/edition.ts';
import type { EditionStore } from '../editions/edition-store.ts';
import type { Recipient, SubscriberStore } from '../subscribers/subscriber-store.ts';
import type { Audience } from './audience-of.ts';

/**
 * Queuing an edition: every reader of its recorded audience gets a pending ledger row,
 * page by page in id order. `queuedThrough` on the edition moves past a page only once
 * every reader of it is queued, so whoever comes next (a rerun of `send`, the scheduler, a
 * worker) resumes after it, and a page queued twice is harmless (rows are unique).
 */
export interface QueueJob {
  editionId: string;
  /** Who reads it (audienceOf): the subscriptions' newsletter and, for a cadence stream, its filter. */
  readers: Audience;
  audience: EditionAudience;
  /**
   * When a reader may be queued (ms since the epoch; 0 = at once): `deliver:
   * subscriber-local` releases each time zone at its own wall time. Omitted: everyone now.
   */
  releaseOf?: (reader: Recipient) => number;
}

export interface QueueProgress {
  /** Readers given a pending row by this pass (pages queued before were not queued again). */
  queued: number;
  /** The earliest release of a reader left out as not due yet; null when none was. */
  nextReleaseAt: number | null;
}

export type QueueStore = {
  subscribers: Pick<SubscriberStore, 'streamRecipients' | 'measureAudience'>;
  ledger: Pick<Ledger, 'ensurePending'>;
  editions: Pick<EditionStore, 'recordAudience' | 'advanceQueue'>;
};

/**
 * Records the edition's audience when its send starts: the newsletter's recipients now,
 * bounded by the largest subscriber id. A later send of the same edition extends it to
 * readers who joined since (an operator's rerun reaches them, as it always did).
 */
export async function recordAudience(
  store: QueueStore,
  edition: { id: string; audience?: EditionAudience | null },
  at: Date,
  readers: Audience,
): Promise<EditionAudience> {
  const known = edition.audience ?? null;
  const measured = await store.subscribers.measureAudience(readers.newsletterId, {
    afterId: known?.maxSubscriberId ?? 0,
    at,
    cadence: readers.cadence,
  });
  if (known && measured.maxSubscriberId <= known.maxSubscriberId) return known;
  const recorded = await store.editions.recordAudience(edition.id, {
    maxSubscriberId: measured.maxSubscriberId,
    added: measured.count,
  });
  if (!recorded) throw new Error(`edition ${edition.id} disappeared while its audience was recorded`);
  return recorded;
}

/**
 * The audience's readers in id order, each page queued before any of it is handed out;
 * only readers due at `at` are queued and handed out. Stopping early (the consumer
 * returns, `signal` aborts) leaves the mark where the last whole page put it.
 */
export async function* queueAudience(
  store: QueueStore,
  job: QueueJob,
  progress: QueueProgress,
  options: { at: Date; pageSize: number; signal?: AbortSignal; fromMark?: boolean },
): AsyncGenerator<Recipient> {
  const { editionId, audience } = job;
  const now = options.at.getTime();
  // A send reads from the start (it sends to pending rows below the mark too); a worker finishing the queue, from the mark.
  const start = options.fromMark ? audience.queuedThrough : 0;
  const stream = store.subscribers.streamRecipients(job.readers.newsletterId, {
    afterId: start,
    untilId: audience.maxSubscriberId,
    at: options.at,
    batchSize: options.pageSize,
    cadence: job.readers.cadence,
  });
  // The page's lower bound: pages follow each other, so the mark can move over each in turn.
  let afterId = start;
  // False once a page kept a reader back: the mark never passes a reader without a row.
  let whole = true;
  let page: Recipient[] = [];
  const flush = async function* (): AsyncGenerator<Recipient> {
    const lastId = page[page.length - 1]!.id;
    const due: Recipient[] = [];
    for (const reader of page) {
      // Below the mark read at the start, a reader was queued by an earlier pass.
      const release = reader.id <= audience.queuedThrough ? 0 : (job.releaseOf?.(reader) ?? 0);
      if (release <= now) due.push(reader);
      else progress.nextReleaseAt = Math.min(progress.nextReleaseAt ?? Infinity, release);
    }
    const beyondMark = lastId > audience.queuedThrough;
    if (beyondMark && due.length) {
      await store.ledger.ensurePending(
        editionId,
        due.map((reader) => reader.id),
      );
      progress.queued += due.filter((reader) => reader.id > audience.queuedThrough).length;
    }
    whole &&= due.length === page.length;
    if (whole && beyondMark) await store.editions.advanceQueue(editionId, afterId, lastId);
    afterId = lastId;
    page = [];
    yield* due;
  };
  for await (const reader of stream) {
    page.push(reader);
    if (page.length < options.pageSize) continue;
    yield* flush();
    if (options.signal?.aborted) return;
  }
  if (page.length) yield* flush();
  if (options.signal?.aborted) return;
  // The whole audience was read: nobody in the audience is left above the last reader.
  if (whole && audience.maxSubscriberId > Math.max(afterId, audience.queuedThrough)) {
    await store.editions.advanceQueue(editionId, afterId, audience.maxSubscriberId);
  }
}
