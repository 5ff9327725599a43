import type { LeaseHolder, ScheduleEvent, ScheduleEventKind } from '../../schedule/scheduler-store.ts';

/**
 * The scheduler_lease and schedule_events tables as both stores (SQLite and PostgreSQL)
 * hold them, and their one mapping.
 */
export interface SchedulerLeaseRow {
  holder: string;
  acquired_at: string;
  heartbeat_at: string;
  expires_at: string;
}

export interface ScheduleEventRow {
  newsletter_id: string;
  edition_id: string;
  kind: ScheduleEventKind;
  detail: string | null;
  at: string;
}

/** The one row of scheduler_lease: its `name`. */
export const SCHEDULER_LEASE = 'scheduler';

export const toSchedulerLeaseHolder = (row: SchedulerLeaseRow): LeaseHolder => ({
  holder: row.holder,
  acquiredAt: row.acquired_at,
  heartbeatAt: row.heartbeat_at,
  expiresAt: row.expires_at,
});

export const toScheduleEvent = (row: ScheduleEventRow): ScheduleEvent => ({
  newsletterId: row.newsletter_id,
  editionId: row.edition_id,
  kind: row.kind,
  detail: row.detail,
  at: row.at,
});
