import { UsageError } from '../../core/errors.ts';
import type { TidingsConfig } from '../../config/schema.ts';
import type { Clock } from '../../core/clock.ts';
import { SUBSCRIBER_FIELDS } from '../../subscribers/subscriber-row.ts';
import type { SubscriberRecord, SubscriberStore } from '../../subscribers/subscriber-store.ts';
import { cadenceState } from './reader-cadence.ts';

/** The export's columns: the subscriber files' own, `cadence` last (issue 26). */
export const EXPORT_FIELDS = SUBSCRIBER_FIELDS;

/** What an export reads besides the store: the cadences offered, and now (a change waiting is the reader's choice). */
export interface ExportContext {
  config: Pick<TidingsConfig, 'newsletters'>;
  clock: Clock;
}

export type ExportFormat = 'csv' | 'jsonl';

/** One subscriber as exported: the subscriber files' columns, so `import --from csv` reads it back. */
export interface ExportedSubscriber {
  email: string;
  name: string | null;
  firstName: string | null;
  /** Active subscriptions only. */
  newsletters: string[];
  /** Chosen categories, qualified with their newsletter (`weekly:science`); empty: all. */
  categories: string[];
  locale: string | null;
  languages: string[] | null;
  timezone: string | null;
  /** active | paused | bounced, or unsubscribed when no subscription is active. */
  status: string;
  /**
   * The cadence chosen, per newsletter that offers a choice (`world:weekly`): a change
   * still waiting counts as chosen, so an import starts the reader where they were going.
   */
  cadence: string[];
}

const PAGE = 500;

export function exportedSubscriber(record: SubscriberRecord, context: ExportContext): ExportedSubscriber {
  const active = record.subscriptions.filter((s) => s.status === 'active');
  const at = context.clock.now();
  const cadence = active.flatMap((s) => {
    const state = cadenceState(context.config, s.newsletterId, s, at);
    return state ? [`${s.newsletterId}:${state.chosen}`] : [];
  });
  return {
    email: record.email,
    name: record.name,
    firstName: record.firstName,
    newsletters: active.map((s) => s.newsletterId),
    categories: active.flatMap((s) => (s.categories ?? []).map((slug) => `${s.newsletterId}:${slug}`)),
    locale: record.locale,
    languages: record.languages,
    timezone: record.timezone,
    status: active.length === 0 && record.status !== 'bounced' ? 'unsubscribed' : record.status,
    cadence,
  };
}

/**
 * A spreadsheet reads a cell starting with = + - @ (or a tab or CR, which some strip
 * first) as a formula: such cells get a leading apostrophe (OWASP "CSV injection").
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 quoting: a cell with a comma, quote or line break is quoted, quotes doubled. */
function csvCell(value: string): string {
  const safe = neutralizeFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvLine(subscriber: ExportedSubscriber): string {
  const cells: Record<(typeof EXPORT_FIELDS)[number], string> = {
    email: subscriber.email,
    name: subscriber.name ?? '',
    firstName: subscriber.firstName ?? '',
    newsletters: subscriber.newsletters.join(';'),
    categories: subscriber.categories.join(';'),
    locale: subscriber.locale ?? '',
    languages: (subscriber.languages ?? []).join(';'),
    timezone: subscriber.timezone ?? '',
    status: subscriber.status,
    cadence: subscriber.cadence.join(';'),
  };
  return EXPORT_FIELDS.map((field) => csvCell(cells[field])).join(',');
}

/**
 * `tidings subscribers export --all`: every stored subscriber (erased ones are tombstones
 * and left out), read in pages and yielded line by line, so the list streams whatever its size.
 */
export async function* exportSubscribers(
  { store, config, clock }: ExportContext & { store: { subscribers: Pick<SubscriberStore, 'list'> } },
  format: ExportFormat,
): AsyncGenerator<string> {
  if (format !== 'csv' && format !== 'jsonl') throw new UsageError(`--format: "${String(format)}" is not csv or jsonl`);
  if (format === 'csv') yield EXPORT_FIELDS.join(',');
  let afterId = 0;
  for (;;) {
    const page = await store.subscribers.list({ afterId, limit: PAGE });
    for (const record of page) {
      const subscriber = exportedSubscriber(record, { config, clock });
      yield format === 'csv' ? csvLine(subscriber) : JSON.stringify(subscriber);
    }
    if (page.length < PAGE) return;
    afterId = page[page.length - 1]!.id;
  }
}
