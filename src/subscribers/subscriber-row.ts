import { z } from 'zod';
import { normalizeEmailAddress } from './email-address.ts';
import { isTimeZone } from '../core/zone-time.ts';
import { checkCadences, splitCategory } from './subscriber-row-cadence.ts';

/** One subscriber as listed in a file, validated and normalized. */
export interface SubscriberRow {
  /** Canonical form: lower-cased, domain in ASCII. */
  email: string;
  name: string | null;
  newsletters: string[];
  /**
   * The chosen categories as listed: bare slugs (`technology`, for every newsletter of the
   * row that has it) or per newsletter (`weekly:science`); null = all. See categoriesForNewsletter.
   */
  categories: string[] | null;
  locale: string | null;
  timezone: string | null;
  status: 'active' | 'paused';
  /** What the greeting calls the reader (`%%{first_name}%%`); null: the first word of `name`. */
  firstName: string | null;
  /** Language tags of the articles the reader gets (where the newsletter filters by language); null: the locale's language. */
  languages: string[] | null;
  /**
   * The chosen cadences as listed: bare (`weekly`, for every newsletter of the row that
   * offers it) or per newsletter (`world:weekly`); null = as stored (a new subscription: the default).
   */
  cadences: string[] | null;
}

export const SUBSCRIBER_FIELDS = [
  'email',
  'name',
  'firstName',
  'newsletters',
  'categories',
  'locale',
  'languages',
  'timezone',
  'status',
  'cadence',
] as const;

/**
 * What the configuration allows rows to refer to. With `categoriesOf` known, a chosen
 * category must belong to one of the row's newsletters.
 */
export interface SubscriberCatalog {
  newsletters: ReadonlySet<string>;
  categories: ReadonlySet<string>;
  categoriesOf: ReadonlyMap<string, readonly string[]> | null;
  /** The cadences each newsletter offers (issue 26); absent or missing: the newsletter offers none. */
  cadencesOf?: ReadonlyMap<string, readonly string[]>;
}

/**
 * `knownNewsletters` is either a list of ids or a map id → that newsletter's categories
 * (the stricter form: categories are then checked against the row's newsletters).
 */
export function createSubscriberCatalog(
  knownNewsletters: Iterable<string> | ReadonlyMap<string, readonly string[]>,
  knownCategories: Iterable<string>,
): SubscriberCatalog {
  const categoriesOf =
    knownNewsletters instanceof Map ? (knownNewsletters as ReadonlyMap<string, readonly string[]>) : null;
  return {
    newsletters: new Set(categoriesOf ? categoriesOf.keys() : (knownNewsletters as Iterable<string>)),
    categories: new Set(knownCategories),
    categoriesOf,
  };
}

/**
 * The catalog of a loaded configuration: the newsletters readers subscribe to (a cadence
 * stream other than the default is not one: its readers subscribe to its newsletter).
 */
export function catalogFromConfig(config: {
  newsletters: readonly {
    id: string;
    categories: readonly string[];
    cadence?: { isDefault: boolean; offered: readonly string[] };
  }[];
  categories: Readonly<Record<string, unknown>>;
}): SubscriberCatalog {
  const newsletters = config.newsletters.filter((n) => !n.cadence || n.cadence.isDefault);
  return {
    ...createSubscriberCatalog(new Map(newsletters.map((n) => [n.id, n.categories])), Object.keys(config.categories)),
    cadencesOf: new Map(newsletters.flatMap((n) => (n.cadence ? [[n.id, n.cadence.offered] as const] : []))),
  };
}

/** Empty cells (CSV) and blank strings mean "not given". */
const optionalText = z.preprocess(
  (value) =>
    typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value,
  z.string().optional(),
);

/** A list is a YAML sequence or a `;`/`|`-separated cell. */
const idList = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(/[;|]/)
          .map((part) => part.trim())
          .filter((part) => part !== '')
      : value,
  z.array(z.string().trim().min(1, 'must not contain an empty id')),
);

const email = z.string().transform((text, ctx) => {
  const check = normalizeEmailAddress(text);
  if (!check.ok) {
    ctx.addIssue({ code: 'custom', message: `is not a valid address: ${check.reason}` });
    return z.NEVER;
  }
  return check.address;
});

const locale = z.string().transform((tag, ctx) => {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (canonical) return canonical;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: `"${tag}" is not a BCP 47 language tag such as en or ru-RU` });
  return z.NEVER;
});

const timeZone = z
  .string()
  .refine(isTimeZone, { error: (issue) => `"${String(issue.input)}" is not an IANA time zone such as Europe/Moscow` });

const rowSchema = z.strictObject({
  email: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), email),
  name: optionalText,
  newsletters: idList.refine((ids) => ids.length > 0, 'must name at least one newsletter'),
  categories: z.preprocess(
    (v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v),
    idList.optional(),
  ),
  locale: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), locale.optional()),
  firstName: optionalText,
  languages: z.preprocess(
    (v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v),
    idList.pipe(z.array(locale)).optional(),
  ),
  timezone: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), timeZone.optional()),
  status: z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim().toLowerCase()) : v),
    z.enum(['active', 'paused'], { error: 'must be active or paused' }).default('active'),
  ),
  cadence: z.preprocess(
    (v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v),
    idList.optional(),
  ),
});

export interface RowProblem {
  /** The field at fault, when there is one (YAML readers point at its line). */
  field: string | null;
  message: string;
}

export type RowParse =
  | { ok: true; row: SubscriberRow }
  /** `email` is the canonical address when it was valid, so a skipped row can still be recognized. */
  | { ok: false; problems: RowProblem[]; email: string | null };

/** Validates one raw row (a YAML mapping or a CSV record keyed by header). */
export function parseSubscriberRow(raw: unknown, catalog: SubscriberCatalog | null): RowParse {
  const result = rowSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue): RowProblem[] => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({
          field: key,
          message: `unknown field "${key}" (known: ${SUBSCRIBER_FIELDS.join(', ')})`,
        }));
      }
      const field = issue.path.length > 0 ? String(issue.path[0]) : null;
      const missing = issue.code === 'invalid_type' && issue.input === undefined;
      const message = missing ? 'is required' : issue.message;
      return [{ field, message: field ? `${field} ${message}` : message }];
    });
    // The fields that did parse are checked against the configuration too, so a row's
    // every problem shows at once, not one more after each fix.
    if (catalog) problems.push(...checkReferences(parsedLists(raw, new Set(problems.map((p) => p.field))), catalog));
    return { ok: false, problems, email: emailOf(raw) };
  }
  const data = result.data;
  const row: SubscriberRow = {
    email: data.email,
    name: data.name ?? null,
    newsletters: [...new Set(data.newsletters)],
    categories: data.categories ? [...new Set(data.categories)] : null,
    locale: data.locale ?? null,
    timezone: data.timezone ?? null,
    status: data.status,
    firstName: data.firstName ?? null,
    languages: data.languages?.length ? [...new Set(data.languages)] : null,
    cadences: data.cadence?.length ? [...new Set(data.cadence)] : null,
  };
  const problems = catalog ? [...checkReferences(row, catalog), ...checkCadences(row, catalog)] : [];
  return problems.length > 0 ? { ok: false, problems, email: row.email } : { ok: true, row };
}

/** A failed row's newsletters and categories, each null when it is missing or did not parse itself. */
function parsedLists(raw: unknown, failed: ReadonlySet<string | null>): ReferencedIds {
  const fields = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const parse = (field: 'newsletters' | 'categories') => {
    if (failed.has(field)) return null;
    const result = rowSchema.shape[field].safeParse(fields[field]);
    return result.success && result.data ? [...new Set(result.data)] : null;
  };
  return { newsletters: parse('newsletters'), categories: parse('categories') };
}

/** What checkReferences reads; `newsletters` null when unknown (a failed row), which skips the checks that need them. */
interface ReferencedIds {
  newsletters: readonly string[] | null;
  categories: readonly string[] | null;
}

function checkReferences(row: ReferencedIds, catalog: SubscriberCatalog): RowProblem[] {
  const problems: RowProblem[] = [];
  for (const id of row.newsletters ?? []) {
    if (!catalog.newsletters.has(id)) {
      problems.push({
        field: 'newsletters',
        message: `newsletters: "${id}" is not a configured newsletter (known: ${list(catalog.newsletters)})`,
      });
    }
  }
  const newsletters = row.newsletters;
  for (const entry of row.categories ?? []) {
    const { newsletterId, slug } = splitCategory(entry);
    if (!catalog.categories.has(slug)) {
      problems.push({
        field: 'categories',
        message: `categories: "${slug}" is not a configured category (known: ${list(catalog.categories)})`,
      });
    } else if (newsletters === null) {
      // No newsletters named on the row: nothing to cross-check.
    } else if (newsletterId !== null && !newsletters.includes(newsletterId)) {
      problems.push({
        field: 'categories',
        message: `categories: "${entry}" names "${newsletterId}", which is not among this row's newsletters`,
      });
    } else if (
      newsletterId !== null &&
      catalog.categoriesOf &&
      !(catalog.categoriesOf.get(newsletterId)?.includes(slug) ?? true)
    ) {
      problems.push({ field: 'categories', message: `categories: "${slug}" is not a category of "${newsletterId}"` });
    } else if (
      newsletterId === null &&
      catalog.categoriesOf &&
      !newsletters.some((id) => catalog.categoriesOf!.get(id)?.includes(slug) ?? true)
    ) {
      problems.push({
        field: 'categories',
        message: `categories: "${slug}" is not a category of ${newsletters.map((id) => `"${id}"`).join(' or ')}`,
      });
    }
  }
  return problems;
}

/**
 * The categories of one subscription, chosen per newsletter: the entries qualified with
 * this newsletter (`weekly:science`) and the bare ones that are among its categories.
 * A newsletter none of the chosen categories belongs to gets all of its categories
 * (null): choosing technology for "daily" says nothing against "weekly".
 */
export function categoriesForNewsletter(
  row: SubscriberRow,
  newsletterId: string,
  catalog: SubscriberCatalog | null,
): string[] | null {
  if (row.categories === null) return null;
  const own = catalog?.categoriesOf?.get(newsletterId);
  const chosen = new Set<string>();
  for (const entry of row.categories) {
    const { newsletterId: target, slug } = splitCategory(entry);
    if (target !== null ? target === newsletterId : !own || own.includes(slug)) chosen.add(slug);
  }
  return chosen.size > 0 ? [...chosen] : null;
}

function emailOf(raw: unknown): string | null {
  if (!raw || typeof raw !== 'object') return null;
  const value = (raw as Record<string, unknown>).email;
  if (typeof value !== 'string') return null;
  const check = normalizeEmailAddress(value);
  return check.ok ? check.address : null;
}

function list(values: ReadonlySet<string>): string {
  return values.size > 0 ? [...values].join(', ') : 'none';
}
