import { EditionCurator } from '../editions/curate-edition.ts';
import type { AppContext } from './context.ts';

/** The one curation module, acting for `actor` (an editor's name, or `cli`): the CLI and the desk both come here. */
export function createCurator(ctx: AppContext, actor: string): EditionCurator {
  return new EditionCurator(
    {
      editions: ctx.store.editions,
      articles: ctx.store.articles,
      audit: ctx.store.audit,
      clock: ctx.clock,
      newsletters: ctx.config.newsletters,
      categories: ctx.config.categories,
    },
    actor,
  );
}
