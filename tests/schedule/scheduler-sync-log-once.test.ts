import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/app/context.ts';
import { appOperations } from '../../src/app/app-operations.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import { createCliWorkspace } from '../delivery/support/cli-workspace.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const TEMPLATES_DIR = fileURLToPath(new URL('../../templates', import.meta.url));

describe("the scheduler's subscriber sync", () => {
  const tempDir = useTempDir('tidings-sched-sync-');

  it('applies the good rows and logs a bad one as JSON once per process, not as plain text at every prepare', async () => {
    const ws = createCliWorkspace(tempDir(), { subscribers: ['ann@example.org', 'bo@example.org'] });
    appendFileSync(
      path.join(ws.dir, 'subscribers', 'list.yaml'),
      '  - email: not an address\n    newsletters: [daily]\n',
    );
    const log: string[] = [];
    const out: string[] = [];
    const destination = new Writable({
      write: (chunk, _encoding, done) => {
        log.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const env = { SMTP_URL: 'smtp://127.0.0.1:9' };
    const ctx = createAppContext({
      loaded: loadConfig(ws.configFile, env),
      clock: createFixedClock('2026-03-02T07:00:00Z'),
      logger: createLogger({ level: 'info', destination }),
      env,
      out: (line) => out.push(line),
      err: (line) => out.push(line),
      interactive: false,
      stdout: destination,
      templatesDir: TEMPLATES_DIR,
    });
    try {
      for (let prepare = 0; prepare < 3; prepare++) await appOperations(ctx).schedulerProcess.syncSubscribers();
      expect(await ctx.store.subscribers.count('daily')).toBe(2);
      expect(out).toEqual([]);
      const entries = log.map((line) => JSON.parse(line) as { msg: string; step?: string; level: number });
      const skipped = entries.filter((entry) => entry.msg.startsWith('skipped: ') && entry.msg.includes('list.yaml:'));
      expect(skipped).toHaveLength(1);
      expect(skipped[0]).toMatchObject({ step: 'subscribers sync', level: 40 });
      expect(entries.filter((entry) => entry.msg.startsWith('added 2,'))).toHaveLength(1);
    } finally {
      ctx.close();
    }
  });
});
