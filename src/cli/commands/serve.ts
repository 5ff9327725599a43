import type { Command } from 'commander';
import { createSubscriberServiceFromContext } from '../../app/subscribers/create-subscriber-service-from-context.ts';
import { createWebServer, ROUTE_MODULES } from '../../web/create-web-server.ts';
import { createDeskRoutes } from '../../web/desk/desk-routes.ts';
import { listenUntilClosed } from '../../web/listen-until-closed.ts';
import { loadWebViews } from '../../web/web-views.ts';
import { ConfigError } from '../../core/errors.ts';
import type { CommandHost } from '../command-host.ts';

/** Listen failures that are the configuration's to fix: exit 2 with one line. */
const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the port is in use (another server runs there: stop it or choose another web.port)',
  EACCES: 'permission denied (ports below 1024 need privileges: use 8080 behind a proxy)',
  EADDRNOTAVAIL: 'no such address on this machine (check web.host)',
};

/**
 * `tidings serve`: the composition root of the web server. It wires the app layer and
 * the views, listens on web.host:web.port, and resolves only once the server has closed
 * (SIGTERM/SIGINT: requests in flight finish, queued confirmation mail is handed over).
 */
export function registerServeCommand(program: Command, host: CommandHost): void {
  program
    .command('serve')
    .description('serve the subscriber pages (unsubscribe, preferences, signup, editions, archive) on web.host:web.port')
    .action(async () => {
      const ctx = await host.getContext();
      const subscribers = createSubscriberServiceFromContext(ctx);
      const overrideDir = ctx.config.templates.dir ? ctx.resolvePath(ctx.config.templates.dir) : undefined;
      const views = loadWebViews(ctx.templatesDir, overrideDir);
      const app = await createWebServer({
        config: ctx.config,
        subscribers,
        views,
        logger: ctx.logger,
        clock: ctx.clock,
        // A read that touches the database: a locked or vanished file fails it.
        checkHealth: async () => void (await ctx.store.editions.getEdition('healthz/0000-00-00T00:00')),
      }, { modules: [...ROUTE_MODULES, createDeskRoutes(ctx)] });
      const { host: listenHost, port } = ctx.config.web;
      const server = await listenUntilClosed(app, { host: listenHost, port, logger: ctx.logger, signals: process }).catch((error: NodeJS.ErrnoException) => {
        const reason = LISTEN_ERRORS[error.code ?? ''];
        if (!reason) throw error;
        throw new ConfigError(ctx.configFile, [`web.host/web.port: cannot listen on ${listenHost}:${port}: ${reason}`]);
      });
      ctx.out(`listening on ${server.address} (public address ${ctx.config.web.baseUrl})`);
      await server.closed;
      await subscribers.drain();
      ctx.out('stopped');
    });
}
