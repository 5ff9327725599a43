import { audienceOf } from './audience-of.ts';
import type { NewsletterConfig } from '../config/schema.ts';
import type { Edition } from '../editions/edition.ts';
import { planDigest, type DigestReader } from '../editions/plan-digest.ts';
import type { Recipient, StagedSubscriber } from '../subscribers/subscriber-store.ts';
import type { AppContext } from './context.ts';

/** Readers named per edition at most; the rest are counted. */
const NAMED = 10;

/** Who would get nothing from one edition, and why: counted, the first few named. */
export interface LeftOutReport {
  editionId: string;
  count: number;
  named: { email: string; reason: string }[];
}

/** A reader as the planner needs them, with an address to name them by. */
export type NamedReader = DigestReader & { email: string };

/**
 * Plans readers against one edition and tallies those who would get nothing. Readers
 * with the same choices get the same answer, so each distinct choice is planned once.
 */
export class LeftOutTally {
  readonly #reasons = new Map<string, string | null>();
  readonly #report: LeftOutReport;

  constructor(
    private readonly ctx: AppContext,
    private readonly newsletter: NewsletterConfig,
    private readonly edition: Edition,
  ) {
    this.#report = { editionId: edition.id, count: 0, named: [] };
  }

  /** Counts the reader when they would get nothing; `received`: articles they already have. */
  add(reader: NamedReader, received: ReadonlySet<string> = new Set()): void {
    const key = received.size ? null : JSON.stringify([reader.locale, reader.languages ?? null, reader.categories]);
    let reason = key === null ? undefined : this.#reasons.get(key);
    if (reason === undefined) {
      const plan = planDigest(this.edition, this.newsletter, this.ctx.config.categories, reader, received, null);
      reason = 'skip' in plan ? plan.skip : null;
      if (key !== null) this.#reasons.set(key, reason);
    }
    if (reason === null) return;
    this.#report.count += 1;
    if (this.#report.named.length < NAMED) this.#report.named.push({ email: reader.email, reason });
  }

  get report(): LeftOutReport {
    return this.#report;
  }
}

/** The newsletter's newest edition that can go out (a skipped one never does), or null. */
export async function newestEdition(ctx: AppContext, newsletterId: string): Promise<Edition | null> {
  const editions = (await ctx.store.editions.listEditions(newsletterId)).filter(
    (edition) => edition.status !== 'skipped',
  );
  return editions.reduce<Edition | null>(
    (newest, edition) => (!newest || Date.parse(edition.slot) > Date.parse(newest.slot) ? edition : newest),
    null,
  );
}

/**
 * Who of the newsletter's current audience would get nothing from `edition`, counting
 * what each already received in other editions (read a page at a time).
 */
export async function readersLeftOut(
  ctx: AppContext,
  newsletter: NewsletterConfig,
  edition: Edition,
): Promise<LeftOutReport> {
  const tally = new LeftOutTally(ctx, newsletter, edition);
  const itemIds = edition.articles.map((article) => article.articleId);
  let page: Recipient[] = [];
  const flush = async () => {
    const received = await ctx.store.ledger.receivedArticleIdsOfMany(
      page.map((reader) => reader.id),
      itemIds,
      edition.id,
    );
    for (const reader of page) tally.add(reader, received.get(reader.id) ?? new Set());
    page = [];
  };
  const readers = audienceOf(newsletter, new Date(edition.slot));
  const options = { at: ctx.clock.now(), cadence: readers.cadence };
  for await (const recipient of ctx.store.subscribers.streamRecipients(readers.newsletterId, options)) {
    page.push(recipient);
    if (page.length >= 500) await flush();
  }
  if (page.length) await flush();
  return tally.report;
}

/** The report as lines for a terminal or a log: one heading, one line per named reader. */
export function formatLeftOut(report: LeftOutReport, verb = 'would receive'): string[] {
  if (report.count === 0) return [];
  const lines = [`${report.count} reader${report.count === 1 ? '' : 's'} ${verb} nothing from ${report.editionId}:`];
  for (const reader of report.named) lines.push(`  ${reader.email}: ${reader.reason}`);
  if (report.count > report.named.length) lines.push(`  … and ${report.count - report.named.length} more`);
  return lines;
}

/**
 * After a sync: for each newsletter, who of its readers would get nothing from its
 * newest edition (nothing when no edition is built yet).
 */
export async function describeReadersLeftOut(ctx: AppContext): Promise<string[]> {
  const lines: string[] = [];
  for (const newsletter of ctx.config.newsletters) {
    const edition = await newestEdition(ctx, newsletter.id);
    if (edition) lines.push(...formatLeftOut(await readersLeftOut(ctx, newsletter, edition)));
  }
  return lines;
}

/**
 * `subscribers validate`: the file rows planned against each newsletter's newest
 * edition, before anything is synced. Paused rows get nothing by choice and are not counted.
 */
export async function createFileRowCheck(
  ctx: AppContext,
): Promise<{ onRow: (row: StagedSubscriber) => void; lines: () => string[] }> {
  const tallies = new Map<string, LeftOutTally>();
  for (const newsletter of ctx.config.newsletters) {
    const edition = await newestEdition(ctx, newsletter.id);
    if (edition) tallies.set(newsletter.id, new LeftOutTally(ctx, newsletter, edition));
  }
  return {
    onRow: (row) => {
      if (row.status !== 'active') return;
      for (const subscription of row.subscriptions) {
        tallies.get(subscription.newsletterId)?.add({
          email: row.email,
          locale: row.locale,
          languages: row.languages,
          timezone: row.timezone,
          categories: subscription.categories,
        });
      }
    },
    lines: () => [...tallies.values()].flatMap((tally) => formatLeftOut(tally.report)),
  };
}

/**
 * The desk's line for one edition: who got nothing (the ledger's skipped rows, once
 * sending started) or would get nothing (its audience planned now); null when nobody.
 */
export async function editionLeftOut(
  ctx: AppContext,
  edition: Edition,
): Promise<{ verb: string; report: LeftOutReport } | null> {
  const newsletter = ctx.config.newsletters.find((n) => n.id === edition.newsletterId);
  if (!newsletter || edition.status === 'skipped') return null;
  if (edition.status === 'sending' || edition.status === 'sent') {
    const rows = await ctx.store.ledger.list(edition.id, 'skipped');
    const named = rows.slice(0, NAMED).map((row) => ({
      email: row.email ?? `subscriber ${row.subscriberId}`,
      reason: row.reason ?? 'no reason recorded',
    }));
    return rows.length ? { verb: 'received', report: { editionId: edition.id, count: rows.length, named } } : null;
  }
  const report = await readersLeftOut(ctx, newsletter, edition);
  return report.count ? { verb: 'would receive', report } : null;
}
