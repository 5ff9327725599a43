/**
 * The scheduler's part of the store, owned by the scheduler: the lease that keeps one
 * scheduler per store, the time of the last tick (where catch-up starts) and a log of
 * what was decided per slot.
 */
export type ScheduleEventKind =
  | 'prepared'
  | 'editors-notified'
  | 'sent'
  | 'released'
  | 'skipped'
  | 'missed'
  | 'waiting'
  | 'failed';

export interface ScheduleEvent {
  newsletterId: string;
  editionId: string;
  kind: ScheduleEventKind;
  detail: string | null;
  at: string;
}

export interface LeaseHolder {
  holder: string;
  acquiredAt: string;
  heartbeatAt: string;
  expiresAt: string;
}

/** One newsletter as the running scheduler sees it (its configuration when it started). */
export interface RecordedNewsletterSchedule {
  id: string;
  /** Null: no schedule, sent only by hand. */
  schedule: string | null;
  timezone: string;
  deliver: 'at-slot' | 'subscriber-local';
  requireApproval: boolean;
  prepareAhead: number;
  approvalDeadline: number;
  onApprovalTimeout: 'send' | 'skip';
}

/** The part of a newsletter's configuration a scheduler works from. */
export function newsletterSchedule(
  n: Omit<RecordedNewsletterSchedule, 'schedule'> & { schedule?: string | null | undefined },
): RecordedNewsletterSchedule {
  return {
    id: n.id,
    schedule: n.schedule ?? null,
    timezone: n.timezone,
    deliver: n.deliver,
    requireApproval: n.requireApproval,
    prepareAhead: n.prepareAhead,
    approvalDeadline: n.approvalDeadline,
    onApprovalTimeout: n.onApprovalTimeout,
  };
}

/**
 * What a scheduler works from, recorded when it starts: `tidings schedule --list` run
 * from another shell shows this, not its own environment's reading of the config.
 */
export interface RecordedSchedules {
  holder: string;
  recordedAt: string;
  newsletters: RecordedNewsletterSchedule[];
}

export type LeaseResult = { acquired: true } | { acquired: false; current: LeaseHolder };

export interface SchedulerStore {
  /**
   * Takes the lease when it is free, expired, already ours or held by `replaceHolder`
   * (a holder known to be dead); one conditional write.
   */
  acquireLease(holder: string, now: Date, ttlMs: number, replaceHolder?: string): Promise<LeaseResult>;
  /** Heartbeat: extends our lease; false when it is no longer ours (expired and taken). */
  renewLease(holder: string, now: Date, ttlMs: number): Promise<boolean>;
  releaseLease(holder: string): Promise<void>;
  getLease(): Promise<LeaseHolder | null>;
  lastTickAt(): Promise<Date | null>;
  /** The first tick this store ever saw: slots before it were never the scheduler's to miss. */
  firstTickAt(): Promise<Date | null>;
  recordTick(at: Date): Promise<void>;
  recordEvent(event: ScheduleEvent): Promise<void>;
  listEvents(editionId: string): Promise<ScheduleEvent[]>;
  lastEvent(newsletterId: string): Promise<ScheduleEvent | null>;
  /** Replaces the recorded schedules (the scheduler that just started). */
  recordSchedules(schedules: RecordedSchedules): Promise<void>;
  recordedSchedules(): Promise<RecordedSchedules | null>;
}
