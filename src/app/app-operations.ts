import { createArticleReview, type ArticleReview } from './article-review.ts';
import type { AppContext } from './context.ts';
import { createDeskOperations, type DeskOperations } from './desk/desk-operations.ts';
import type { EditorAccounts } from '../editors/editor-accounts.ts';
import type { Edition } from '../editions/edition.ts';
import type { OpsReadings } from './ops-readings.ts';
import { createScheduleOverview, type ScheduleOverview } from './schedule-overview.ts';
import { createSchedulerProcess, type SchedulerProcess } from './scheduler-process.ts';
import { readStatusSources, type StatusSources } from './status-report.ts';
import { createSubscriberLists, type SubscriberLists } from './subscriber-lists.ts';
import { createWebHealth, type WebHealth } from './web-health.ts';
import type { SourceHealth } from './source-health.ts';
import type { SourceWarning } from '../ingest/watchdog/judge-source.ts';
import type { UnsortedTray } from './unsorted-articles.ts';
import { ApiAccess } from './api/api-access.ts';
import { type CadenceChange, changeCadence } from './subscribers/change-cadence.ts';

/**
 * The operations the entry points (src/cli, src/web) call. Built here, once per context,
 * from the store, clock, logger and configuration the context holds: a command or a route
 * group takes the few operations it uses and never reaches the store itself.
 */
export interface AppOperations {
  subscriberLists: SubscriberLists;
  schedulerProcess: SchedulerProcess;
  scheduleOverview: ScheduleOverview;
  statusSources(): Promise<StatusSources>;
  articles: ArticleReview;
  /** Editions newest first, optionally of one newsletter. */
  listEditions(newsletterId?: string): Promise<Edition[]>;
  /** Account management in the name of `actor` (`cli`, or the admin on the desk). */
  editorAccounts(actor: string): EditorAccounts;
  desk: DeskOperations;
  webHealth: WebHealth;
  opsReadings: OpsReadings;
  /** Each configured source's fetch health, rhythm and the watchdog's warnings. */
  sources: { health(): Promise<SourceHealth[]>; warnings(): Promise<SourceWarning[]> };
  /** The Unsorted tray: articles no category claimed, and filing one. */
  unsorted: UnsortedTray;
  /** The JSON API's bearer tokens (`tidings token`). */
  apiAccess: ApiAccess;
  /** A reader's cadence of a newsletter, from their next period (change-cadence.ts). */
  changeCadence(
    subscriberId: number,
    newsletterId: string,
    cadence: string,
    at: Date,
    options?: { immediate?: boolean },
  ): Promise<CadenceChange>;
}

const built = new WeakMap<AppContext, AppOperations>();

/** The operations of this context, built on first use (a command that needs none opens nothing more). */
export function appOperations(ctx: AppContext): AppOperations {
  let operations = built.get(ctx);
  if (!operations) {
    operations = composeOperations(ctx);
    built.set(ctx, operations);
  }
  return operations;
}

/** The composition root: each operation gets only the ports it needs. */
function composeOperations(ctx: AppContext): AppOperations {
  const { store, clock, config } = ctx;
  const desk = createDeskOperations(ctx);
  const subscriberLists = createSubscriberLists({
    config,
    baseDir: ctx.baseDir,
    subscribers: store.subscribers,
    clock,
  });
  return {
    subscriberLists,
    schedulerProcess: createSchedulerProcess({ ctx, lists: subscriberLists }),
    scheduleOverview: createScheduleOverview({ scheduler: store.scheduler, editions: store.editions }),
    statusSources: () => readStatusSources(ctx),
    articles: createArticleReview({ articles: store.articles, clock }),
    listEditions: (newsletterId) => store.editions.listEditions(newsletterId),
    editorAccounts: desk.accounts,
    desk,
    webHealth: createWebHealth({ store, clock, commandLine: ctx.commandLine }),
    opsReadings: store,
    sources: desk.sources,
    unsorted: desk.unsorted,
    apiAccess: new ApiAccess(store.api, clock),
    changeCadence: (subscriberId, newsletterId, cadence, at, options) =>
      changeCadence({ config, subscribers: store.subscribers }, subscriberId, newsletterId, cadence, at, options),
  };
}
