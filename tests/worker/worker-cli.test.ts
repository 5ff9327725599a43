import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const tempDir = useTempDir('worker-cli-');

describe('tidings worker', () => {
  it('refuses a SQLite store, naming what it needs (SQLite stays one sending process)', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'tidings.config.yaml');
    writeFileSync(config, 'store:\n  path: ":memory:"\nweb:\n  secret: "worker-cli-secret-0123456789"\n');
    const { code, err } = await runCli(['-c', config, 'worker', '--until-idle']);
    expect(code).toBe(2);
    expect(err).toMatch(/tidings worker needs a PostgreSQL store \(store\.url: postgres:\/\/…\)/);
  });

  it('checks --concurrency before touching the store', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'tidings.config.yaml');
    writeFileSync(config, 'store:\n  path: ":memory:"\n');
    const { code, err } = await runCli(['-c', config, 'worker', '--concurrency', '0']);
    expect(code).toBe(2);
    expect(err).toMatch(/--concurrency: must be an integer from 1 to 100/);
  });
});
