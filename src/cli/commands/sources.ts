import type { Command } from 'commander';
import { appOperations } from '../../app/app-operations.ts';
import type { SourceHealth } from '../../app/source-health.ts';
import { describeSpan } from '../../ingest/watchdog/judge-source.ts';
import type { CommandHost } from '../command-host.ts';
import { escapeControlCharacters } from '../terminal-text.ts';

function fetchLine(source: SourceHealth): string {
  const fetch = source.fetch;
  if (!fetch) return 'never fetched';
  if (fetch.consecutiveFailures > 0)
    return `failing ${fetch.consecutiveFailures}× since ${fetch.lastFailedAt}: ${fetch.lastError ?? 'unknown error'}`;
  return `ok ${fetch.lastOkAt ?? ''}`.trim();
}

function rhythmLine(source: SourceHealth): string {
  const { rhythm } = source;
  if (rhythm.learning) return `learning its rhythm (${rhythm.items} item${rhythm.items === 1 ? '' : 's'} in 30 days)`;
  return `${rhythm.perDay}/day, usually every ${describeSpan(rhythm.usualGapMs!)}, last item ${rhythm.lastItemAt}`;
}

/** `tidings sources`: each configured source's fetch health, rhythm and watchdog warnings. */
export function formatSourceHealth(sources: readonly SourceHealth[]): string[] {
  const lines: string[] = [];
  for (const source of sources) {
    lines.push(`${source.name} (${source.type})  ${fetchLine(source)}`);
    lines.push(`    ${rhythmLine(source)}`);
    for (const warning of source.warnings) lines.push(`    warning: ${warning.message}`);
  }
  const warned = sources.filter((source) => source.warnings.length > 0).length;
  lines.push(`${sources.length} source${sources.length === 1 ? '' : 's'}, ${warned} with warnings`);
  return lines.map(escapeControlCharacters);
}

export function registerSourcesCommand(program: Command, host: CommandHost): void {
  program
    .command('sources')
    .description(
      "each configured source: last fetch, failures, usual rhythm, and the watchdog's warnings (quiet, repeats, excerpts, shrunk)",
    )
    .option('--json', 'print JSON')
    .option('--strict', 'exit 1 when any source has a warning or is failing (for cron and monitoring)')
    .action(async (options: { json?: boolean; strict?: boolean }) => {
      const ctx = await host.getContext({ sendsMail: false });
      const sources = await appOperations(ctx).sources.health();
      if (options.json) ctx.out(JSON.stringify(sources, null, 2));
      else for (const line of formatSourceHealth(sources)) ctx.out(line);
      const troubled = sources.some((s) => s.warnings.length > 0 || (s.fetch?.consecutiveFailures ?? 0) > 0);
      host.setExitCode(options.strict && troubled ? 1 : 0);
    });
}
