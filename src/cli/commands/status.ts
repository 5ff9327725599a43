import { DELIVERY_STATUSES, type DeliveryStatus, type Ledger } from '../../delivery/ledger.ts';

/** What `tidings status` and `tidings deliveries` need: the ledger and two output streams. */
export interface StatusContext {
  ledger: Pick<Ledger, 'editions' | 'lastErrors' | 'list'>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const COLUMNS = ['pending', 'sending', 'accepted', 'failed', 'skipped'] as const;

/** `tidings status [<newsletter>] [--json]`: per edition, counts per status, ambiguous rows and the last errors. */
export async function runStatus(ctx: StatusContext, options: { newsletter?: string; json: boolean; errors?: number }): Promise<number> {
  const summaries = await ctx.ledger.editions(options.newsletter);
  const editions = await Promise.all(
    summaries.map(async (summary) => ({
      edition: summary.editionId,
      ...Object.fromEntries(COLUMNS.map((status) => [status, summary.counts[status]])),
      ambiguous: summary.ambiguous,
      total: summary.counts.total,
      lastActivityAt: summary.lastActivityAt,
      lastErrors: await ctx.ledger.lastErrors(summary.editionId, options.errors ?? 3),
    })),
  );
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify({ editions }, null, 2)}\n`);
    return 0;
  }
  if (!editions.length) {
    ctx.stdout.write(options.newsletter ? `No deliveries yet for newsletter "${options.newsletter}".\n` : 'No deliveries yet.\n');
    return 0;
  }
  const header = ['edition', ...COLUMNS, 'ambiguous'];
  const rows = editions.map((e) => [e.edition, ...COLUMNS.map((c) => String((e as Record<string, unknown>)[c])), String(e.ambiguous)]);
  ctx.stdout.write(formatTable(header, rows));
  for (const e of editions) {
    if (e.ambiguous) {
      ctx.stdout.write(
        `\n${e.edition}: ${e.ambiguous} ambiguous (left "sending" by an interrupted run; maybe accepted). ` +
          'They are not resent unless you rerun the send with --resend-ambiguous; list them with ' +
          `\`tidings deliveries ${e.edition} --status sending\`.\n`,
      );
    }
    if (e.lastErrors.length) {
      ctx.stdout.write(`\n${e.edition}: last errors\n`);
      for (const error of e.lastErrors) {
        ctx.stdout.write(`  ${error.at ?? '-'}  ${error.email ?? `subscriber ${error.subscriberId}`}  ${error.errorCode ?? ''}  ${oneLine(error.response)}\n`);
      }
    }
  }
  return 0;
}

/** `tidings deliveries <edition> [--status S] [--json]`: one line per ledger row. */
export async function runDeliveries(ctx: StatusContext, options: { edition: string; status?: string; json: boolean }): Promise<number> {
  if (options.status !== undefined && !DELIVERY_STATUSES.includes(options.status as DeliveryStatus)) {
    ctx.stderr.write(`--status must be one of ${DELIVERY_STATUSES.join(', ')} (got "${options.status}")\n`);
    return 2;
  }
  const rows = await ctx.ledger.list(options.edition, options.status as DeliveryStatus | undefined);
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify({ edition: options.edition, deliveries: rows }, null, 2)}\n`);
    return 0;
  }
  if (!rows.length) {
    ctx.stdout.write(`No deliveries${options.status ? ` with status ${options.status}` : ''} for edition ${options.edition}.\n`);
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
        r.status === 'skipped' ? (r.reason ?? '') : r.status === 'failed' ? `${r.errorCode ?? ''} ${oneLine(r.response)}` : (r.messageId ?? ''),
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
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
