import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../src/app/context.ts';
import { listenWebServer, type ListeningWebServer } from '../../src/cli/commands/web-server-wiring.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { systemClock } from '../../src/core/clock.ts';
import { createSilentLogger } from '../../src/core/logger.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import { createSubscriberWorkspace } from '../app/support/subscriber-workspace.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const TEMPLATES_DIR = path.resolve(import.meta.dirname, '../../templates');

describe('/healthz checks that the store takes a write', () => {
  const tempDir = useTempDir('tidings-healthz-');
  const servers: ListeningWebServer[] = [];
  const contexts: AppContext[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
    for (const ctx of contexts.splice(0)) await ctx.close();
  });

  /** `tidings serve` as wired by the CLI, on a free port, over the workspace's store (or one opened `queryOnly`). */
  async function serve(dir: string, options: { queryOnly?: boolean } = {}): Promise<string> {
    const ws = createSubscriberWorkspace(dir, [{ email: 'ann@example.org', newsletters: ['daily'] }]);
    const loaded = loadConfig(ws.configFile, { SMTP_URL: 'smtp://127.0.0.1:9' });
    loaded.config.web.port = 0;
    // The file exists and is migrated first; then this process may not write to it (as root,
    // chmod 0444 would not stop writes: PRAGMA query_only does).
    openSqliteStore(path.join(dir, 'data', 'tidings.db')).close();
    const store = openSqliteStore(path.join(dir, 'data', 'tidings.db'), { queryOnly: options.queryOnly });
    const ctx = createAppContext({
      loaded,
      store,
      clock: systemClock,
      logger: createSilentLogger(),
      env: {},
      out: () => {},
      err: () => {},
      interactive: false,
      stdout: process.stdout,
      templatesDir: TEMPLATES_DIR,
    });
    contexts.push(ctx);
    const server = await listenWebServer(ctx);
    servers.push(server);
    return server.address;
  }

  it('a writable store: 200', async () => {
    const address = await serve(tempDir());
    const response = await fetch(`${address}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok: store ok\n');
  });

  it('a store that refuses writes: 503 with the reason, as signups fail', async () => {
    const address = await serve(tempDir(), { queryOnly: true });
    const response = await fetch(`${address}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/^unhealthy: store unavailable: cannot write \(.*readonly/);
    const signup = await fetch(`${address}/s/daily`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=bo%40example.org',
    });
    expect(signup.status).toBeGreaterThanOrEqual(500);
  });
});
