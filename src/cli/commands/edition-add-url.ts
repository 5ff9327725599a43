import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';
import { printEdition } from '../format-edition.ts';

/** `tidings edition add-url EDITION URL [--title --summary]`: "add this link", the desk's form from a shell. */
export function registerEditionAddUrl(edition: Command, host: CommandHost): void {
  edition
    .command('add-url')
    .description('fetch a page (under the fetch policy), summarize and categorize it, and add it to the edition')
    .argument('<edition>', 'edition id (a draft or approved edition)')
    .argument('<url>', 'the http(s) link')
    .option('--title <text>', 'the title (needed when the page cannot be fetched; wins over the page)')
    .option('--summary <text>', 'the summary (wins over the computed one)')
    .option('--category <slug>', "the section (default: the article's category, else the newsletter's first)")
    .option('--by <name>', 'who does it, for the audit log', 'cli')
    .action(
      async (
        id: string,
        url: string,
        o: { title?: string; summary?: string; category?: string; by: string },
      ): Promise<void> => {
        const { addLinkToDraft } = await import('../../app/add-link-to-draft.ts');
        const ctx = await host.getContext({ sendsMail: false });
        const result = await addLinkToDraft(ctx, { editionId: id, url, ...o, actor: o.by });
        if (!result.fetched)
          (ctx.err ?? ctx.out)(
            `warning: ${url}: not fetched (${result.fetchProblem}); added with your title and summary`,
          );
        ctx.out(`added ${result.articleId} to ${result.edition.id}`);
        host.setExitCode(printEdition(ctx, result.edition, false));
      },
    );
}
