import type { StatusSources } from '../../app/status-report.ts';
import { tallyOf, type DeliveryTally } from '../../delivery/delivery-tally.ts';
import {
  DELIVERY_STATUSES,
  emptyCounts,
  type DeliveryStatus,
  type EditionDeliverySummary,
} from '../../delivery/ledger.ts';
import type { EditionFeedbackCounts } from '../../delivery/delivery-events.ts';
import { feedbackRates, formatPercent, isAboveComplaintLimit } from '../../delivery/feedback-rates.ts';
import type { LeaseHolder } from '../../delivery/send-lease.ts';
import { notYetQueued, type EditionAudience, type EditionStatus } from '../../editions/edition.ts';
import type { WebhookQueueCounts } from '../../webhooks/webhook-queue.ts';
import { cadenceOf, formatCadenceTotals, statusCadenceTotals, streamsOf } from './status-cadences.ts';

/** What `tidings status` and `tidings deliveries` need: the app's status sources and two output streams. */
export interface StatusContext extends StatusSources {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const COLUMNS = ['pending', 'sending', 'accepted', 'failed', 'skipped'] as const;
const TALLY_COLUMNS: readonly [keyof DeliveryTally, string][] = [
  ['accepted', 'accepted'],
  ['failed', 'failed'],
  ['ambiguous', 'ambiguous'],
  ['skipped', 'skipped'],
  ['pending', 'pending'],
  ['inFlight', 'in flight'],
  ['total', 'total'],
];

const percent = formatPercent;

interface EditionLine {
  edition: string;
  status: EditionStatus | null;
  summary: EditionDeliverySummary;
  statusReason: string | null;
  audience: EditionAudience | null;
}

/**
 * Every edition, newest slot first, with the ledger's counts: an edition that was
 * skipped, or is a draft nobody has sent yet, shows zeros. Editions known only to the
 * ledger come last.
 */
async function collectEditions(ctx: StatusContext, newsletter: string | undefined): Promise<EditionLine[]> {
  // A newsletter with cadences is all its streams' editions, newest slot first.
  const streams = streamsOf(ctx.streams ?? [], newsletter);
  if (streams) {
    const all = (await Promise.all(streams.map((id) => collectStreamEditions(ctx, id)))).flat();
    return all.sort((a, b) => slotOf(b.edition).localeCompare(slotOf(a.edition)));
  }
  return collectStreamEditions(ctx, newsletter);
}

/** The editions of one newsletter or stream (all of them without one). */
async function collectStreamEditions(ctx: StatusContext, newsletter: string | undefined): Promise<EditionLine[]> {
  const summaries = new Map((await ctx.ledger.editions(newsletter)).map((s) => [s.editionId, s]));
  const lines: EditionLine[] = [];
  for (const edition of (await ctx.editions?.listEditions(newsletter)) ?? []) {
    const summary = summaries.get(edition.id) ?? {
      editionId: edition.id,
      counts: emptyCounts(),
      ambiguous: 0,
      lastActivityAt: null,
    };
    summaries.delete(edition.id);
    lines.push({
      edition: edition.id,
      status: edition.status,
      statusReason: edition.statusReason,
      summary,
      audience: edition.audience ?? null,
    });
  }
  for (const summary of summaries.values())
    lines.push({ edition: summary.editionId, status: null, statusReason: null, summary, audience: null });
  return lines;
}

const slotOf = (editionId: string) => editionId.slice(editionId.indexOf('/') + 1);

/** Readers named per edition at most; `tidings deliveries <edition> --status skipped` lists every one. */
const SKIPPED_NAMED = 10;

/** Who got nothing from an edition and why (the plan's reason kept in the ledger): a skip is a reader, not only a count. */
async function skippedReaders(ctx: StatusContext, editionId: string): Promise<{ email: string; reason: string }[]> {
  const rows = await ctx.ledger.list(editionId, 'skipped');
  return rows.slice(0, SKIPPED_NAMED).map((row) => ({
    email: row.email ?? `subscriber ${row.subscriberId}`,
    reason: row.reason ?? 'no reason recorded',
  }));
}

/** `tidings status [<newsletter>] [--json]`: per edition, its status, counts per delivery status, ambiguous rows and the last errors. */
export async function runStatus(
  ctx: StatusContext,
  options: { newsletter?: string; json: boolean; errors?: number },
): Promise<number> {
  const streams = ctx.streams ?? [];
  // These are keyed by edition: a newsletter with cadences reads them for all (its streams' editions are among them).
  const filter = streamsOf(streams, options.newsletter) ? undefined : options.newsletter;
  const unsubscribes = (await ctx.subscribers?.unsubscribesByEdition(filter)) ?? new Map<string, number>();
  const feedback = (await ctx.deliveryEvents?.countsByEdition(filter)) ?? new Map<string, EditionFeedbackCounts>();
  const active = new Map<string, LeaseHolder>(
    ctx.sendLease && ctx.now
      ? (await ctx.sendLease.active(ctx.now, filter)).map((lease) => [lease.editionId, lease])
      : [],
  );
  const lines = await collectEditions(ctx, options.newsletter);
  const editions = await Promise.all(
    lines.map(async ({ edition, status, statusReason, summary, audience }) => {
      const workers =
        summary.counts.sending && ctx.workQueue && ctx.now ? await ctx.workQueue.inFlight(edition, ctx.now) : [];
      const inFlightAtWorkers = workers.reduce((sum, worker) => sum + worker.rows, 0);
      // While a send holds the edition, its `sending` rows are in flight, not (yet) ambiguous; so are live workers' rows.
      const tally = tallyOf(
        summary.counts,
        active.has(edition) ? 0 : Math.max(0, summary.ambiguous - inFlightAtWorkers),
      );
      return {
        edition,
        cadence: cadenceOf(streams, edition),
        status,
        statusReason,
        ...Object.fromEntries(COLUMNS.map((column) => [column, summary.counts[column]])),
        ambiguous: tally.ambiguous,
        inFlight: tally.inFlight,
        workers,
        unsubscribed: unsubscribes.get(edition) ?? 0,
        feedback: feedbackRates(feedback.get(edition), summary.counts.accepted),
        sendingNow: active.has(edition)
          ? {
              holder: active.get(edition)!.holder,
              since: active.get(edition)!.acquiredAt,
              heartbeatAt: active.get(edition)!.heartbeatAt,
            }
          : null,
        total: summary.counts.total,
        // The readers it must reach (recorded when its send started) and those without a ledger row yet.
        audience: audience?.total ?? null,
        notYetQueued: notYetQueued(audience, summary.counts.total),
        queueHeldBy: audience?.heldBy ?? null,
        lastActivityAt: summary.lastActivityAt,
        lastErrors: summary.counts.failed ? await ctx.ledger.lastErrors(edition, options.errors ?? 3) : [],
        skippedReaders: summary.counts.skipped ? await skippedReaders(ctx, edition) : [],
      };
    }),
  );
  const webhooks = (await ctx.webhooks?.counts()) ?? null;
  const cadences = statusCadenceTotals(
    streams,
    options.newsletter,
    lines.map(({ edition, summary }) => ({ edition, counts: summary.counts })),
  );
  if (options.json) {
    const extra = { ...(cadences.length ? { cadences } : {}), ...(webhooks ? { webhooks } : {}) };
    ctx.stdout.write(`${JSON.stringify({ editions, ...extra }, null, 2)}\n`);
    return 0;
  }
  if (!editions.length) {
    ctx.stdout.write(
      options.newsletter ? `No editions yet for newsletter "${options.newsletter}".\n` : 'No editions yet.\n',
    );
    writeWebhookLine(ctx, webhooks);
    return 0;
  }
  // The words and order of the send summary (delivery-tally.ts); `sending` rows split into ambiguous and in flight.
  const header = ['edition', 'status', ...TALLY_COLUMNS.map(([, title]) => title), 'unsubscribed', 'note'];
  const rows = editions.map((e) => [
    e.edition,
    e.status ?? '-',
    ...TALLY_COLUMNS.map(([key]) => String((e as Record<string, unknown>)[key])),
    String(e.unsubscribed),
    oneLine(e.statusReason),
  ]);
  ctx.stdout.write(formatTable(header, rows));
  for (const e of editions) {
    const f = e.feedback;
    if (f.hardBounces || f.softBounces || f.complaints) {
      ctx.stdout.write(
        `\n${e.edition}: ${f.hardBounces} hard bounce${f.hardBounces === 1 ? '' : 's'} (${percent(f.bounceRate)} of accepted), ` +
          `${f.softBounces} soft, ${f.complaints} complaint${f.complaints === 1 ? '' : 's'} (${percent(f.complaintRate)})\n`,
      );
      if (isAboveComplaintLimit(f)) {
        ctx.stdout.write(
          `WARNING: ${e.edition}: complaint rate ${percent(f.complaintRate)} is above 0.3% (Gmail's limit for bulk senders): ` +
            'check who is on the list and how they joined.\n',
        );
      }
    }
    if (e.sendingNow) {
      ctx.stdout.write(
        `\n${e.edition}: being sent now by ${e.sendingNow.holder} (since ${e.sendingNow.since}); its "sending" rows are in flight.\n`,
      );
    }
    if (e.workers.length) {
      const who = e.workers.map((w) => `${w.workerId} (${w.rows} in flight)`).join(', ');
      ctx.stdout.write(
        `\n${e.edition}: being sent by ${e.workers.length} worker${e.workers.length === 1 ? '' : 's'}: ${who}; those rows are in flight, not ambiguous.\n`,
      );
    }
    if (e.notYetQueued) {
      const who = e.queueHeldBy
        ? `queuing held by ${e.queueHeldBy}; the next send queues them`
        : 'the next send, the scheduler or a worker queues them';
      const stays = e.status === 'sending' ? '; it stays sending until they are' : '';
      ctx.stdout.write(`\n${e.edition}: ${e.notYetQueued} of ${e.audience} readers not yet queued (${who})${stays}.\n`);
    }
    if (e.ambiguous) {
      ctx.stdout.write(
        `\n${e.edition}: ${e.ambiguous} ambiguous (no reply after the end of DATA, or left "sending" by an interrupted run; maybe accepted). ` +
          `List them with \`tidings deliveries ${e.edition} --status sending\`; once the mail server's log tells, record it with ` +
          `\`tidings deliveries resolve ${e.edition} <email…|--all-ambiguous> --accepted|--not-accepted\` ` +
          '(not accepted ones are resent by the next run), or resend them all with --resend-ambiguous (some may get a second copy).\n',
      );
    }
    if (e.skippedReaders.length) {
      const skipped = Number((e as Record<string, unknown>).skipped);
      ctx.stdout.write(`\n${skipped} reader${skipped === 1 ? '' : 's'} received nothing from ${e.edition}:\n`);
      for (const reader of e.skippedReaders) ctx.stdout.write(`  ${reader.email}: ${oneLine(reader.reason)}\n`);
      if (skipped > e.skippedReaders.length)
        ctx.stdout.write(
          `  … and ${skipped - e.skippedReaders.length} more (tidings deliveries ${e.edition} --status skipped)\n`,
        );
    }
    if (e.lastErrors.length) {
      ctx.stdout.write(`\n${e.edition}: last errors\n`);
      for (const error of e.lastErrors) {
        ctx.stdout.write(
          `  ${error.at ?? '-'}  ${error.email ?? `subscriber ${error.subscriberId}`}  ${error.errorCode ?? ''}  ${oneLine(error.response)}\n`,
        );
      }
    }
  }
  ctx.stdout.write(formatCadenceTotals(cadences));
  writeWebhookLine(ctx, webhooks);
  return 0;
}

/** Webhooks that gave up (or wait): said only when there are some, with the commands that act on them. */
function writeWebhookLine(ctx: StatusContext, counts: WebhookQueueCounts | null): void {
  if (!counts || (counts.failed === 0 && counts.pending === 0)) return;
  const failed = counts.failed
    ? `${counts.failed} failed for good (tidings webhooks list --status failed; tidings webhooks retry --all), `
    : '';
  ctx.stdout.write(`\nwebhooks: ${failed}${counts.pending} pending, ${counts.delivered} delivered\n`);
}

/** `tidings deliveries <edition> [--status S] [--json]`: one line per ledger row. */
export async function runDeliveries(
  ctx: StatusContext,
  options: { edition: string; status?: string; json: boolean },
): Promise<number> {
  if (options.status !== undefined && !DELIVERY_STATUSES.includes(options.status as DeliveryStatus)) {
    ctx.stderr.write(`--status must be one of ${DELIVERY_STATUSES.join(', ')} (got "${options.status}")\n`);
    return 2;
  }
  const rows = await ctx.ledger.list(options.edition, options.status as DeliveryStatus | undefined);
  if (!rows.length && ctx.editions && !(await ctx.editions.getEdition(options.edition))) {
    ctx.stderr.write(
      `no edition "${options.edition}" (edition ids look like daily/2026-11-28T07:00; see tidings status)\n`,
    );
    return 2;
  }
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify({ edition: options.edition, deliveries: rows }, null, 2)}\n`);
    return 0;
  }
  if (!rows.length) {
    ctx.stdout.write(
      `No deliveries${options.status ? ` with status ${options.status}` : ''} for edition ${options.edition}.\n`,
    );
    return 0;
  }
  const header = ['subscriber', 'email', 'status', 'attempts', 'at', 'detail'];
  ctx.stdout.write(
    formatTable(
      header,
      rows.map((r) => [
        String(r.subscriberId),
        r.email ?? '',
        r.status,
        String(r.attempts),
        r.finishedAt ?? r.claimedAt ?? '',
        r.resolution && r.status !== 'sending'
          ? `was ambiguous; resolved ${r.resolution.decision} by ${r.resolution.by} at ${r.resolution.at}${r.messageId ? ` · ${r.messageId}` : ''}`
          : r.status === 'skipped'
            ? (r.reason ?? '')
            : r.status === 'failed' || (r.status === 'sending' && r.errorCode)
              ? `${r.errorCode ?? ''} ${oneLine(r.response)}`
              : (r.messageId ?? ''),
      ]),
    ),
  );
  return 0;
}

function oneLine(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 160);
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
