import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { appOperations } from '../../app/app-operations.ts';
import { UsageError } from '../../core/errors.ts';
import { createCurator } from '../../app/create-curator.ts';
import type { CommandHost } from '../command-host.ts';
import { printEdition } from '../format-edition.ts';
import { registerEditionCurateCommands } from './edition-curate.ts';
import { registerEditionAddUrl } from './edition-add-url.ts';

const print = printEdition;

function positiveInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${what}: must be a positive integer (got "${value}")`);
  return n;
}

export function registerEditionCommands(program: Command, host: CommandHost): void {
  const edition = program
    .command('edition')
    .description('list, inspect and curate editions (id: newsletter/YYYY-MM-DDTHH:mm)');
  const curator = async (by = 'cli') => {
    const ctx = await host.getContext({ sendsMail: false });
    return { ctx, curator: createCurator(ctx, by) };
  };
  const run =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A) =>
      host.setExitCode(await fn(...args));

  edition
    .command('list')
    .description('editions, newest first')
    .option('--newsletter <id>', 'only this newsletter')
    .option('--json', 'print JSON')
    .action(
      run(async (options: { newsletter?: string; json?: boolean }) => {
        const ctx = await host.getContext({ sendsMail: false });
        const editions = await appOperations(ctx).listEditions(options.newsletter);
        if (options.json)
          ctx.out(
            JSON.stringify(
              editions.map(({ articles, ...rest }) => ({ ...rest, articles: articles.length })),
              null,
              2,
            ),
          );
        else
          for (const e of editions)
            ctx.out(
              `${e.id.padEnd(28)} ${e.status.padEnd(8)} ${String(e.articles.filter((a) => !a.excluded).length).padStart(3)} articles${e.statusReason ? `  (${e.statusReason})` : ''}`,
            );
        return 0;
      }),
    );

  edition
    .command('show')
    .description('an edition with its articles in curated order')
    .argument('<edition>', 'edition id')
    .option('--json', 'print JSON')
    .action(
      run(async (id: string, options: { json?: boolean }) => {
        const { ctx, curator: c } = await curator();
        return print(ctx, await c.load(id), options.json);
      }),
    );

  edition
    .command('pick')
    .description('change one article: pin it as the top story, include it again, override its title or summary')
    .argument('<edition>', 'edition id')
    .argument('<article>', 'article id (or an unambiguous prefix)')
    .option('--pin', 'make it the top story')
    .option('--unpin', 'no longer the top story')
    .option('--include', 'include it again after an exclude')
    .option('--title <text>', 'title for this edition')
    .option('--summary <text>', 'summary for this edition')
    .option('--reset', 'drop the title and summary overrides')
    .action(
      run(async (id: string, article: string, o: Record<string, string | boolean | undefined>) => {
        const { ctx, curator: c } = await curator();
        if (o.pin && o.unpin) throw new UsageError('--pin and --unpin contradict each other');
        const change = {
          ...(o.pin ? { pinned: true } : o.unpin ? { pinned: false } : {}),
          ...(o.include ? { excluded: false } : {}),
          ...(typeof o.title === 'string' ? { titleOverride: o.title.trim() || null } : {}),
          ...(typeof o.summary === 'string' ? { summaryOverride: o.summary.trim() || null } : {}),
          ...(o.reset ? { titleOverride: null, summaryOverride: null } : {}),
        };
        if (Object.keys(change).length === 0)
          throw new UsageError('say what to change: --pin, --unpin, --include, --title, --summary or --reset');
        return print(ctx, await c.pick(id, article, change), false);
      }),
    );

  edition
    .command('exclude')
    .description('leave an article out of this edition')
    .argument('<edition>', 'edition id')
    .argument('<article>', 'article id (or an unambiguous prefix)')
    .action(
      run(async (id: string, article: string) => {
        const { ctx, curator: c } = await curator();
        return print(ctx, await c.exclude(id, article), false);
      }),
    );

  edition
    .command('move')
    .description('move an article to a position (1 = first) within its section')
    .argument('<edition>', 'edition id')
    .argument('<article>', 'article id (or an unambiguous prefix)')
    .argument('<position>', 'new 1-based position')
    .action(
      run(async (id: string, article: string, position: string) => {
        const { ctx, curator: c } = await curator();
        return print(ctx, await c.move(id, article, positiveInt(position, 'position')), false);
      }),
    );

  edition
    .command('intro')
    .description("set the editor's introduction (text, or --file, or --clear)")
    .argument('<edition>', 'edition id')
    .argument('[text]', 'the introduction; blank lines separate paragraphs')
    .option('--file <path>', 'read the introduction from a file')
    .option('--clear', 'remove the introduction')
    .action(
      run(async (id: string, text: string | undefined, o: { file?: string; clear?: boolean }) => {
        const { ctx, curator: c } = await curator();
        const intro = o.clear ? null : o.file ? readFileSync(o.file, 'utf8') : text;
        if (intro === undefined) throw new UsageError('give the introduction text, --file PATH or --clear');
        return print(ctx, await c.setIntro(id, intro), false);
      }),
    );

  edition
    .command('build')
    .description('build and save the draft of a slot to curate it (previews never save one)')
    .argument('<newsletter>', 'newsletter id')
    .option('--at <iso>', 'the slot (default: now)')
    .action(
      run(async (newsletter: string, o: { at?: string }) => {
        // Loaded on use: the pipeline brings the renderer, which `edition list` must not pay for.
        const { EditionPipeline, findNewsletter, parseAt } = await import('../../app/edition-pipeline.ts');
        const ctx = await host.getContext({ sendsMail: false });
        const at = parseAt(ctx, o.at, findNewsletter(ctx, newsletter).timezone);
        return print(ctx, (await EditionPipeline.open(ctx, newsletter, at)).edition, false);
      }),
    );

  registerEditionCurateCommands(edition, host);
  registerEditionAddUrl(edition, host);
}
