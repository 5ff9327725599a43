import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import type { CommandHost } from '../command-host.ts';

/** Definitions only: the renderer (MJML, Handlebars) is imported when the command runs. */
export function registerPreviewCommand(program: Command, host: CommandHost): void {
  program
    .command('preview')
    .description('build (or load) an edition and write the HTML and text a subscriber gets, exactly as sent')
    .argument('<newsletter>', 'newsletter id')
    .option('--at <iso>', 'the slot (default: now)')
    .option('--subscriber <email>', 'render as this subscriber (default: a sample reader of every category)')
    .option('--out <dir>', 'output folder', 'preview')
    .action(async (newsletter: string, options: { at?: string; subscriber?: string; out: string }) => {
      if (!options.out) throw new UsageError('--out: a folder is required');
      const { runPreview } = await import('./preview.ts');
      host.setExitCode(await runPreview(await host.getContext({ sendsMail: false }), newsletter, options));
    });
}
