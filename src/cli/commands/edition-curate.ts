import type { Command } from 'commander';
import { createCurator } from '../../app/create-curator.ts';
import { UsageError } from '../../core/errors.ts';
import type { CommandHost } from '../command-host.ts';
import { printEdition } from '../format-edition.ts';

/** `edition add|recategorize|block|approve|unapprove`: the same curation module the desk uses. */
export function registerEditionCurateCommands(edition: Command, host: CommandHost): void {
  const run =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A) =>
      host.setExitCode(await fn(...args));
  const curator = async (by: string) => {
    const ctx = await host.getContext({ sendsMail: false });
    return { ctx, curator: createCurator(ctx, by) };
  };

  edition
    .command('add')
    .description(
      'add a stored article to the edition (one the per-category cap left out, or any other), last in its section',
    )
    .argument('<edition>', 'edition id')
    .argument('<article>', 'stored article id (tidings articles --json)')
    .option('--category <slug>', "the section (default: the first of the newsletter's categories the article carries)")
    .option('--by <name>', 'who does it, for the audit log', 'cli')
    .action(
      run(async (id: string, article: string, o: { category?: string; by: string }) => {
        const { ctx, curator: c } = await curator(o.by);
        return printEdition(ctx, await c.add(id, article, o.category), false);
      }),
    );

  edition
    .command('recategorize')
    .description(
      "give an article the editor's category: it outranks the source's and the classifier's, and trains the classifier",
    )
    .argument('<edition>', 'edition id')
    .argument('<article>', 'article id (or an unambiguous prefix)')
    .argument('<category>', "one of the newsletter's category slugs")
    .option('--by <name>', 'who does it, for the audit log', 'cli')
    .action(
      run(async (id: string, article: string, category: string, o: { by: string }) => {
        const { ctx, curator: c } = await curator(o.by);
        return printEdition(ctx, await c.recategorize(id, article, category), false);
      }),
    );

  edition
    .command('block')
    .description(
      "keep an article (or, with --source, every article of its source) out of this newsletter's later editions",
    )
    .argument('<edition>', 'edition id')
    .argument('<article>', 'article id (or an unambiguous prefix)')
    .option('--source', 'block the whole source of the article')
    .option('--by <name>', 'who does it, for the audit log', 'cli')
    .action(
      run(async (id: string, article: string, o: { source?: boolean; by: string }) => {
        const { ctx, curator: c } = await curator(o.by);
        return printEdition(ctx, await c.block(id, article, o.source ? 'source' : 'article'), false);
      }),
    );

  edition
    .command('approve')
    .description('approve an edition for sending')
    .argument('<edition>', 'edition id')
    .option('--by <name>', 'who approves', 'cli')
    .action(
      run(async (id: string, o: { by: string }) => {
        if (!o.by.trim()) throw new UsageError('--by: give a name');
        const { ctx, curator: c } = await curator(o.by.trim());
        return printEdition(ctx, await c.approve(id), false);
      }),
    );

  edition
    .command('unapprove')
    .description('withdraw the approval of an edition that has not started sending')
    .argument('<edition>', 'edition id')
    .option('--by <name>', 'who withdraws it', 'cli')
    .action(
      run(async (id: string, o: { by: string }) => {
        const { ctx, curator: c } = await curator(o.by);
        return printEdition(ctx, await c.unapprove(id), false);
      }),
    );
}
