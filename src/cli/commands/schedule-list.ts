import { appOperations } from '../../app/app-operations.ts';
import type { AppContext } from '../../app/context.ts';
import type { ScheduleOverview } from '../../app/schedule-overview.ts';
import { parseCronExpression, type CronSchedule } from '../../core/cron-expression.ts';
import { newsletterSchedule, type RecordedNewsletterSchedule } from '../../schedule/scheduler-store.ts';
import { nextSlots } from '../../schedule/schedule-slots.ts';

const two = (n: number) => String(n).padStart(2, '0');
const utcText = (at: Date) =>
  `${at.getUTCFullYear()}-${two(at.getUTCMonth() + 1)}-${two(at.getUTCDate())} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}Z`;

/** Where the listed schedules come from: the running (or last) scheduler's record, else this shell's reading of the config. */
async function schedulesToList(
  ctx: AppContext,
  overview: ScheduleOverview,
  running: boolean,
): Promise<{ newsletters: RecordedNewsletterSchedule[]; note: string }> {
  const recorded = await overview.recordedSchedules();
  if (recorded) {
    const who = running ? 'the running scheduler' : 'the last scheduler (not running now)';
    return {
      newsletters: recorded.newsletters,
      note: `schedules: as recorded by ${who}, ${recorded.holder}, at ${recorded.recordedAt}`,
    };
  }
  return {
    newsletters: ctx.config.newsletters.map(newsletterSchedule),
    note: `schedules: no scheduler has recorded its configuration in this store yet; showing ${ctx.configFile} as read here (this shell's environment)`,
  };
}

/** `tidings schedule --list`: next five slots (zone and UTC), approval state, last run, as the scheduler runs them. */
export async function runScheduleList(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const overview = appOperations(ctx).scheduleOverview;
  const { lease, lastTick, running, leftByDeadProcess } = await overview.schedulerState(now);
  ctx.out(
    running
      ? `scheduler: running (${lease!.holder}, heartbeat ${lease!.heartbeatAt})`
      : `scheduler: not running${lastTick ? ` (last tick ${lastTick.toISOString()})` : ''}` +
          (leftByDeadProcess && lease && new Date(lease.expiresAt) > now
            ? `; the lease of ${lease.holder} was left by a process that no longer exists: the next start takes it over`
            : ''),
  );
  const { newsletters, note } = await schedulesToList(ctx, overview, running);
  ctx.out(note);
  for (const newsletter of newsletters) {
    ctx.out('');
    if (!newsletter.schedule) {
      ctx.out(`${newsletter.id}: no schedule (sent only by tidings send/run)`);
      continue;
    }
    const parsed = parseCronExpression(newsletter.schedule);
    if (!parsed.ok) continue; // validated at load
    const approval = newsletter.requireApproval
      ? `approval required (prepared ${newsletter.prepareAhead / 60_000}m ahead; unapproved ${newsletter.approvalDeadline / 60_000}m after the slot: ${newsletter.onApprovalTimeout})`
      : 'no approval needed';
    ctx.out(
      `${newsletter.id}: "${newsletter.schedule}" in ${newsletter.timezone}, deliver ${newsletter.deliver}, ${approval}`,
    );
    await listSlotsOf(ctx, overview, newsletter, parsed.schedule, now);
  }
  return 0;
}

async function listSlotsOf(
  ctx: AppContext,
  overview: ScheduleOverview,
  newsletter: RecordedNewsletterSchedule,
  schedule: CronSchedule,
  now: Date,
): Promise<void> {
  for (const slot of nextSlots(schedule, newsletter.timezone, now, 5)) {
    const edition = await overview.editionOfSlot(newsletter.id, slot);
    const note = slot.fit === 'skipped' ? `  (${slot.scheduledLocal.slice(11)} does not exist that day: DST)` : '';
    ctx.out(
      `  ${slot.iso.replace('T', ' ').slice(0, 16)} ${slot.iso.slice(19)}  = ${utcText(slot.utc)}  ${edition ? edition.status : 'not built'}${note}`,
    );
  }
  const drafts = await overview.openEditions(newsletter.id);
  for (const draft of drafts)
    ctx.out(
      `  ${draft.id}: ${draft.status === 'draft' && newsletter.requireApproval ? 'waiting for approval' : draft.status}`,
    );
  const last = await overview.lastEvent(newsletter.id);
  ctx.out(
    `  last run: ${last ? `${last.at} ${last.editionId} ${last.kind}${last.detail ? ` (${last.detail})` : ''}` : 'none yet'}`,
  );
}
