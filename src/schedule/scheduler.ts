import type { Logger } from '../core/logger.ts';
import type { Edition } from '../editions/edition.ts';
import type { EditionStore } from '../editions/edition-store.ts';
import { editionIdFor } from '../editions/slot.ts';
import { parseCronExpression, type CronSchedule } from '../core/cron-expression.ts';
import { decideSlot, type SlotAction, type SlotPolicy, type SlotTimes } from './decide-slot.ts';
import { listSlots, type ScheduledSlot } from './schedule-slots.ts';
import { newsletterSchedule, type ScheduleEventKind, type SchedulerStore } from './scheduler-store.ts';
import { releaseAt, zoneOf } from './release-times.ts';
import { isOnSchedule, slotOfEdition, UNDECIDED, wentOutAfter } from './undecided-editions.ts';

/** The part of a newsletter's configuration the scheduler reads. */
export interface ScheduledNewsletter extends Omit<SlotPolicy, 'maxLateness'> {
  id: string;
  timezone: string;
  schedule?: string | undefined;
  deliver: 'at-slot' | 'subscriber-local';
}

export interface SendReport {
  exitCode: number;
  lines: string[];
  /** The edition is now `sent`. */
  finished: boolean;
  /** A stop signal ended the run before the list was done: the next start resumes it. */
  stopped: boolean;
  /** Rows left `sending` (the server may have them): never retried unattended. */
  ambiguous: number;
  /** Another process (a hand-run `tidings send`) holds the edition's send lease: nothing was sent, try again next tick. */
  heldBy?: string;
  /** Messages this run got accepted, and its rate (accepted per second); absent when nothing ran. */
  accepted?: number;
  ratePerSecond?: number;
  /** When the run ended. */
  finishedAt?: Date;
}

/** The last send run the scheduler finished in this process (the send-rate metrics). */
export interface FinishedSend {
  editionId: string;
  accepted: number;
  ratePerSecond: number;
  finishedAt: Date;
}

/** The work the scheduler orders; the app layer does it (src/app/scheduled-work.ts). */
export interface SchedulerWork {
  /** Ingest (due) sources and sync subscriber lists right before a draft is built. */
  refreshBeforePrepare(newsletterId: string): Promise<void>;
  /** Builds and saves the edition for the slot (or returns the one already built). */
  prepare(newsletterId: string, slotUtc: Date): Promise<Edition>;
  /** Emails the editors the draft's preview and a link to it; returns who got it. */
  notifyEditors(newsletterId: string, edition: Edition): Promise<string[]>;
  send(
    newsletterId: string,
    edition: Edition,
    options: {
      recipientFilter?: (reader: { timezone: string | null }) => boolean;
      partial: boolean;
      signal: AbortSignal;
    },
  ): Promise<SendReport>;
  /** Ingests the sources whose own interval (`sources[].every`) has elapsed; called once per tick. */
  ingestDueSources?(now: Date): Promise<void>;
  /** Processes the bounce mailbox when its interval (`bounces.every`) has passed; called once per tick. */
  processBounces?(now: Date): Promise<void>;
  /** Ambiguous rows of the edition nobody resolved yet (tidings deliveries resolve). */
  unresolvedAmbiguous?(editionId: string): Promise<number>;
  /** The distinct time zones of the newsletter's readers (null: the newsletter's own). */
  readerZones(newsletterId: string): Promise<(string | null)[]>;
}

export interface SchedulerDeps {
  newsletters: readonly ScheduledNewsletter[];
  editions: EditionStore;
  store: SchedulerStore;
  work: SchedulerWork;
  logger: Logger;
  /** delivery.maxLateness in ms. */
  maxLateness: number;
}

export interface TickAction {
  newsletterId: string;
  editionId: string;
  action: ScheduleEventKind;
  detail?: string;
}

export interface TickReport {
  at: Date;
  actions: TickAction[];
  /** Newsletters whose previous work was still running: this tick left them alone. */
  busy: string[];
}

const DAY = 86_400_000;
/** The in-flight key of the periodic source ingest (not a newsletter id: those are slugs). */
const SOURCES = ' sources';
/** The in-flight key of the periodic bounce processing. */
const BOUNCES = ' bounces';
/** Slots older than this after an outage are not looked at (nor recorded as missed). */
const MAX_OUTAGE_SCAN = 31 * DAY;

/**
 * Decides, at each tick, what is due for every scheduled newsletter, and orders it.
 * `tick(now)` is idempotent: the edition store (one edition per slot, status locks) and
 * the ledger (one delivery per subscriber) make a repeated or concurrent tick harmless.
 */
export class Scheduler {
  readonly #deps: SchedulerDeps;
  readonly #schedules = new Map<string, CronSchedule>();
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #halt = new AbortController();
  /** Editions left with ambiguous rows: ops decides, the scheduler does not retry them. */
  readonly #needsOps = new Set<string>();

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
    for (const newsletter of deps.newsletters) {
      if (!newsletter.schedule) continue;
      const parsed = parseCronExpression(newsletter.schedule);
      // The configuration was validated at load; this only guards direct construction.
      if (!parsed.ok) throw new Error(`newsletters.${newsletter.id}.schedule: ${parsed.problem}`);
      this.#schedules.set(newsletter.id, parsed.schedule);
    }
  }

  /** Records the schedules this scheduler runs (every newsletter, scheduled or not) for `schedule --list`. */
  async recordSchedules(holder: string, now: Date): Promise<void> {
    await this.#deps.store.recordSchedules({
      holder,
      recordedAt: now.toISOString(),
      newsletters: this.#deps.newsletters.map(newsletterSchedule),
    });
  }

  get scheduled(): readonly ScheduledNewsletter[] {
    return this.#deps.newsletters.filter((n) => this.#schedules.has(n.id));
  }

  get stopping(): boolean {
    return this.#halt.signal.aborted;
  }

  /** The instant of this process's last tick; null before the first. */
  get lastTickAt(): Date | null {
    return this.#lastTickAt;
  }

  /** The last send run this process finished (not stopped, not waiting for another holder); null before one. */
  get lastSend(): FinishedSend | null {
    return this.#lastSend;
  }

  #lastTickAt: Date | null = null;
  #lastSend: FinishedSend | null = null;

  async tick(now: Date): Promise<TickReport> {
    const report: TickReport = { at: now, actions: [], busy: [] };
    if (this.stopping) return report;
    const { store, logger } = this.#deps;
    // Slots between the previous tick and now passed while the scheduler was down (or
    // busy): each is caught up or recorded as missed, however long the outage was.
    const previousTick = await store.lastTickAt();
    await store.recordTick(now);
    this.#lastTickAt = now;
    const epoch = (await store.firstTickAt()) ?? now;
    const started: Promise<void>[] = [];
    const ingest = this.#deps.work.ingestDueSources;
    if (ingest && !this.#inFlight.has(SOURCES)) {
      // Sources on their own schedule, beside (not before) the newsletters: a slow feed
      // must not hold a send back. Each edition still ingests right before it is built.
      const work = ingest(now)
        .catch((error: unknown) =>
          logger.error({ err: error }, `ingesting due sources failed: ${(error as Error).message}`),
        )
        .finally(() => this.#inFlight.delete(SOURCES));
      this.#inFlight.set(SOURCES, work);
      started.push(work);
    }
    const bounces = this.#deps.work.processBounces;
    if (bounces && !this.#inFlight.has(BOUNCES)) {
      // Beside the newsletters too: a large mailbox must not hold a send back.
      const work = bounces(now)
        .catch((error: unknown) =>
          logger.error({ err: error }, `processing bounces failed: ${(error as Error).message}`),
        )
        .finally(() => this.#inFlight.delete(BOUNCES));
      this.#inFlight.set(BOUNCES, work);
      started.push(work);
    }
    for (const newsletter of this.scheduled) {
      const running = this.#inFlight.get(newsletter.id);
      if (running) {
        logger.info(
          { newsletter: newsletter.id },
          'previous work for this newsletter is still running (sending): this tick waits for it',
        );
        report.busy.push(newsletter.id);
        continue;
      }
      const work = this.#runNewsletter(newsletter, now, epoch, previousTick, report)
        .catch((error: unknown) => {
          logger.error({ newsletter: newsletter.id, err: error }, `scheduled work failed: ${(error as Error).message}`);
          report.actions.push({
            newsletterId: newsletter.id,
            editionId: '',
            action: 'failed',
            detail: (error as Error).message,
          });
        })
        .finally(() => this.#inFlight.delete(newsletter.id));
      this.#inFlight.set(newsletter.id, work);
      started.push(work);
    }
    await Promise.all(started);
    return report;
  }

  /** Takes no new work, lets sends in flight finish their messages and be recorded. */
  async stop(): Promise<void> {
    this.#halt.abort();
    await Promise.all(this.#inFlight.values());
  }

  /** The slot's instants: for subscriber-local, the readers' earliest and latest wall time. */
  async #timesOf(newsletter: ScheduledNewsletter, slot: ScheduledSlot, zones: readonly string[]): Promise<SlotTimes> {
    if (newsletter.deliver !== 'subscriber-local')
      return { slot: slot.utc, firstRelease: slot.utc, lastRelease: slot.utc };
    const releases = zones.map((zone) => releaseAt(slot, zone).getTime());
    return {
      slot: slot.utc,
      firstRelease: new Date(Math.min(...releases)),
      lastRelease: new Date(Math.max(...releases)),
    };
  }

  async #runNewsletter(
    newsletter: ScheduledNewsletter,
    now: Date,
    epoch: Date,
    previousTick: Date | null,
    report: TickReport,
  ): Promise<void> {
    const { editions, work } = this.#deps;
    const policy: SlotPolicy = { ...newsletter, maxLateness: this.#deps.maxLateness };
    const local = newsletter.deliver === 'subscriber-local';
    const zones = local ? await this.#zonesOf(newsletter) : [newsletter.timezone];
    // Far enough back for every deadline, catch-up and resumable send; subscriber-local
    // readers are up to a day either side of the newsletter's zone.
    const spread = local ? 2 * DAY : 0;
    const lookback = Math.max(policy.approvalDeadline + policy.catchUp, policy.maxLateness) + policy.catchUp + spread;
    const from = Math.max(
      Math.min(now.getTime() - lookback, (previousTick?.getTime() ?? now.getTime()) - spread),
      now.getTime() - MAX_OUTAGE_SCAN,
    );
    const slots = listSlots(
      this.#schedules.get(newsletter.id)!,
      newsletter.timezone,
      new Date(from),
      new Date(now.getTime() + policy.prepareAhead + spread),
    );
    await this.#decideUndecided(
      newsletter,
      now,
      epoch,
      zones,
      policy,
      new Set(slots.map((slot) => editionIdFor(newsletter.id, slot))),
      report,
    );
    for (const slot of slots) {
      if (this.stopping) return;
      const editionId = editionIdFor(newsletter.id, slot);
      const times = await this.#timesOf(newsletter, slot, zones);
      let edition = await editions.getEdition(editionId);
      let action = decideSlot(now, times, edition, policy, epoch);
      if (action.kind === 'prepare') {
        await work.refreshBeforePrepare(newsletter.id);
        edition = await work.prepare(newsletter.id, slot.utc);
        const thin = edition.status === 'skipped';
        await this.#record(
          newsletter.id,
          editionId,
          thin ? 'skipped' : 'prepared',
          now,
          thin ? edition.statusReason : `${edition.articles.length} article(s)`,
          report,
        );
        if (edition.status === 'draft' && newsletter.requireApproval) {
          const notified = await work.notifyEditors(newsletter.id, edition);
          await this.#record(
            newsletter.id,
            editionId,
            'editors-notified',
            now,
            notified.join(', ') || 'no editors configured',
            report,
          );
        }
        action = decideSlot(now, times, edition, policy, epoch);
      }
      await this.#act(newsletter, slot, edition, action, now, zones, report);
    }
  }

  /**
   * Undecided editions the slot scan leaves alone: drafts built by hand (`tidings run`,
   * `edition build`, the desk) at a time the schedule does not name, and older ones. Each
   * is decided by the same rule as a slot (approval deadline, catch-up), so none is
   * stranded, except that an off-schedule draft needing no approval is never sent
   * unattended (`tidings send --at` sends it; after catchUp it is skipped). One older
   * than an edition that already went out is superseded.
   */
  async #decideUndecided(
    newsletter: ScheduledNewsletter,
    now: Date,
    epoch: Date,
    zones: readonly string[],
    policy: SlotPolicy,
    scanned: ReadonlySet<string>,
    report: TickReport,
  ): Promise<void> {
    const { editions } = this.#deps;
    const undecided = await editions.listEditions(newsletter.id, { statuses: UNDECIDED });
    if (undecided.length === 0) return;
    const latestOut = await wentOutAfter(
      editions,
      newsletter.id,
      new Date(Math.min(...undecided.map((e) => Date.parse(e.slot)))),
    );
    for (const edition of undecided) {
      if (this.stopping) return;
      const slot = slotOfEdition(edition, newsletter.timezone);
      if (latestOut && Date.parse(latestOut.slot) > slot.utc.getTime()) {
        await this.#act(
          newsletter,
          slot,
          edition,
          { kind: 'skip', reason: `superseded: ${latestOut.id}, a later edition, went out first` },
          now,
          zones,
          report,
        );
        continue;
      }
      if (scanned.has(edition.id)) continue;
      const action = decideSlot(now, await this.#timesOf(newsletter, slot, zones), edition, policy, epoch);
      const unattended =
        action.kind === 'send' &&
        !action.approveBecause &&
        edition.status === 'draft' &&
        !isOnSchedule(this.#schedules.get(newsletter.id)!, newsletter.timezone, slot.utc);
      await this.#act(
        newsletter,
        slot,
        edition,
        unattended ? { kind: 'nothing', why: 'an off-schedule draft is sent by hand' } : action,
        now,
        zones,
        report,
      );
    }
  }

  async #act(
    newsletter: ScheduledNewsletter,
    slot: ScheduledSlot,
    edition: Edition | null,
    action: SlotAction,
    now: Date,
    zones: readonly string[],
    report: TickReport,
  ): Promise<void> {
    const { editions, logger } = this.#deps;
    const editionId = edition?.id ?? editionIdFor(newsletter.id, slot);
    switch (action.kind) {
      case 'nothing':
      case 'prepare':
        return;
      case 'hold':
        if (this.#needsOps.has(editionId)) return;
        this.#needsOps.add(editionId);
        logger.warn({ edition: editionId }, action.reason);
        await this.#record(newsletter.id, editionId, 'waiting', now, action.reason, report);
        return;
      case 'miss':
      case 'skip': {
        if (!edition) {
          // A missed slot is recorded as a skipped edition with no articles: it never
          // gets a second edition, and `since-last` windows reach back past it.
          await editions.createEdition(
            {
              id: editionId,
              newsletterId: newsletter.id,
              slot: slot.iso,
              slotUtc: slot.utc.toISOString(),
              status: 'skipped',
              statusReason: action.reason,
              articles: [],
            },
            now,
          );
        } else if (
          !(await editions.setStatus(editionId, 'skipped', {
            at: now,
            reason: action.reason,
            from: ['draft', 'approved'],
          }))
        ) {
          return; // decided elsewhere meanwhile (an editor approved, a send started)
        }
        logger.warn({ edition: editionId }, action.reason);
        await this.#record(
          newsletter.id,
          editionId,
          action.kind === 'miss' ? 'missed' : 'skipped',
          now,
          action.reason,
          report,
        );
        return;
      }
      case 'send':
        // Once an operator resolved the ambiguous rows, the edition is the scheduler's again.
        if (edition && this.#needsOps.has(editionId) && (await this.#deps.work.unresolvedAmbiguous?.(editionId)) === 0)
          this.#needsOps.delete(editionId);
        if (!edition || this.#needsOps.has(editionId)) return;
        if (action.approveBecause) {
          await editions.setStatus(editionId, 'approved', {
            at: now,
            from: ['draft'],
            approvedBy: 'scheduler',
            reason: action.approveBecause,
          });
          edition = (await editions.getEdition(editionId))!;
        }
        await this.#send(newsletter, slot, edition, now, zones, report);
    }
  }

  async #send(
    newsletter: ScheduledNewsletter,
    slot: ScheduledSlot,
    edition: Edition,
    now: Date,
    zones: readonly string[],
    report: TickReport,
  ): Promise<void> {
    const { work, store, logger } = this.#deps;
    let recipientFilter: ((reader: { timezone: string | null }) => boolean) | undefined;
    let partial = false;
    let releasing: string[] = [];
    if (newsletter.deliver === 'subscriber-local') {
      const released = new Set(
        (await store.listEvents(edition.id)).filter((e) => e.kind === 'released').map((e) => e.detail),
      );
      const due = zones.filter((zone) => releaseAt(slot, zone).getTime() <= now.getTime());
      releasing = due.filter((zone) => !released.has(zone));
      partial = due.length < zones.length;
      // Between zones nothing is due unless an earlier release was interrupted; once every
      // zone is due, a run that did not finish (temporary failures) is retried like at-slot.
      if (releasing.length === 0 && partial && edition.status === 'sending' && !this.#interrupted.has(edition.id))
        return;
      const dueZones = new Set(due);
      recipientFilter = (reader) => dueZones.has(zoneOf(reader.timezone, newsletter.timezone));
    }
    const result = await work.send(newsletter.id, edition, { recipientFilter, partial, signal: this.#halt.signal });
    if (result.heldBy) {
      logger.info(
        { edition: edition.id, holder: result.heldBy },
        'another process is sending this edition: this tick waits for it',
      );
      report.busy.push(newsletter.id);
      return;
    }
    // Ambiguous rows wait for an operator (tidings deliveries resolve): a warning, not news.
    for (const line of result.lines) {
      if (result.ambiguous > 0) logger.warn({ edition: edition.id, ambiguous: result.ambiguous }, line);
      else logger.info({ edition: edition.id }, line);
    }
    if (!result.stopped && result.finishedAt) {
      this.#lastSend = {
        editionId: edition.id,
        accepted: result.accepted ?? 0,
        ratePerSecond: result.ratePerSecond ?? 0,
        finishedAt: result.finishedAt,
      };
    }
    if (result.stopped) {
      this.#interrupted.add(edition.id);
      return;
    }
    this.#interrupted.delete(edition.id);
    for (const zone of releasing) await this.#record(newsletter.id, edition.id, 'released', now, zone, report);
    if (result.finished)
      await this.#record(newsletter.id, edition.id, 'sent', now, result.lines.join(' ').slice(0, 500), report);
    else if (result.ambiguous > 0) {
      this.#needsOps.add(edition.id);
      await this.#record(
        newsletter.id,
        edition.id,
        'failed',
        now,
        `${result.ambiguous} ambiguous deliveries: ${result.lines.join(' ').slice(0, 400)}`,
        report,
      );
    } else if (result.exitCode !== 0) {
      await this.#record(newsletter.id, edition.id, 'failed', now, result.lines.join(' ').slice(0, 500), report);
    }
  }

  /** Editions whose send a stop interrupted in this process (resumed on the next tick). */
  readonly #interrupted = new Set<string>();

  async #zonesOf(newsletter: ScheduledNewsletter): Promise<string[]> {
    const zones = new Set<string>();
    for (const zone of await this.#deps.work.readerZones(newsletter.id)) zones.add(zoneOf(zone, newsletter.timezone));
    if (zones.size === 0) zones.add(newsletter.timezone);
    return [...zones];
  }

  async #record(
    newsletterId: string,
    editionId: string,
    kind: ScheduleEventKind,
    now: Date,
    detail: string | null,
    report: TickReport,
  ): Promise<void> {
    await this.#deps.store.recordEvent({ newsletterId, editionId, kind, detail, at: now.toISOString() });
    report.actions.push({ newsletterId, editionId, action: kind, ...(detail ? { detail } : {}) });
    this.#deps.logger.info({ newsletter: newsletterId, edition: editionId, detail }, `scheduler: ${kind}`);
  }
}
