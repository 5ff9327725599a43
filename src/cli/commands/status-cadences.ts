import type { CadenceStreamInfo } from '../../app/status-report.ts';
import type { DeliveryCounts } from '../../delivery/ledger.ts';
import { parseEditionId } from '../../editions/slot.ts';

/**
 * `tidings status` for newsletters with cadences (issue 26): `status world` lists the
 * editions of all its streams (world, world.weekly…), each edition names its cadence, and
 * the deliveries are added up per cadence.
 */

/** The stream ids `status <newsletter>` reads; null: the newsletter itself only (it has no cadences). */
export function streamsOf(streams: readonly CadenceStreamInfo[], newsletter: string | undefined): string[] | null {
  if (newsletter === undefined) return null;
  const own = streams.filter((s) => s.newsletterId === newsletter).map((s) => s.id);
  return own.length > 0 ? own : null;
}

/** The cadence of an edition (`world.weekly/…` → weekly), null for a newsletter without cadences. */
export function cadenceOf(streams: readonly CadenceStreamInfo[], editionId: string): string | null {
  const id = streamIdOf(editionId);
  return streams.find((s) => s.id === id)?.cadence ?? null;
}

/** The stream an edition belongs to: its newsletter part (`world.weekly`). */
const streamIdOf = (editionId: string) => parseEditionId(editionId)?.newsletterId ?? null;

export interface CadenceTotal {
  newsletter: string;
  cadence: string;
  editions: number;
  accepted: number;
  failed: number;
  skipped: number;
  pending: number;
  total: number;
}

interface EditionCounts {
  edition: string;
  counts: Pick<DeliveryCounts, 'accepted' | 'failed' | 'skipped' | 'pending' | 'total'>;
}

/** Deliveries per newsletter and cadence, in configured order (streams with no edition yet count zero). */
export function cadenceTotals(
  streams: readonly CadenceStreamInfo[],
  editions: readonly EditionCounts[],
): CadenceTotal[] {
  const totals = new Map<string, CadenceTotal>(
    streams.map((s) => [
      s.id,
      {
        newsletter: s.newsletterId,
        cadence: s.cadence,
        editions: 0,
        accepted: 0,
        failed: 0,
        skipped: 0,
        pending: 0,
        total: 0,
      },
    ]),
  );
  for (const { edition, counts } of editions) {
    const total = totals.get(streamIdOf(edition) ?? '');
    if (!total) continue;
    total.editions += 1;
    total.accepted += counts.accepted;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
    total.pending += counts.pending;
    total.total += counts.total;
  }
  return [...totals.values()];
}

/** One line per newsletter: `world: daily 120 accepted (29 editions) · weekly 30 accepted (5 editions)`. */
export function formatCadenceTotals(totals: readonly CadenceTotal[]): string {
  if (totals.length === 0) return '';
  const byNewsletter = new Map<string, CadenceTotal[]>();
  for (const t of totals) byNewsletter.set(t.newsletter, [...(byNewsletter.get(t.newsletter) ?? []), t]);
  const lines = [...byNewsletter].map(
    ([newsletter, list]) =>
      `  ${newsletter}: ${list
        .map(
          (t) =>
            `${t.cadence} ${t.accepted} accepted${t.failed ? `, ${t.failed} failed` : ''}${t.skipped ? `, ${t.skipped} skipped` : ''}` +
            `${t.pending ? `, ${t.pending} pending` : ''} (${t.editions} edition${t.editions === 1 ? '' : 's'})`,
        )
        .join(' · ')}`,
  );
  return `\ndeliveries per cadence:\n${lines.join('\n')}\n`;
}

/** The totals `status [<newsletter>]` shows: every newsletter's streams, or the one asked for. */
export function statusCadenceTotals(
  streams: readonly CadenceStreamInfo[],
  newsletter: string | undefined,
  editions: readonly EditionCounts[],
): CadenceTotal[] {
  const shown = newsletter === undefined ? null : (streamsOf(streams, newsletter) ?? [newsletter]);
  return cadenceTotals(
    streams.filter((s) => !shown || shown.includes(s.id)),
    editions,
  );
}
