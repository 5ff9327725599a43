import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { AppContext } from '../../app/context.ts';
import { createScheduledWork } from '../../app/scheduled-work.ts';
import { parseCronExpression } from '../../schedule/cron-expression.ts';
import { runScheduler } from '../../schedule/run-scheduler.ts';
import { Scheduler } from '../../schedule/scheduler.ts';
import { LeaseHeldError, SchedulerLease } from '../../schedule/scheduler-lease.ts';
import { nextSlots } from '../../schedule/schedule-slots.ts';
import { editionIdFor } from '../../editions/slot.ts';
import type { CommandHost } from '../command-host.ts';
import { runIngest } from './ingest.ts';
import { stopOnSignals } from './send.ts';
import { runSubscribersSync } from './subscribers.ts';

/** The scheduler wired to this context: ingest and subscriber sync come from their commands. */
export function createScheduler(ctx: AppContext): Scheduler {
  const work = createScheduledWork(ctx, async () => {
    await runIngest(ctx, {});
    await runSubscribersSync(ctx, { skipInvalid: true });
  });
  return new Scheduler({
    newsletters: ctx.config.newsletters,
    editions: ctx.store.editions,
    store: ctx.store.scheduler,
    work,
    logger: ctx.logger,
    maxLateness: ctx.config.delivery.maxLateness,
  });
}

export function createLease(ctx: AppContext): SchedulerLease {
  return new SchedulerLease(ctx.store.scheduler, `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`, ctx.config.scheduler.leaseTtl);
}

/** `tidings schedule`: the scheduler alone, until SIGTERM/SIGINT (exit 0) or a lost lease (exit 1). */
export async function runScheduleCommand(ctx: AppContext, signal: AbortSignal): Promise<number> {
  const scheduler = createScheduler(ctx);
  if (scheduler.scheduled.length === 0) {
    ctx.err(`no newsletter in ${ctx.configFile} has a schedule: nothing to run (add newsletters[].schedule, e.g. "0 7 * * *")`);
    return 1;
  }
  try {
    const outcome = await runScheduler({
      scheduler, lease: createLease(ctx), clock: ctx.clock, logger: ctx.logger, tickEveryMs: ctx.config.scheduler.tickEvery, signal,
    });
    return outcome === 'stopped' ? 0 : 1;
  } catch (error) {
    if (!(error instanceof LeaseHeldError)) throw error;
    ctx.err(`error: ${error.message}`);
    return 2;
  }
}

const two = (n: number) => String(n).padStart(2, '0');
const utcText = (at: Date) => `${at.getUTCFullYear()}-${two(at.getUTCMonth() + 1)}-${two(at.getUTCDate())} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}Z`;

/** `tidings schedule --list`: next five slots (zone and UTC), approval state, last run. */
export async function runScheduleList(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const lease = await ctx.store.scheduler.getLease();
  const lastTick = await ctx.store.scheduler.lastTickAt();
  ctx.out(lease && new Date(lease.expiresAt) > now
    ? `scheduler: running (${lease.holder}, heartbeat ${lease.heartbeatAt})`
    : `scheduler: not running${lastTick ? ` (last tick ${lastTick.toISOString()})` : ''}`);
  for (const newsletter of ctx.config.newsletters) {
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
    ctx.out(`${newsletter.id}: "${newsletter.schedule}" in ${newsletter.timezone}, deliver ${newsletter.deliver}, ${approval}`);
    for (const slot of nextSlots(parsed.schedule, newsletter.timezone, now, 5)) {
      const edition = await ctx.store.editions.getEdition(editionIdFor(newsletter.id, slot));
      const note = slot.fit === 'skipped' ? `  (${slot.scheduledLocal.slice(11)} does not exist that day: DST)` : '';
      ctx.out(`  ${slot.iso.replace('T', ' ').slice(0, 16)} ${slot.iso.slice(19)}  = ${utcText(slot.utc)}  ${edition ? edition.status : 'not built'}${note}`);
    }
    const drafts = (await ctx.store.editions.listEditions(newsletter.id)).filter((e) => e.status === 'draft' || e.status === 'approved');
    for (const draft of drafts) ctx.out(`  ${draft.id}: ${draft.status === 'draft' && newsletter.requireApproval ? 'waiting for approval' : draft.status}`);
    const last = await ctx.store.scheduler.lastEvent(newsletter.id);
    ctx.out(`  last run: ${last ? `${last.at} ${last.editionId} ${last.kind}${last.detail ? ` (${last.detail})` : ''}` : 'none yet'}`);
  }
  return 0;
}

export function registerScheduleCommand(program: Command, host: CommandHost): void {
  program
    .command('schedule')
    .description("run the scheduler: each newsletter's edition at its schedule, in its time zone, until SIGTERM")
    .option('--list', "show each newsletter's next five slots, approval state and last run, then exit")
    .action(async (options: { list?: boolean }) => {
      const ctx = await host.getContext();
      if (options.list) return host.setExitCode(await runScheduleList(ctx));
      const signals = stopOnSignals(ctx);
      try {
        host.setExitCode(await runScheduleCommand(ctx, signals.signal));
      } finally {
        signals.release();
      }
    });
}
