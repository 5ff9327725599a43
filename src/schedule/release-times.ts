import type { ScheduledSlot } from './schedule-slots.ts';
import { instantOfWallTime, isTimeZone, parseWallTime } from '../core/zone-time.ts';

/** A reader's zone, or the newsletter's when they have none or one this runtime does not know. */
export function zoneOf(zone: string | null, fallback: string): string {
  return zone && isTimeZone(zone) ? zone : fallback;
}

/** When a reader in `zone` gets the slot: the slot's scheduled wall time in their zone. */
export function releaseAt(slot: Pick<ScheduledSlot, 'scheduledLocal'>, zone: string): Date {
  return new Date(instantOfWallTime(parseWallTime(slot.scheduledLocal)!, zone).at);
}
