import { cadenceStream, offeredCadences } from '../../config/cadences.ts';
import type { TidingsConfig } from '../../config/schema.ts';
import { TidingsError } from '../../core/errors.ts';
import { editionIdFor } from '../../editions/slot.ts';
import { nextScheduledSlot } from './change-cadence.ts';
import { effectiveCadence, type Subscription } from '../../subscribers/subscriber-store.ts';

/**
 * A reader's cadence as the surfaces show it (preferences page, API, CLI, desk): what
 * the newsletter offers, what is in effect now, and a change waiting for the end of
 * the current period with the first edition it brings. The switching rule itself
 * (when a change takes effect) is the model's: changeCadence computes it.
 */
export interface CadenceState {
  /** The cadences offered, the default first. */
  offered: string[];
  /** In effect now. */
  current: string;
  /** What the reader chose last: the pending cadence when there is one, else the current. */
  chosen: string;
  pending: PendingCadenceView | null;
}

export interface PendingCadenceView {
  name: string;
  /** ISO instant: slots after it are at `name`. */
  after: string;
  /** The first edition at `name` (its stream's first slot after `after`); null when that stream has no schedule. */
  firstEdition: { id: string /** ISO 8601 with the stream's offset. */; slot: string; timezone: string } | null;
}

/** A subscription's cadence seen at `at`; null when the newsletter offers no choice of cadence. */
export function cadenceState(
  config: Pick<TidingsConfig, 'newsletters'>,
  newsletterId: string,
  subscription: Pick<Subscription, 'cadence' | 'nextCadence'> | null | undefined,
  at: Date,
): CadenceState | null {
  const offered = offeredCadences(config, newsletterId);
  if (!offered || offered.length < 2) return null;
  const known = (name: string | null) => (name !== null && offered.includes(name) ? name : offered[0]!);
  const current = known(subscription ? effectiveCadence(subscription, at) : null);
  const next = subscription?.nextCadence ?? null;
  const pending =
    next && Date.parse(next.after) >= at.getTime() && next.name !== current
      ? { name: next.name, after: next.after, firstEdition: firstEditionAfter(config, newsletterId, next) }
      : null;
  return { offered, current, chosen: pending?.name ?? current, pending };
}

/** The first edition of a cadence's stream after an instant, or null when the stream has no schedule. */
export function firstEditionAfter(
  config: Pick<TidingsConfig, 'newsletters'>,
  newsletterId: string,
  change: { name: string; after: string },
): PendingCadenceView['firstEdition'] {
  const stream = cadenceStream(config, newsletterId, change.name);
  const slot = nextScheduledSlot(stream, new Date(change.after));
  return slot ? { id: editionIdFor(stream.id, slot), slot: slot.iso, timezone: stream.timezone } : null;
}

/**
 * Checks a cadence a reader (or an operator for them) asks for; INPUT_INVALID naming
 * `field` when the newsletter offers no choice or not this one.
 */
export function checkCadence(
  config: Pick<TidingsConfig, 'newsletters'>,
  newsletterId: string,
  cadence: string,
  field: string,
): string {
  const offered = offeredCadences(config, newsletterId);
  if (!offered || offered.length < 2)
    throw new TidingsError('INPUT_INVALID', `${newsletterId} offers no choice of cadence`, { where: field });
  if (!offered.includes(cadence))
    throw new TidingsError(
      'INPUT_INVALID',
      `"${cadence}" is not a cadence of ${newsletterId} (${offered.join(', ')})`,
      {
        where: field,
      },
    );
  return cadence;
}
