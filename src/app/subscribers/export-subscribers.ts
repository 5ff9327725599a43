import { UsageError } from '../../core/errors.ts';
import { SUBSCRIBER_FIELDS } from '../../subscribers/subscriber-row.ts';
import type { SubscriberRecord, SubscriberStore } from '../../subscribers/subscriber-store.ts';

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
  /** Chosen cadences (the latest choice, pending or not), qualified (`world:weekly`); empty: the defaults. */
  cadence: string[];
}

const PAGE = 500;

export function exportedSubscriber(record: SubscriberRecord): ExportedSubscriber {
  const active = record.subscriptions.filter((s) => s.status === 'active');
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
    cadence: active.flatMap((s) => {
      const chosen = s.nextCadence?.name ?? s.cadence;
      return chosen ? [`${s.newsletterId}:${chosen}`] : [];
    }),
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
  const cells: Record<(typeof SUBSCRIBER_FIELDS)[number], string> = {
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
  return SUBSCRIBER_FIELDS.map((field) => csvCell(cells[field])).join(',');
}

/**
 * `tidings subscribers export --all`: every stored subscriber (erased ones are tombstones
 * and left out), read in pages and yielded line by line, so the list streams whatever its size.
 */
export async function* exportSubscribers(
  { store }: { store: { subscribers: Pick<SubscriberStore, 'list'> } },
  format: ExportFormat,
): AsyncGenerator<string> {
  if (format !== 'csv' && format !== 'jsonl') throw new UsageError(`--format: "${String(format)}" is not csv or jsonl`);
  if (format === 'csv') yield SUBSCRIBER_FIELDS.join(',');
  let afterId = 0;
  for (;;) {
    const page = await store.subscribers.list({ afterId, limit: PAGE });
    for (const record of page) {
      const subscriber = exportedSubscriber(record);
      yield format === 'csv' ? csvLine(subscriber) : JSON.stringify(subscriber);
    }
    if (page.length < PAGE) return;
    afterId = page[page.length - 1]!.id;
  }
}
