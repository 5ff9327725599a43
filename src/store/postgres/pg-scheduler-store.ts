import type {
  LeaseHolder,
  LeaseResult,
  RecordedSchedules,
  ScheduleEvent,
  SchedulerStore,
} from '../../schedule/scheduler-store.ts';
import {
  SCHEDULER_LEASE,
  toScheduleEvent,
  toSchedulerLeaseHolder,
  type ScheduleEventRow,
  type SchedulerLeaseRow,
} from '../rows/scheduler-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/** The scheduler's lease, ticks and event log in PostgreSQL (sqlite-scheduler-store.ts is the reference). */
export class PgSchedulerStore implements SchedulerStore {
  constructor(private readonly db: PgDatabase) {}

  async acquireLease(holder: string, now: Date, ttlMs: number, replaceHolder?: string): Promise<LeaseResult> {
    const at = now.toISOString();
    // One statement: insert, or take over only when the lease is ours, has expired or its holder is known dead.
    const taken = await this.db.query(
      `INSERT INTO scheduler_lease (name, holder, acquired_at, heartbeat_at, expires_at) VALUES ($1, $2, $3, $3, $4)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at,
         heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at
       WHERE scheduler_lease.holder = excluded.holder OR scheduler_lease.expires_at <= excluded.heartbeat_at
         OR scheduler_lease.holder = $5`,
      [SCHEDULER_LEASE, holder, at, new Date(now.getTime() + ttlMs).toISOString(), replaceHolder ?? null],
    );
    if (taken.rowCount === 1) return { acquired: true };
    const current = await this.getLease();
    if (!current) return this.acquireLease(holder, now, ttlMs, replaceHolder); // released in between
    return { acquired: false, current };
  }

  async renewLease(holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const result = await this.db.query(
      'UPDATE scheduler_lease SET heartbeat_at = $1, expires_at = $2 WHERE name = $3 AND holder = $4',
      [now.toISOString(), new Date(now.getTime() + ttlMs).toISOString(), SCHEDULER_LEASE, holder],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async releaseLease(holder: string): Promise<void> {
    await this.db.query('DELETE FROM scheduler_lease WHERE name = $1 AND holder = $2', [SCHEDULER_LEASE, holder]);
  }

  async getLease(): Promise<LeaseHolder | null> {
    const { rows } = await this.db.query<SchedulerLeaseRow>('SELECT * FROM scheduler_lease WHERE name = $1', [
      SCHEDULER_LEASE,
    ]);
    return rows[0] ? toSchedulerLeaseHolder(rows[0]) : null;
  }

  private async state(key: string): Promise<Date | null> {
    const { rows } = await this.db.query<{ value: string }>('SELECT value FROM scheduler_state WHERE key = $1', [key]);
    return rows[0] ? new Date(rows[0].value) : null;
  }

  async lastTickAt(): Promise<Date | null> {
    return this.state('lastTickAt');
  }

  async firstTickAt(): Promise<Date | null> {
    return this.state('firstTickAt');
  }

  async recordTick(at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO scheduler_state (key, value) VALUES ('firstTickAt', $1), ('lastTickAt', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE scheduler_state.key = 'lastTickAt'`,
      [at.toISOString()],
    );
  }

  async recordEvent(event: ScheduleEvent): Promise<void> {
    await this.db.query(
      'INSERT INTO schedule_events (newsletter_id, edition_id, kind, detail, at) VALUES ($1, $2, $3, $4, $5)',
      [event.newsletterId, event.editionId, event.kind, event.detail, event.at],
    );
  }

  async listEvents(editionId: string): Promise<ScheduleEvent[]> {
    const { rows } = await this.db.query<ScheduleEventRow>(
      'SELECT * FROM schedule_events WHERE edition_id = $1 ORDER BY id',
      [editionId],
    );
    return rows.map(toScheduleEvent);
  }

  async lastEvent(newsletterId: string): Promise<ScheduleEvent | null> {
    const { rows } = await this.db.query<ScheduleEventRow>(
      `SELECT * FROM schedule_events WHERE newsletter_id = $1 AND kind <> 'waiting' ORDER BY id DESC LIMIT 1`,
      [newsletterId],
    );
    return rows[0] ? toScheduleEvent(rows[0]) : null;
  }

  // Kept as JSON in scheduler_state (key 'schedules'): no migration, one row.
  async recordSchedules(schedules: RecordedSchedules): Promise<void> {
    await this.db.query(
      `INSERT INTO scheduler_state (key, value) VALUES ('schedules', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [JSON.stringify(schedules)],
    );
  }

  async recordedSchedules(): Promise<RecordedSchedules | null> {
    const { rows } = await this.db.query<{ value: string }>(
      `SELECT value FROM scheduler_state WHERE key = 'schedules'`,
    );
    return rows[0] ? (JSON.parse(rows[0].value) as RecordedSchedules) : null;
  }
}
