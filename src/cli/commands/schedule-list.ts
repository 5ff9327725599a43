import type { AppContext } from '../../app/context.ts';
import { editionIdFor } from '../../editions/slot.ts';
import { parseCronExpression } from '../../schedule/cron-expression.ts';
import { nextSlots } from '../../schedule/schedule-slots.ts';
import { isSchedulerHolderGone } from './schedule.ts';

const two = (n: number) => String(n).padStart(2, '0');
const utcText = (at: Date) => `${at.getUTCFullYear()}-${two(at.getUTCMonth() + 1)}-${two(at.getUTCDate())} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}Z`;

/** `tidings schedule --list`: next five slots (zone and UTC), approval state, last run. */
export async function runScheduleList(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const lease = await ctx.store.scheduler.getLease();
  const lastTick = await ctx.store.scheduler.lastTickAt();
  const leftByDeadProcess = lease !== null && isSchedulerHolderGone(lease.holder);
  ctx.out(lease && new Date(lease.expiresAt) > now && !leftByDeadProcess
    ? `scheduler: running (${lease.holder}, heartbeat ${lease.heartbeatAt})`
    : `scheduler: not running${lastTick ? ` (last tick ${lastTick.toISOString()})` : ''}` +
        (leftByDeadProcess && new Date(lease.expiresAt) > now ? `; the lease of ${lease.holder} was left by a process that no longer exists: the next start takes it over` : ''));
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
