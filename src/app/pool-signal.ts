import type { NewsletterConfig } from '../config/schema.ts';
import type { Edition } from '../editions/edition.ts';
import type { EditionStore } from '../editions/edition-store.ts';
import { type ArticleSignal, editorSignal } from '../editions/ranked-pool.ts';
import type { ClickStore } from '../signal/click-store.ts';

/** Editions looked at per shorter stream when a window has no start (`since-last` before any edition went out). */
const MAX_EDITIONS = 62;

export interface PoolSignalDeps {
  newsletters: readonly NewsletterConfig[];
  editions: Pick<EditionStore, 'findPreviousEdition'>;
  clicks: Pick<ClickStore, 'listSince'>;
}

/** A stream's editions with a slot in [since, until), newest first. */
async function editionsBetween(
  editions: PoolSignalDeps['editions'],
  newsletterId: string,
  since: Date | null,
  until: Date,
): Promise<Edition[]> {
  const found: Edition[] = [];
  let previous = await editions.findPreviousEdition(newsletterId, until);
  while (previous && found.length < MAX_EDITIONS) {
    if (since && Date.parse(previous.slot) < since.getTime()) break;
    found.push(previous);
    previous = await editions.findPreviousEdition(newsletterId, new Date(previous.slot));
  }
  return found;
}

/**
 * The signal a ranked cadence stream builds its pool from (BuildEditionDeps.poolSignal):
 * the editors' picks in the same newsletter's unranked (shorter) streams' editions of the
 * window, and their aggregate clicks when the newsletter collects them.
 */
export function createPoolSignal(deps: PoolSignalDeps) {
  return async (
    newsletter: NewsletterConfig,
    window: { since: Date | null; until: Date },
  ): Promise<Map<string, ArticleSignal>> => {
    const base = newsletter.cadence?.newsletterId;
    const shorter = deps.newsletters.filter((n) => n.cadence && n.cadence.newsletterId === base && !n.cadence.ranked);
    const editions: Edition[] = [];
    for (const stream of shorter)
      editions.push(...(await editionsBetween(deps.editions, stream.id, window.since, window.until)));
    const signal = editorSignal(editions, newsletter.categories);
    if (newsletter.analytics !== 'aggregate') return signal;
    const from = window.since ?? new Date(Math.min(window.until.getTime(), ...editions.map((e) => Date.parse(e.slot))));
    for (const stream of shorter) {
      for (const row of await deps.clicks.listSince(from, stream.id)) {
        if (Date.parse(row.slotUtc) >= window.until.getTime()) continue;
        const entry = signal.get(row.articleId) ?? {
          pinned: false,
          top: false,
          kept: false,
          excluded: false,
          clicks: 0,
        };
        entry.clicks += row.clicks;
        signal.set(row.articleId, entry);
      }
    }
    return signal;
  };
}
