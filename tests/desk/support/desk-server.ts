import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { createAppContext, type AppContext } from '../../../src/app/context.ts';
import { EditorAccounts } from '../../../src/editors/editor-accounts.ts';
import { createSubscriberServiceFromContext } from '../../../src/app/subscribers/create-subscriber-service-from-context.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { createFixedClock } from '../../../src/core/clock.ts';
import { createLogger } from '../../../src/core/logger.ts';
import { ROUTE_MODULES, createWebServer } from '../../../src/web/create-web-server.ts';
import { deskRoutesFor } from '../../../src/cli/commands/web-server-wiring.ts';
import type { RouteModule } from '../../../src/web/web-context.ts';
import { loadWebViews } from '../../../src/web/web-views.ts';
import { runCli } from '../../helpers/cli-run.ts';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates', import.meta.url));
export const SECRET = 'desk-test-secret-0123456789abcdef';
export const AT = '2026-11-28T07:00:00Z';
export const EDITION = 'daily/2026-11-28T07:00';
export const PASSWORDS = { ann: 'anns desk password', root: 'roots desk password' };

export interface DeskServer {
  url: string;
  ctx: AppContext;
  clock: ReturnType<typeof createFixedClock>;
  app: FastifyInstance;
  dir: string;
  close(): Promise<void>;
}

/**
 * A project made from the samples (perCategory 2, so the cap leaves articles out;
 * approval required), ingested and synced, the draft built for 07:00, two accounts
 * (ann: editor, root: admin), and the real server listening on 127.0.0.1.
 */
export async function startDeskServer(
  dir: string,
  options: {
    smtpUrl?: string;
    baseUrl?: string;
    desk?: string;
    web?: string;
    perMinute?: number;
    editYaml?: (yaml: string) => string;
    /** YAML lines added to the `daily` newsletter. */
    newsletter?: string;
    /** Route modules served besides the default ones and the desk (built from the context). */
    modules?: (ctx: AppContext) => RouteModule[];
  } = {},
): Promise<DeskServer> {
  for (const folder of ['samples', 'subscribers'])
    cpSync(path.resolve(folder), path.join(dir, folder), { recursive: true });
  const file = path.join(dir, 'tidings.config.yaml');
  let yaml = readFileSync(path.resolve('tidings.config.yaml'), 'utf8')
    .replace('perCategory: 4', 'perCategory: 2\n    requireApproval: true\n    schedule: "0 7 * * *"')
    .replace('${TIDINGS_BASE_URL:-http://127.0.0.1:8080}', options.baseUrl ?? 'http://127.0.0.1:8080');
  if (options.newsletter) yaml = yaml.replace(/(\n {4}postalAddress: [^\n]*\n)/, `$1${options.newsletter}`);
  if (options.smtpUrl)
    yaml = yaml.replace(
      /transport:\n {2}type: outbox\n {2}dir: outbox\n/,
      `transport:\n  type: smtp\n  url: ${options.smtpUrl}\n  rateLimit: 500\n`,
    );
  yaml = yaml.replace(
    /\nweb:\n/,
    `\n${options.desk ?? ''}web:\n  rateLimit: { perMinute: ${options.perMinute ?? 5000} }\n${options.web ?? ''}`,
  );
  writeFileSync(file, options.editYaml ? options.editYaml(yaml) : yaml);
  const env = { TIDINGS_SECRET: SECRET };
  const cli = (...args: string[]) => runCli(['-q', '-c', file, ...args], env, AT);
  for (const args of [['ingest'], ['subscribers', 'sync'], ['edition', 'build', 'daily', '--at', AT]]) {
    const result = await cli(...args);
    if (result.code !== 0) throw new Error(`${args.join(' ')}: ${result.err}`);
  }
  const clock = createFixedClock(AT);
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger({
    level: process.env.DESK_LOG ? 'debug' : 'warn',
    destination: process.env.DESK_LOG ? process.stderr : quiet,
  });
  const ctx = createAppContext({
    loaded: loadConfig(file, env),
    clock,
    logger,
    env,
    out: () => {},
    err: () => {},
    interactive: false,
    stdout: quiet,
    stdin: process.stdin,
    templatesDir: TEMPLATES_DIR,
  });
  const accounts = new EditorAccounts({ editors: ctx.store.editors, audit: ctx.store.audit, clock }, 'test');
  await accounts.add('ann', 'ann@example.org', 'editor', PASSWORDS.ann);
  await accounts.add('root', 'root@example.org', 'admin', PASSWORDS.root);
  const app = await createWebServer(
    {
      config: ctx.config,
      subscribers: createSubscriberServiceFromContext(ctx),
      views: loadWebViews(TEMPLATES_DIR),
      logger,
      clock,
      checkHealth: async () => {},
    },
    { modules: [...ROUTE_MODULES, ...(options.modules?.(ctx) ?? []), deskRoutesFor(ctx)] },
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    ctx,
    clock,
    app,
    dir,
    close: async () => {
      await app.close();
      ctx.close();
    },
  };
}
