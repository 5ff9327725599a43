import type { EditionCurator } from '../../editions/curate-edition.ts';
import type { Edition } from '../../editions/edition.ts';
import type { AppContext } from '../context.ts';
import { createCurator } from '../create-curator.ts';
import { readEditionProgress, type EditionProgress } from '../edition-progress.ts';
import { editionLeftOut } from '../readers-left-out.ts';
import {
  resolveAmbiguousDeliveries,
  type ResolveAmbiguousInput,
  type ResolveAmbiguousOutcome,
} from '../resolve-ambiguous.ts';
import type { SourceWarning } from '../../ingest/watchdog/judge-source.ts';
import { sourceHealth, sourceHealthDeps, sourceWarnings, type SourceHealth } from '../source-health.ts';
import { createUnsortedTray, unsortedDeps, type UnsortedTray } from '../unsorted-articles.ts';
import type { WebhookQueueCounts } from '../../webhooks/webhook-queue.ts';
import { webhookCounts } from '../webhooks.ts';
import { addLinkToDraft, editionsTakingLinks, type AddLinkInput, type AddLinkResult } from '../add-link-to-draft.ts';
import { clickOperationsFromContext, type ClickOperations } from '../clicks/click-operations.ts';
import { DeskAuth } from '../../editors/desk-auth.ts';
import { previewEdition, type DeskPreview } from './desk-preview.ts';
import { createDeskReads, type DeskReads } from './desk-reads.ts';
import { DeskSends } from './desk-sends.ts';
import { EditorAccounts } from '../../editors/editor-accounts.ts';

/**
 * Everything the editor desk (src/web/desk) asks of the app: its route groups take these
 * and never the context, so a page cannot reach the store except through an operation here.
 */
export interface DeskOperations {
  reads: DeskReads;
  /** Curation in the name of an editor: the same module as `tidings edition …`. */
  curator(actor: string): EditionCurator;
  /** Who gets (or would get) nothing from the edition; null when nobody. */
  leftOut(edition: Edition): ReturnType<typeof editionLeftOut>;
  preview(edition: Edition, options: { subscriber?: string; locale?: string }): Promise<DeskPreview>;
  progress(editionId: string): Promise<EditionProgress>;
  /** `tidings deliveries resolve` for an admin on the desk. */
  resolveAmbiguous(input: ResolveAmbiguousInput): Promise<ResolveAmbiguousOutcome>;
  accounts(actor: string): EditorAccounts;
  /** A login service; its throttle lives as long as the desk that holds it. */
  createAuth(): DeskAuth;
  /** The desk's sends (send now, test copies), drained when the server closes. */
  createSends(): DeskSends;
  /** Each source's fetch health, rhythm and the watchdog's warnings (/desk/sources, the editions banner). */
  sources: { health(): Promise<SourceHealth[]>; warnings(): Promise<SourceWarning[]> };
  /** The Unsorted tray (/desk/unsorted). */
  unsorted: UnsortedTray;
  /** Failed and waiting webhook deliveries, for the editions page. */
  webhookCounts(): Promise<WebhookQueueCounts>;
  /** "Add this link": fetched under the fetch policy, or written by hand, into a draft. */
  addLink(input: AddLinkInput): Promise<AddLinkResult>;
  /** Editions a link can still go into (drafts and approved ones). */
  editionsTakingLinks(): Promise<Edition[]>;
  /** Aggregate clicks (/desk/clicks): counts at or above analytics.minCount only. */
  clicks: ClickOperations;
}

export function createDeskOperations(ctx: AppContext): DeskOperations {
  let clicks: ClickOperations | null = null;
  const { store, clock, logger } = ctx;
  const accountDeps = { editors: store.editors, audit: store.audit, clock };
  return {
    reads: createDeskReads({ ...store, clock, logger, newsletters: ctx.config.newsletters }),
    curator: (actor) => createCurator(ctx, actor),
    leftOut: (edition) => editionLeftOut(ctx, edition),
    preview: (edition, options) => previewEdition(ctx, edition, options),
    progress: (editionId) => readEditionProgress(ctx, editionId),
    resolveAmbiguous: (input) => resolveAmbiguousDeliveries(ctx, input),
    accounts: (actor) => new EditorAccounts(accountDeps, actor),
    createAuth: () => new DeskAuth(accountDeps, ctx.config.desk),
    createSends: () => new DeskSends(ctx),
    sources: {
      health: () => sourceHealth(sourceHealthDeps(ctx), clock.now()),
      warnings: () => sourceWarnings(sourceHealthDeps(ctx), clock.now()),
    },
    unsorted: createUnsortedTray(unsortedDeps(ctx)),
    webhookCounts: () => webhookCounts(ctx),
    addLink: (input) => addLinkToDraft(ctx, input),
    editionsTakingLinks: () => editionsTakingLinks(ctx),
    // Built on first use: reading web.secret creates the link secret, which a command that
    // signs nothing (edition list) must not do.
    get clicks() {
      clicks ??= clickOperationsFromContext(ctx);
      return clicks;
    },
  };
}
