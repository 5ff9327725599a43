import { isTimeZone } from '../../core/zone-time.ts';
import { singleLine } from '../../delivery/mime-headers.ts';
import { addressHash } from '../../subscribers/address-hash.ts';
import { normalizeEmailAddress } from '../../subscribers/email-address.ts';
import {
  SUPPRESSING_STATUSES,
  type ImportRecord,
  type PlatformFormat,
} from '../../subscribers/imports/import-record.ts';
import type { ImportedPerson } from '../../subscribers/subscriber-import-store.ts';
import { cadenceForNewsletter } from '../../subscribers/subscriber-row-cadence.ts';
import {
  categoriesForNewsletter,
  parseSubscriberRow,
  SUBSCRIBER_FIELDS,
  type SubscriberCatalog,
} from '../../subscribers/subscriber-row.ts';

/** What one row asks for: a person to add, an address to suppress, or a refusal with its reason. */
export type ImportStep =
  | { kind: 'person'; person: ImportedPerson; cadences?: CadenceChoice[] }
  | { kind: 'suppress'; email: string; addressHash: string; reason: string }
  | { kind: 'refuse'; reason: string; email: string | null };

/** Longest name kept: it goes into To: headers and greetings. */
const NAME_MAX = 200;

const cleanName = (name: string | null) => (name ? singleLine(name).slice(0, NAME_MAX) || null : null);

/** Where a platform's rows go: one newsletter, tags mapped to its categories. */
export interface PlatformTarget {
  platform: string;
  newsletterId: string;
  /** tag (lower-case) → category of that newsletter. */
  mapTags: ReadonlyMap<string, string>;
}

/** The step of one platform row (read by its PlatformFormat). */
export function platformStep(
  format: PlatformFormat,
  row: Readonly<Record<string, string>>,
  target: PlatformTarget,
): ImportStep {
  const record = format.read(row);
  if ('problem' in record) return { kind: 'refuse', reason: record.problem, email: null };
  const check = normalizeEmailAddress(record.email);
  if (!check.ok)
    return { kind: 'refuse', reason: `"${record.email}" is not a valid address: ${check.reason}`, email: null };
  const email = check.address;
  if (record.status === 'unconfirmed') {
    return {
      kind: 'refuse',
      email,
      reason: `never confirmed on ${target.platform} (${record.statusWord}): not imported without their consent`,
    };
  }
  if (SUPPRESSING_STATUSES.has(record.status)) return suppressStep(email, target.platform, record.statusWord);
  return { kind: 'person', person: personOf(email, record, target) };
}

function suppressStep(email: string, platform: string, word: string): ImportStep {
  return { kind: 'suppress', email, addressHash: addressHash(email), reason: `import from ${platform}: ${word}` };
}

function personOf(email: string, record: ImportRecord, target: PlatformTarget): ImportedPerson {
  const categories = [
    ...new Set(record.tags.map((tag) => target.mapTags.get(tag.toLowerCase())).filter((c) => c !== undefined)),
  ];
  return {
    email,
    addressHash: addressHash(email),
    name: cleanName(record.name),
    firstName: cleanName(record.firstName),
    locale: null,
    languages: null,
    timezone: record.timezone && isTimeZone(record.timezone) ? record.timezone : null,
    status: record.status === 'paused' ? 'paused' : 'active',
    subscriptions: [{ newsletterId: target.newsletterId, categories: categories.length > 0 ? categories : null }],
  };
}

/** Statuses a Tidings export writes besides active and paused (subscriber-export.ts). */
const CSV_STATUSES: ReadonlySet<string> = new Set([
  'active',
  'paused',
  'bounced',
  'unsubscribed',
  'cleaned',
  'complained',
]);

/** The columns of a Tidings CSV: the subscriber files' (`cadence` among them). */
const CSV_FIELDS: readonly string[] = SUBSCRIBER_FIELDS;

/** Why a Tidings CSV header cannot be read, or null. */
export function csvHeaderProblem(header: readonly string[]): string | null {
  const known = new Map(CSV_FIELDS.map((field) => [field.toLowerCase(), field]));
  const unknown = header.filter((column) => !known.has(column));
  if (unknown.length > 0)
    return `unknown columns ${unknown.map((c) => `"${c}"`).join(', ')} (known: ${CSV_FIELDS.join(', ')}; for another platform's export use --from)`;
  return header.includes('email') ? null : 'the header has no "email" column';
}

/**
 * The step of one row of a Tidings CSV (subscriber files' columns, as `subscribers export`
 * writes them): active and paused rows with their newsletters; `bounced` is kept as a
 * bounced subscriber and `unsubscribed` as a subscriber without subscriptions (neither is
 * mailed, and the list round-trips); cleaned and complained become suppressions.
 */
export function csvStep(raw: Readonly<Record<string, string>>, catalog: SubscriberCatalog): ImportStep {
  // A cell the export neutralised against formula injection ('=…) is read back as written.
  const row = Object.fromEntries(
    Object.entries(raw).map(([key, value]) => [fieldName(key), value.replace(/^'(?=[=+\-@\t\r])/, '')]),
  );
  const status = (row.status ?? '').trim().toLowerCase() || 'active';
  if (!CSV_STATUSES.has(status))
    return { kind: 'refuse', reason: `status "${status}" is not one of ${[...CSV_STATUSES].join(', ')}`, email: null };
  if (status === 'cleaned' || status === 'complained') {
    const check = normalizeEmailAddress(row.email ?? '');
    if (!check.ok) return { kind: 'refuse', reason: `email is not a valid address: ${check.reason}`, email: null };
    return suppressStep(check.address, 'csv', status);
  }
  const unsubscribed = status === 'unsubscribed';
  const anyNewsletter = [...catalog.newsletters][0] ?? '';
  const parsed = parseSubscriberRow(
    {
      ...row,
      newsletters: unsubscribed ? anyNewsletter : row.newsletters,
      categories: unsubscribed ? '' : row.categories,
      cadence: unsubscribed ? '' : row.cadence,
      status: status === 'paused' ? 'paused' : 'active',
    },
    catalog,
  );
  if (!parsed.ok)
    return { kind: 'refuse', reason: parsed.problems.map((p) => p.message).join('; '), email: parsed.email };
  const r = parsed.row;
  // The row's cadences, checked against what each newsletter offers by parseSubscriberRow.
  const cadences = unsubscribed
    ? []
    : r.newsletters.flatMap((id) => {
        const cadence = cadenceForNewsletter(r, id, catalog);
        return cadence ? [{ newsletterId: id, cadence }] : [];
      });
  return {
    kind: 'person',
    cadences,
    person: {
      email: r.email,
      addressHash: addressHash(r.email),
      name: r.name,
      firstName: r.firstName,
      locale: r.locale,
      languages: r.languages,
      timezone: r.timezone,
      status: status === 'bounced' ? 'bounced' : r.status,
      subscriptions: unsubscribed
        ? []
        : r.newsletters.map((id) => ({ newsletterId: id, categories: categoriesForNewsletter(r, id, catalog) })),
    },
  };
}

function fieldName(column: string): string {
  return CSV_FIELDS.find((field) => field.toLowerCase() === column) ?? column;
}

/** A cadence a row asks for (issue 26). */
export interface CadenceChoice {
  newsletterId: string;
  cadence: string;
}
