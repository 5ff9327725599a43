import { TidingsError } from '../core/errors.ts';

/**
 * The late-run rule: a slot further in the past than `maxLatenessMs` is not sent
 * unless forced, so a morning digest does not arrive in the evening after an outage.
 * Throws SEND_TOO_LATE with how late it is and how to send anyway.
 */
export function assertNotTooLate(options: {
  editionId: string;
  slot: Date;
  now: Date;
  maxLatenessMs: number;
  force: boolean;
}): void {
  const lateMs = options.now.getTime() - options.slot.getTime();
  if (options.force || lateMs <= options.maxLatenessMs) return;
  const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)}h`;
  throw new TidingsError(
    'SEND_TOO_LATE',
    `the slot ${options.slot.toISOString()} is ${hours(lateMs)} in the past, more than delivery.maxLateness (${hours(options.maxLatenessMs)}); ` +
      'not sending. Pass --force to send it anyway.',
    { where: options.editionId },
  );
}
