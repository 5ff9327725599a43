import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

/** Every CLI error is one line `error: [CODE] message` (docs/operations.md, "Error codes"). */
const ERROR_LINE = /^error: \[[A-Z_]+\] \S/;

describe('inspect errors carry their code', () => {
  const tempDir = useTempDir();

  it('a missing file, and an unparsable one', async () => {
    const dir = tempDir();
    const garbage = path.join(dir, 'garbage.json');
    writeFileSync(garbage, '{"title": ');
    const result = await runCli(['-q', 'inspect', path.join(dir, 'missing.xml'), garbage]);
    expect(result.code).toBe(1);
    const lines = result.err.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(ERROR_LINE);
    expect(lines[0]).toContain('missing.xml');
    expect(lines[1]).toContain('garbage.json');
  });
});

describe('a store file that is not a store is refused', () => {
  const tempDir = useTempDir();

  function workspace(): { dir: string; config: string; store: string } {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'config.yaml'), 'store: { path: data/tidings.db }\n');
    return { dir, config: path.join(dir, 'config.yaml'), store: path.join(dir, 'data', 'tidings.db') };
  }

  it('a 0-byte file: an error naming the path, and the file left as it was', async () => {
    const { config, store } = workspace();
    openDatabase(store).close();
    writeFileSync(store, '');
    const result = await runCli(['-q', '-c', config, 'status']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(ERROR_LINE);
    expect(result.err).toContain('[STORE_FAILED]');
    expect(result.err).toContain(store);
    expect(result.err).toContain('empty (0 bytes)');
    expect(statSync(store).size).toBe(0);
  });

  it('a file that is not SQLite', async () => {
    const { config, store } = workspace();
    openDatabase(store).close();
    writeFileSync(store, 'id,email\n1,a@example.org\n'.repeat(100));
    const result = await runCli(['-q', '-c', config, 'status']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error: \[STORE_FAILED\] .*tidings\.db: cannot open the store: file is not a database/);
    expect(readFileSync(store, 'utf8')).toMatch(/^id,email/);
  });

  it('a missing file is still created, whole, and opens again', async () => {
    const { config, store } = workspace();
    expect(existsSync(store)).toBe(false);
    expect((await runCli(['-q', '-c', config, 'status'])).code).toBe(0);
    expect(readFileSync(store).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect((await runCli(['-q', '-c', config, 'status'])).code).toBe(0);
  });
});
