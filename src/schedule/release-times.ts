import type { ScheduledSlot } from './schedule-slots.ts';
import { instantOfWallTime, parseWallTime } from './zone-time.ts';

const knownZones = new Map<string, boolean>();

/** A reader's zone, or the newsletter's when they have none or one this runtime does not know. */
export function zoneOf(zone: string | null, fallback: string): string {
  if (!zone) return fallback;
  let known = knownZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    knownZones.set(zone, known);
  }
  return known ? zone : fallback;
}

/** When a reader in `zone` gets the slot: the slot's scheduled wall time in their zone. */
export function releaseAt(slot: ScheduledSlot, zone: string): Date {
  return new Date(instantOfWallTime(parseWallTime(slot.scheduledLocal)!, zone).at);
}
