import type { TidingsConfig } from '../../config/schema.ts';
import type { Clock } from '../../core/clock.ts';
import { UsageError } from '../../core/errors.ts';
import { PLATFORM_FORMATS, type ImportSource } from '../../subscribers/imports/platform-formats.ts';
import { readImportFile } from '../../subscribers/imports/read-import-file.ts';
import type { ImportOutcome, ImportedPerson } from '../../subscribers/subscriber-import-store.ts';
import { catalogFromConfig } from '../../subscribers/subscriber-row.ts';
import type { SubscriberStore } from '../../subscribers/subscriber-store.ts';
import { readerNewsletters } from '../../config/cadences.ts';
import { changeCadence } from './change-cadence.ts';
import {
  csvHeaderProblem,
  csvStep,
  type CadenceChoice,
  platformStep,
  type ImportStep,
  type PlatformTarget,
} from './import-steps.ts';

export interface ImportSubscribersDeps {
  config: Pick<TidingsConfig, 'newsletters' | 'categories'>;
  store: {
    subscribers: Pick<
      SubscriberStore,
      'importSubscriber' | 'findByEmail' | 'isSuppressed' | 'addSuppression' | 'getById' | 'setCadence'
    >;
  };
  clock: Clock;
  /** Queues the welcome mail of a new subscription (--welcome); see welcome-mail.ts. */
  welcome?: (subscriberId: number, newsletterId: string) => Promise<void>;
}

export interface ImportSubscribersOptions {
  file: string;
  from: ImportSource;
  dryRun: boolean;
  /** The newsletter a platform's readers join; may be left out when only one is configured. */
  newsletter?: string;
  /** `tag=category` pairs (tags, labels or groups of the platform → categories of the newsletter). */
  mapTags?: readonly string[];
  welcome?: boolean;
}

/** Rows per outcome; `refused` rows are also reported one by one (`onRefused`). */
export interface ImportCounts extends Record<ImportOutcome, number> {
  /** Newly suppressed addresses (unsubscribed, cleaned, bounced, complained on the platform). */
  newlySuppressed: number;
  refused: number;
  welcomed: number;
}

/**
 * `tidings subscribers import`: each row on its own (one store transaction per person), so
 * a bad row never stops the others and never half-writes. A dry run reads the store to say
 * what each row would do and writes nothing.
 */
export async function importSubscribers(
  deps: ImportSubscribersDeps,
  options: ImportSubscribersOptions,
  onRefused: (line: number, reason: string) => void,
): Promise<ImportCounts> {
  const stepOf = stepReader(deps, options);
  const counts: ImportCounts = {
    added: 0,
    subscribed: 0,
    unchanged: 0,
    suppressed: 0,
    newlySuppressed: 0,
    refused: 0,
    welcomed: 0,
  };
  const seen = new Map<string, number>();
  for await (const item of readImportFile(options.file, stepOf.header)) {
    const step: ImportStep =
      'problem' in item ? { kind: 'refuse', reason: item.problem, email: null } : stepOf.row(item.row);
    const email = step.kind === 'person' ? step.person.email : step.email;
    const earlier = email === null ? undefined : seen.get(email);
    if (step.kind === 'refuse' || earlier !== undefined) {
      counts.refused += 1;
      onRefused(item.line, step.kind === 'refuse' ? step.reason : `the same address as line ${earlier}: left out`);
      continue;
    }
    if (email !== null) seen.set(email, item.line);
    if (step.kind === 'suppress') {
      if (await suppress(deps, step, options.dryRun)) counts.newlySuppressed += 1;
      else counts.suppressed += 1;
      continue;
    }
    const outcome = await addPerson(deps, step.person, options.dryRun);
    counts[outcome] += 1;
    if ((outcome === 'added' || outcome === 'subscribed') && !options.dryRun)
      await startCadences(deps, step.person.email, step.cadences ?? []);
    if (options.welcome && (outcome === 'added' || outcome === 'subscribed') && !options.dryRun && deps.welcome) {
      counts.welcomed += await welcome(deps, step.person);
    }
  }
  return counts;
}

/** The header check and row reader of the chosen source; usage errors before any row is read. */
function stepReader(deps: ImportSubscribersDeps, options: ImportSubscribersOptions) {
  // Readers join newsletters; a cadence stream (`world.weekly`) is a cadence of one, not a newsletter.
  const catalog = catalogFromConfig({ ...deps.config, newsletters: readerNewsletters(deps.config.newsletters) });
  if (options.from === 'csv') {
    if (options.mapTags?.length) throw new UsageError('--map-tags applies to platform exports, not --from csv');
    return { header: csvHeaderProblem, row: (row: Record<string, string>) => csvStep(row, catalog) };
  }
  const format = PLATFORM_FORMATS[options.from];
  if (!format)
    throw new UsageError(`--from: "${options.from}" is not one of ${Object.keys(PLATFORM_FORMATS).join(', ')}, csv`);
  const newsletterId = targetNewsletter(deps, options.newsletter);
  const ownCategories = deps.config.newsletters.find((n) => n.id === newsletterId)!.categories;
  const target: PlatformTarget = {
    platform: options.from,
    newsletterId,
    mapTags: parseTagMap(options.mapTags ?? [], newsletterId, ownCategories),
  };
  const header = (columns: readonly string[]) => {
    const missing = format.required.filter((names) => !names.some((name) => columns.includes(name)));
    if (missing.length === 0) return null;
    return `not a ${format.describe}: no ${missing.map((names) => names.map((n) => `"${n}"`).join(' or ')).join(', ')} column`;
  };
  return { header, row: (row: Record<string, string>) => platformStep(format, row, target) };
}

function targetNewsletter(deps: ImportSubscribersDeps, wanted: string | undefined): string {
  const ids = readerNewsletters(deps.config.newsletters).map((n) => n.id);
  if (wanted === undefined) {
    if (ids.length === 1) return ids[0]!;
    throw new UsageError(`--newsletter is needed: which of ${ids.join(', ')} do these readers join?`);
  }
  if (!ids.includes(wanted)) throw new UsageError(`--newsletter: "${wanted}" is not a configured newsletter`);
  return wanted;
}

function parseTagMap(
  pairs: readonly string[],
  newsletterId: string,
  categories: readonly string[],
): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    const tag = pair.slice(0, at).trim().toLowerCase();
    const category = pair.slice(at + 1).trim();
    if (at <= 0 || !tag || !category) throw new UsageError(`--map-tags: "${pair}" is not tag=category`);
    if (!categories.includes(category))
      throw new UsageError(`--map-tags: "${category}" is not a category of ${newsletterId} (${categories.join(', ')})`);
    map.set(tag, category);
  }
  return map;
}

/** True when the address was not suppressed before. */
async function suppress(
  deps: ImportSubscribersDeps,
  step: Extract<ImportStep, { kind: 'suppress' }>,
  dryRun: boolean,
): Promise<boolean> {
  const store = deps.store.subscribers;
  if (dryRun) return !(await store.isSuppressed(step.addressHash));
  return store.addSuppression(step.addressHash, step.reason, deps.clock.now());
}

async function addPerson(deps: ImportSubscribersDeps, person: ImportedPerson, dryRun: boolean): Promise<ImportOutcome> {
  const store = deps.store.subscribers;
  if (!dryRun) return store.importSubscriber(person, deps.clock.now());
  if (await store.isSuppressed(person.addressHash)) return 'suppressed';
  const existing = await store.findByEmail(person.email);
  if (!existing) return 'added';
  const revives = person.subscriptions.some((wanted) => {
    const had = existing.subscriptions.find((s) => s.newsletterId === wanted.newsletterId);
    return !had || had.status === 'removed';
  });
  return revives ? 'subscribed' : 'unchanged';
}

/**
 * The cadences a row names, in effect at once: the subscription is new (added, or revived),
 * so there is no period to finish. An unchanged reader keeps the cadence they chose.
 */
async function startCadences(deps: ImportSubscribersDeps, email: string, choices: readonly CadenceChoice[]) {
  if (choices.length === 0) return;
  const record = await deps.store.subscribers.findByEmail(email);
  if (!record) return;
  const at = deps.clock.now();
  const cadenceDeps = { config: deps.config, subscribers: deps.store.subscribers };
  for (const choice of choices)
    await changeCadence(cadenceDeps, record.id, choice.newsletterId, choice.cadence, at, { immediate: true });
}

async function welcome(deps: ImportSubscribersDeps, person: ImportedPerson): Promise<number> {
  const record = await deps.store.subscribers.findByEmail(person.email);
  if (!record || !deps.welcome) return 0;
  for (const subscription of person.subscriptions) await deps.welcome(record.id, subscription.newsletterId);
  return 1;
}
