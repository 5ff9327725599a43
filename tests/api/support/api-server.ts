import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { ApiAccess } from '../../../src/app/api/api-access.ts';
import { createApiOperations, type ApiOperations } from '../../../src/app/api/api-operations.ts';
import { createAppContext, type AppContext } from '../../../src/app/context.ts';
import { createSubscriberServiceFromContext } from '../../../src/app/subscribers/create-subscriber-service-from-context.ts';
import type { SubscriberService } from '../../../src/app/subscribers/subscriber-service.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { createFixedClock } from '../../../src/core/clock.ts';
import { createLogger } from '../../../src/core/logger.ts';
import { openStore } from '../../../src/store/open-store.ts';
import { createJsonApiRoutes } from '../../../src/web/api/api-routes.ts';
import { ROUTE_MODULES, createWebServer } from '../../../src/web/create-web-server.ts';
import type { RouteModule } from '../../../src/web/web-context.ts';
import { loadWebViews } from '../../../src/web/web-views.ts';
import { runCli } from '../../helpers/cli-run.ts';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates', import.meta.url));
export const SECRET = 'api-test-secret-0123456789abcdef';
export const AT = '2026-11-28T07:00:00Z';
export const EDITION = 'daily/2026-11-28T07:00';

export interface ApiServer {
  url: string;
  ctx: AppContext;
  file: string;
  env: Record<string, string>;
  app: FastifyInstance;
  ops: ApiOperations;
  service: SubscriberService;
  /** Creates a token through the app operation `tidings token create` uses. */
  token(name: string, scopes: string[]): Promise<string>;
  /** fetch against the server with a bearer token and JSON. */
  call(
    token: string | null,
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A project made from the samples (approval required, signup on), ingested and synced,
 * the draft built for 07:00, and the real server (with the API) on 127.0.0.1. With
 * `storeUrl`, the store is that PostgreSQL database.
 */
export async function startApiServer(
  dir: string,
  options: {
    smtpUrl?: string;
    apiPerMinute?: number;
    storeUrl?: string;
    modules?: RouteModule[];
    /** Changes the configuration's YAML before anything runs (a test's own newsletter settings). */
    configure?: (yaml: string) => string;
  } = {},
): Promise<ApiServer> {
  for (const folder of ['samples', 'subscribers'])
    cpSync(path.resolve(folder), path.join(dir, folder), { recursive: true });
  const file = path.join(dir, 'tidings.config.yaml');
  let yaml = readFileSync(path.resolve('tidings.config.yaml'), 'utf8')
    .replace('perCategory: 4', 'perCategory: 2\n    requireApproval: true\n    signup: true')
    .replace('${TIDINGS_BASE_URL:-http://127.0.0.1:8080}', 'http://127.0.0.1:8080');
  if (options.smtpUrl)
    yaml = yaml.replace(
      /transport:\n {2}type: outbox\n {2}dir: outbox\n/,
      `transport:\n  type: smtp\n  url: ${options.smtpUrl}\n  rateLimit: 500\n`,
    );
  yaml = yaml.replace(
    /\nweb:\n/,
    `\nweb:\n  rateLimit: { perMinute: 5000, apiPerMinute: ${options.apiPerMinute ?? 5000} }\n`,
  );
  if (options.storeUrl) yaml = yaml.replace(/\nstore:\n/, `\nstore:\n  url: ${options.storeUrl}\n`);
  writeFileSync(file, options.configure ? options.configure(yaml) : yaml);
  const env = { TIDINGS_SECRET: SECRET };
  for (const args of [['ingest'], ['subscribers', 'sync'], ['edition', 'build', 'daily', '--at', AT]]) {
    const result = await runCli(['-q', '-c', file, ...args], env, AT);
    if (result.code !== 0) throw new Error(`${args.join(' ')}: ${result.err}`);
  }
  const clock = createFixedClock(AT);
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger({ level: 'warn', destination: process.env.API_LOG ? process.stderr : quiet });
  const loaded = loadConfig(file, env);
  const store = options.storeUrl ? await openStore(loaded.config.store, (p) => path.resolve(dir, p)) : undefined;
  const ctx = createAppContext({
    loaded,
    store,
    clock,
    logger,
    env,
    out: () => {},
    err: () => {},
    interactive: false,
    stdout: quiet,
    templatesDir: TEMPLATES_DIR,
  });
  const service = createSubscriberServiceFromContext(ctx);
  const ops = createApiOperations(ctx, service);
  const app = await createWebServer(
    {
      config: ctx.config,
      subscribers: service,
      views: loadWebViews(TEMPLATES_DIR),
      logger,
      clock,
      checkHealth: async () => {},
    },
    { modules: [...(options.modules ?? []), ...ROUTE_MODULES, createJsonApiRoutes(ops)] },
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const access = new ApiAccess(ctx.store.api, clock);
  return {
    url,
    ctx,
    file,
    env,
    app,
    ops,
    service,
    token: async (name, scopes) => (await access.create(name, scopes)).token,
    call: (token, method, route, body, headers = {}) =>
      fetch(`${url}${route}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      }),
    close: async () => {
      await app.close();
      await ops.drain();
      await service.drain();
      await ctx.close();
    },
  };
}
