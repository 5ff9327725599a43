import type { Edition } from '../editions/edition.ts';
import type { EditionStore } from '../editions/edition-store.ts';
import { editionIdFor, type Slot } from '../editions/slot.ts';
import type { SchedulerStore } from '../schedule/scheduler-store.ts';
import { isSchedulerHolderGone } from './scheduler-process.ts';

/** The scheduler of this store as `tidings schedule --list` shows it. */
export interface SchedulerState {
  lease: Awaited<ReturnType<SchedulerStore['getLease']>>;
  lastTick: Date | null;
  /** A live lease: its holder runs now. */
  running: boolean;
  /** The lease names a process of this machine that no longer exists. */
  leftByDeadProcess: boolean;
}

/** Read-only: what the scheduler recorded, and each slot's edition. */
export interface ScheduleOverview {
  schedulerState(now: Date): Promise<SchedulerState>;
  recordedSchedules: SchedulerStore['recordedSchedules'];
  lastEvent: SchedulerStore['lastEvent'];
  /** The edition built for a slot, if any. */
  editionOfSlot(newsletterId: string, slot: Slot): Promise<Edition | null>;
  /** Drafts and approved editions not sent yet. */
  openEditions(newsletterId: string): Promise<Edition[]>;
}

export function createScheduleOverview(deps: { scheduler: SchedulerStore; editions: EditionStore }): ScheduleOverview {
  const { scheduler, editions } = deps;
  return {
    async schedulerState(now) {
      const lease = await scheduler.getLease();
      const lastTick = await scheduler.lastTickAt();
      const leftByDeadProcess = lease !== null && isSchedulerHolderGone(lease.holder);
      const running = Boolean(lease && new Date(lease.expiresAt) > now && !leftByDeadProcess);
      return { lease, lastTick, running, leftByDeadProcess };
    },
    recordedSchedules: () => scheduler.recordedSchedules(),
    lastEvent: (newsletterId) => scheduler.lastEvent(newsletterId),
    editionOfSlot: (newsletterId, slot) => editions.getEdition(editionIdFor(newsletterId, slot)),
    openEditions: async (newsletterId) =>
      (await editions.listEditions(newsletterId)).filter((e) => e.status === 'draft' || e.status === 'approved'),
  };
}
