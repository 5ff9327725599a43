import type { Edition, EditionStatus } from '../editions/edition.ts';
import type { EditionStore } from '../editions/edition-store.ts';
import { slotFor } from '../editions/slot.ts';
import type { CronSchedule } from '../core/cron-expression.ts';
import { listSlots, type ScheduledSlot } from './schedule-slots.ts';

/** Editions that wait for a decision: nobody has sent or skipped them yet. */
export const UNDECIDED: readonly EditionStatus[] = ['draft', 'approved'];

/** Later than any slot (an ISO string that sorts after every real one, in both stores). */
const END_OF_TIME = new Date('9999-12-31T00:00:00Z');

/** The slot of a stored edition, whether or not the schedule names its time. */
export function slotOfEdition(edition: Edition, timeZone: string): ScheduledSlot {
  const slot = slotFor(new Date(edition.slot), timeZone);
  return { ...slot, scheduledLocal: slot.local, fit: 'exact' };
}

/** True when the schedule names this instant (a slot the scheduler prepares itself). */
export function isOnSchedule(schedule: CronSchedule, timeZone: string, at: Date): boolean {
  return listSlots(schedule, timeZone, at, at).length > 0;
}

/**
 * The newsletter's newest edition that went out (sent, or being sent) if its slot is
 * after `after`: an undecided edition older than it is superseded. Walks back from the
 * newest edition, no further than `after`.
 */
export async function wentOutAfter(
  editions: Pick<EditionStore, 'findPreviousEdition'>,
  newsletterId: string,
  after: Date,
): Promise<Edition | null> {
  let edition = await editions.findPreviousEdition(newsletterId, END_OF_TIME);
  while (edition && Date.parse(edition.slot) > after.getTime()) {
    if (edition.status === 'sent' || edition.status === 'sending') return edition;
    edition = await editions.findPreviousEdition(newsletterId, new Date(edition.slot));
  }
  return null;
}
