import type { FastifyInstance } from 'fastify';
import type { SourceHealth } from '../../app/source-health.ts';
import { describeSpan } from '../../ingest/watchdog/judge-source.ts';
import type { DeskDeps } from './desk-deps.ts';
import { deskSession, sendDeskHtml } from './desk-request.ts';
import { deskTime } from './desk-time.ts';

/** A source as the desk's table shows it, times in the first newsletter's zone (the desk's). */
function sourceRow(source: SourceHealth, timeZone: string) {
  const { fetch, rhythm } = source;
  return {
    name: source.name,
    type: source.type,
    failing: (fetch?.consecutiveFailures ?? 0) > 0,
    fetch: fetch
      ? {
          lastOk: deskTime(fetch.lastOkAt, timeZone),
          failures: fetch.consecutiveFailures,
          lastError: fetch.lastError,
        }
      : null,
    rhythm: rhythm.learning
      ? { learning: true, items: rhythm.items }
      : {
          perDay: rhythm.perDay,
          every: describeSpan(rhythm.usualGapMs!),
          lastItem: deskTime(rhythm.lastItemAt, timeZone),
        },
    warnings: source.warnings.map((warning) => warning.message),
  };
}

/**
 * `/desk/sources`: every configured source with its last fetch, its usual rhythm and the
 * watchdog's warnings, troubled ones first, so an editor learns why a digest is thin
 * before it goes out. Read-only: fixing a source is a configuration change.
 */
export function registerDeskSourceRoutes(desk: FastifyInstance, deps: DeskDeps): void {
  const { views } = deps;
  desk.get('/desk/sources', async (request, reply) => {
    const session = deskSession(request);
    const timeZone = deps.config.newsletters[0]?.timezone ?? 'UTC';
    const sources = await deps.ops.sources.health();
    const rows = sources.map((source) => sourceRow(source, timeZone));
    const troubled = rows.filter((row) => row.failing || row.warnings.length > 0);
    const fine = rows.filter((row) => !row.failing && row.warnings.length === 0);
    return sendDeskHtml(
      reply,
      views.render('sources', {
        title: 'Sources',
        editor: session.editor,
        csrf: session.csrfToken,
        rows: [...troubled, ...fine],
        troubled: troubled.length,
      }),
    );
  });
}
