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
import type { SqliteDatabase } from './open-database.ts';

export class SqliteSchedulerStore implements SchedulerStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async acquireLease(holder: string, now: Date, ttlMs: number, replaceHolder?: string): Promise<LeaseResult> {
    const at = now.toISOString();
    const expires = new Date(now.getTime() + ttlMs).toISOString();
    // One statement: insert, or take over only when the lease is ours, has expired or its holder is known dead.
    const taken = this.#db
      .prepare(
        `INSERT INTO scheduler_lease (name, holder, acquired_at, heartbeat_at, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at,
           heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at
         WHERE scheduler_lease.holder = excluded.holder OR scheduler_lease.expires_at <= excluded.heartbeat_at
           OR scheduler_lease.holder = ?`,
      )
      .run(SCHEDULER_LEASE, holder, at, at, expires, replaceHolder ?? null);
    if (taken.changes > 0) return { acquired: true };
    return { acquired: false, current: (await this.getLease())! };
  }

  async renewLease(holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const result = this.#db
      .prepare('UPDATE scheduler_lease SET heartbeat_at = ?, expires_at = ? WHERE name = ? AND holder = ?')
      .run(now.toISOString(), new Date(now.getTime() + ttlMs).toISOString(), SCHEDULER_LEASE, holder);
    return result.changes > 0;
  }

  async releaseLease(holder: string): Promise<void> {
    this.#db.prepare('DELETE FROM scheduler_lease WHERE name = ? AND holder = ?').run(SCHEDULER_LEASE, holder);
  }

  async getLease(): Promise<LeaseHolder | null> {
    const row = this.#db
      .prepare<[string], SchedulerLeaseRow>('SELECT * FROM scheduler_lease WHERE name = ?')
      .get(SCHEDULER_LEASE);
    return row ? toSchedulerLeaseHolder(row) : null;
  }

  #state(key: string): Date | null {
    const row = this.#db
      .prepare<[string], { value: string }>('SELECT value FROM scheduler_state WHERE key = ?')
      .get(key);
    return row ? new Date(row.value) : null;
  }

  async lastTickAt(): Promise<Date | null> {
    return this.#state('lastTickAt');
  }

  async firstTickAt(): Promise<Date | null> {
    return this.#state('firstTickAt');
  }

  async recordTick(at: Date): Promise<void> {
    const value = at.toISOString();
    this.#db.transaction(() => {
      this.#db.prepare(`INSERT OR IGNORE INTO scheduler_state (key, value) VALUES ('firstTickAt', ?)`).run(value);
      this.#db
        .prepare(
          `INSERT INTO scheduler_state (key, value) VALUES ('lastTickAt', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        )
        .run(value);
    })();
  }

  async recordEvent(event: ScheduleEvent): Promise<void> {
    this.#db
      .prepare('INSERT INTO schedule_events (newsletter_id, edition_id, kind, detail, at) VALUES (?, ?, ?, ?, ?)')
      .run(event.newsletterId, event.editionId, event.kind, event.detail, event.at);
  }

  async listEvents(editionId: string): Promise<ScheduleEvent[]> {
    return this.#db
      .prepare<[string], ScheduleEventRow>('SELECT * FROM schedule_events WHERE edition_id = ? ORDER BY id')
      .all(editionId)
      .map(toScheduleEvent);
  }

  async lastEvent(newsletterId: string): Promise<ScheduleEvent | null> {
    const row = this.#db
      .prepare<[string], ScheduleEventRow>(
        `SELECT * FROM schedule_events WHERE newsletter_id = ? AND kind <> 'waiting' ORDER BY id DESC LIMIT 1`,
      )
      .get(newsletterId);
    return row ? toScheduleEvent(row) : null;
  }

  // Kept as JSON in scheduler_state (key 'schedules'): no migration, one row.
  async recordSchedules(schedules: RecordedSchedules): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO scheduler_state (key, value) VALUES ('schedules', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(JSON.stringify(schedules));
  }

  async recordedSchedules(): Promise<RecordedSchedules | null> {
    const row = this.#db
      .prepare<[], { value: string }>(`SELECT value FROM scheduler_state WHERE key = 'schedules'`)
      .get();
    return row ? (JSON.parse(row.value) as RecordedSchedules) : null;
  }
}
