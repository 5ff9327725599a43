import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';

/**
 * Definitions only: the parsers, the summarizer and the classifier are imported when a
 * command runs, so `tidings --help` does not load them.
 */
export function registerIngestCommands(program: Command, host: CommandHost): void {
  const load = () => import('./ingest.ts');
  program
    .command('ingest')
    .description('ingest the configured sources into the store; prints new / updated / unchanged / failed per source')
    .option('-s, --source <name>', 'only this source')
    .option('--full', 'ignore the stored ETag/Last-Modified validators: fetch and parse every source in full')
    .action(async (options: { source?: string; full?: boolean }) => {
      const { runIngest } = await load();
      host.setExitCode(await runIngest(await host.getContext({ sendsMail: false }), options));
    });

  program
    .command('inspect')
    .description('parse files or URLs without storing and print the normalized articles')
    .argument('<inputs...>', 'paths or http(s) URLs: feeds, pages, page dumps, Markdown, JSON')
    .option('--json', 'print a JSON array of articles')
    .action(async (inputs: string[], options: { json?: boolean }) => {
      const { runInspect } = await load();
      host.setExitCode(await runInspect(await host.getContext({ sendsMail: false }), inputs, options));
    });

  const articles = program
    .command('articles')
    .description('list stored articles, newest first; `articles file` files one under a category')
    .option('--category <slug>', 'only this category')
    .option('--since <when>', 'a duration back from now (24h, 7d) or an ISO time')
    .option('--uncategorized', 'only articles with no configured category')
    .option('--limit <n>', 'at most this many')
    .option('--json', 'print a JSON array of articles')
    .action(async (options) => {
      const { runArticles } = await load();
      host.setExitCode(await runArticles(await host.getContext({ sendsMail: false }), options));
    });
  articles
    .command('file')
    .description(
      "file an article (one of `articles --uncategorized`) under a configured category: an editor's label, kept by later ingests and learned by the classifier",
    )
    .argument('<article>', 'article id (or an unambiguous prefix, as `tidings articles` prints it)')
    .argument('<category>', 'a configured category slug')
    .option('--by <name>', 'who files it, for the audit log', 'cli')
    .action(async (article: string, category: string, options: { by: string }) => {
      const { appOperations } = await import('../../app/app-operations.ts');
      const ctx = await host.getContext({ sendsMail: false });
      const filed = await appOperations(ctx).unsorted.file(article, category, options.by);
      ctx.out(`filed ${filed.id.slice(0, 10)} "${filed.title}" under ${category}`);
      host.setExitCode(0);
    });

  program
    .command('classify')
    .description('classify stored articles that have no configured category; prints counts per category')
    .option('--retrain', 'also reconsider articles the classifier labelled before, with a freshly trained model')
    .action(async (options: { retrain?: boolean }) => {
      const { runClassify } = await load();
      host.setExitCode(await runClassify(await host.getContext({ sendsMail: false }), options));
    });
}
