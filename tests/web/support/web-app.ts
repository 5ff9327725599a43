import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { SubscriberService } from '../../../src/app/subscribers/subscriber-service.ts';
import { parseConfig } from '../../../src/config/load-config.ts';
import { createFixedClock } from '../../../src/core/clock.ts';
import { createLogger } from '../../../src/core/logger.ts';
import { createWebServer } from '../../../src/web/create-web-server.ts';
import { loadWebViews } from '../../../src/web/web-views.ts';
import { Writable } from 'node:stream';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates', import.meta.url));

export const WEB_TEST_CONFIG = {
  categories: { security: { title: 'Security' }, science: { title: 'Science' } },
  newsletters: [
    {
      id: 'daily',
      title: 'Daily Brief',
      categories: ['security', 'science'],
      from: 'Daily <daily@example.org>',
      signup: true,
      public: true,
      timezone: 'Europe/Berlin',
    },
    { id: 'closed', title: 'Closed List', categories: ['security'], from: 'c@example.org' },
  ],
  web: { baseUrl: 'https://news.example.org/', secret: 'stand-in-secret-0123456789abcdef' },
};

/** The server over a given service, with its log lines collected (JSON) for assertions. */
export async function buildWebApp(
  subscribers: SubscriberService,
  overrides: Record<string, unknown> = {},
  health: () => Promise<void> = async () => {},
  idleTimeoutMs?: number,
) {
  const config = parseConfig({ ...WEB_TEST_CONFIG, ...overrides }, {});
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination: sink });
  const app: FastifyInstance = await createWebServer(
    {
      config,
      subscribers,
      views: loadWebViews(TEMPLATES_DIR),
      logger,
      clock: createFixedClock('2026-11-28T08:00:00Z'),
      checkHealth: health,
    },
    { idleTimeoutMs },
  );
  return { app, logLines: lines };
}
