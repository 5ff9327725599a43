import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { AppContext } from '../../app/context.ts';
import { UsageError } from '../../core/errors.ts';
import type { Edition } from '../../editions/edition.ts';
import { EditionCurator } from '../../editions/curate-edition.ts';
import { chooseTopStory, curatedArticles } from '../../editions/plan-digest.ts';
import type { CommandHost } from '../command-host.ts';

function formatEdition(edition: Edition, categoryOrder: readonly string[]): string[] {
  const lines = [
    `${edition.id}  ${edition.status}${edition.statusReason ? ` (${edition.statusReason})` : ''}`,
    `  slot ${edition.slot} · built ${edition.builtAt}${edition.approvedAt ? ` · approved ${edition.approvedAt}` : ''}`,
  ];
  if (edition.intro) lines.push(`  intro: ${edition.intro.replace(/\n+/g, ' ¶ ')}`);
  let heading = '';
  let number = 0;
  const excluded = edition.articles.filter((a) => a.excluded);
  const curated = curatedArticles(edition, categoryOrder);
  // Without a pin the email still leads with one story: show the editor which, in place.
  const top = chooseTopStory(curated);
  for (const article of [...curated, ...excluded]) {
    const group = article.pinned ? 'top story' : article.excluded ? 'excluded' : article.category;
    if (group !== heading) {
      heading = group;
      number = 0;
      lines.push(`  [${group}]`);
    }
    // Numbers are the positions `edition move` takes: within the section, pinned and excluded aside.
    const label = article.pinned ? ' *' : article.excluded ? ' -' : String((number += 1)).padStart(2);
    const flag = article === top && !article.pinned ? '  <TOP auto: first with an image; pin to choose>' : '';
    lines.push(`    ${label}. ${article.articleId.slice(0, 10)}  ${article.title}${flag}`);
    // The story's cluster: the shown article's source first, then the ones folded into it.
    if (article.alsoIn?.length) {
      lines.push(`        story from ${article.source}; also in:`);
      for (const link of article.alsoIn) lines.push(`          ${link.articleId.slice(0, 10)}  ${link.source}  ${link.url ?? '(no url)'}`);
    }
  }
  return lines;
}

function print(ctx: AppContext, edition: Edition, json: boolean | undefined): number {
  if (json) ctx.out(JSON.stringify(edition, null, 2));
  else {
    const order = ctx.config.newsletters.find((n) => n.id === edition.newsletterId)?.categories ?? [];
    for (const line of formatEdition(edition, order)) ctx.out(line);
  }
  return 0;
}

function positiveInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${what}: must be a positive integer (got "${value}")`);
  return n;
}

export function registerEditionCommands(program: Command, host: CommandHost): void {
  const edition = program.command('edition').description('list, inspect and curate editions (id: newsletter/YYYY-MM-DDTHH:mm)');
  const curator = async () => {
    const ctx = await host.getContext();
    return { ctx, curator: new EditionCurator(ctx.store.editions, ctx.clock) };
  };
  const run = (fn: (...args: any[]) => Promise<number>) => async (...args: any[]) => host.setExitCode(await fn(...args));

  edition
    .command('list')
    .description('editions, newest first')
    .option('--newsletter <id>', 'only this newsletter')
    .option('--json', 'print JSON')
    .action(
      run(async (options: { newsletter?: string; json?: boolean }) => {
        const ctx = await host.getContext();
        const editions = await ctx.store.editions.listEditions(options.newsletter);
        if (options.json) ctx.out(JSON.stringify(editions.map(({ articles, ...rest }) => ({ ...rest, articles: articles.length })), null, 2));
        else
          for (const e of editions)
            ctx.out(`${e.id.padEnd(28)} ${e.status.padEnd(8)} ${String(e.articles.filter((a) => !a.excluded).length).padStart(3)} articles${e.statusReason ? `  (${e.statusReason})` : ''}`);
        return 0;
      }),
    );

  edition
    .command('show')
    .description('an edition with its articles in curated order')
    .argument('<edition>', 'edition id')
    .option('--json', 'print JSON')
    .action(run(async (id: string, options: { json?: boolean }) => {
      const { ctx, curator: c } = await curator();
      return print(ctx, await c.load(id), options.json);
    }));

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
    .action(run(async (id: string, article: string, o: Record<string, string | boolean | undefined>) => {
      const { ctx, curator: c } = await curator();
      if (o.pin && o.unpin) throw new UsageError('--pin and --unpin contradict each other');
      const change = {
        ...(o.pin ? { pinned: true } : o.unpin ? { pinned: false } : {}),
        ...(o.include ? { excluded: false } : {}),
        ...(typeof o.title === 'string' ? { titleOverride: o.title.trim() || null } : {}),
        ...(typeof o.summary === 'string' ? { summaryOverride: o.summary.trim() || null } : {}),
        ...(o.reset ? { titleOverride: null, summaryOverride: null } : {}),
      };
      if (Object.keys(change).length === 0) throw new UsageError('say what to change: --pin, --unpin, --include, --title, --summary or --reset');
      return print(ctx, await c.pick(id, article, change), false);
    }));

  edition
    .command('exclude')
    .description('leave an article out of this edition')
    .argument('<edition>', 'edition id')
    .argument('<article>', 'article id (or an unambiguous prefix)')
    .action(run(async (id: string, article: string) => {
      const { ctx, curator: c } = await curator();
      return print(ctx, await c.exclude(id, article), false);
    }));

  edition
    .command('move')
    .description('move an article to a position (1 = first) within its section')
    .argument('<edition>', 'edition id')
    .argument('<article>', 'article id (or an unambiguous prefix)')
    .argument('<position>', 'new 1-based position')
    .action(run(async (id: string, article: string, position: string) => {
      const { ctx, curator: c } = await curator();
      return print(ctx, await c.move(id, article, positiveInt(position, 'position')), false);
    }));

  edition
    .command('intro')
    .description("set the editor's introduction (text, or --file, or --clear)")
    .argument('<edition>', 'edition id')
    .argument('[text]', 'the introduction; blank lines separate paragraphs')
    .option('--file <path>', 'read the introduction from a file')
    .option('--clear', 'remove the introduction')
    .action(run(async (id: string, text: string | undefined, o: { file?: string; clear?: boolean }) => {
      const { ctx, curator: c } = await curator();
      const intro = o.clear ? null : o.file ? readFileSync(o.file, 'utf8') : text;
      if (intro === undefined) throw new UsageError('give the introduction text, --file PATH or --clear');
      return print(ctx, await c.setIntro(id, intro), false);
    }));

  edition
    .command('build')
    .description("build and save the draft of a slot to curate it (previews never save one)")
    .argument('<newsletter>', 'newsletter id')
    .option('--at <iso>', 'the slot (default: now)')
    .action(run(async (newsletter: string, o: { at?: string }) => {
      // Loaded on use: the pipeline brings the renderer, which `edition list` must not pay for.
      const { EditionPipeline, findNewsletter, parseAt } = await import('../../app/edition-pipeline.ts');
      const ctx = await host.getContext();
      const at = parseAt(ctx, o.at, findNewsletter(ctx, newsletter).timezone);
      return print(ctx, (await EditionPipeline.open(ctx, newsletter, at)).edition, false);
    }));

  edition
    .command('approve')
    .description('approve an edition for sending')
    .argument('<edition>', 'edition id')
    .option('--by <name>', 'who approves', 'cli')
    .action(run(async (id: string, o: { by: string }) => {
      const { ctx, curator: c } = await curator();
      return print(ctx, await c.approve(id, o.by), false);
    }));
}
