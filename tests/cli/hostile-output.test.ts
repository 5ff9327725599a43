import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import { makeRecord } from '../helpers/article-records.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

/** Anything that would act on a terminal instead of showing (see src/cli/terminal-text.ts). */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const TITLE = 'Ferry news\u001b[2J\u001b]0;owned\u0007 with NUL\u0000 and \u202eright-to-left';
const NOW = '2026-03-02T07:01:00Z';
const SLOT = '2026-03-02T07:00:00Z';

function project(dir: string, extra = ''): string {
  const file = path.join(dir, 'tidings.config.yaml');
  writeFileSync(
    file,
    `store:\n  path: data/tidings.db\ncategories:\n  technology:\n    title: Technology\n` +
      `newsletters:\n  - id: daily\n    title: Daily\n    categories: [technology]\n    window: 7d\n    minArticles: 1\n    from: "Daily <digest@news.example.org>"\n` +
      `subscribers:\n  paths: []\nweb:\n  secret: hostile-output-test-secret-0123\n${extra}`,
  );
  return file;
}

describe('the CLI never prints control characters from the store raw', () => {
  const tempDir = useTempDir('tidings-hostile-');

  it('articles, edition show, subscribers list, status and deliveries escape them; --json stays valid and exact', async () => {
    const dir = tempDir();
    const config = project(dir);
    const store = openSqliteStore(path.join(dir, 'data', 'tidings.db'));
    await store.articles.saveArticles(
      [
        makeRecord({
          title: TITLE,
          summary: 'Summary\u001b[31m red\u0008',
          author: 'Eve\u009b',
          publishedAt: '2026-03-02T05:00:00.000Z',
        }),
      ],
      new Date(NOW),
    );
    store.close();
    const db = new Database(path.join(dir, 'data', 'tidings.db'));
    const id = db
      .prepare(`INSERT INTO subscribers (email, name, created_at, updated_at) VALUES ('eve@example.org', ?, ?, ?)`)
      .run('Eve\u001b]0;x\u0007', NOW, NOW).lastInsertRowid;
    db.prepare(`INSERT INTO subscriptions (subscriber_id, newsletter_id, updated_at) VALUES (?, 'daily', ?)`).run(
      id,
      NOW,
    );
    db.close();
    const cli = (args: string[]) => runCli(['-q', '-c', config, ...args], {}, NOW);

    // A dry run saves nothing (it would decide the slot): build the draft explicitly.
    expect((await cli(['edition', 'build', 'daily', '--at', SLOT])).code).toBe(0);
    const edition = 'daily/2026-03-02T07:00';
    const db2 = new Database(path.join(dir, 'data', 'tidings.db'));
    db2
      .prepare(
        `INSERT INTO deliveries (edition_id, subscriber_id, status, attempts, finished_at, response, error_code) VALUES (?, ?, 'failed', 1, ?, ?, 'TRANSPORT_PERMANENT')`,
      )
      .run(edition, id, NOW, '550 no\u001b[2J such user\rOK');
    db2.close();

    const outputs = {
      articles: await cli(['articles']),
      show: await cli(['edition', 'show', edition]),
      subscribers: await cli(['subscribers', 'list']),
      status: await cli(['status']),
      deliveries: await cli(['deliveries', edition]),
    };
    for (const [name, result] of Object.entries(outputs)) {
      expect(result.code, `${name}: ${result.err}`).toBe(0);
      expect(RAW_CONTROL.test(result.out), `${name} printed a raw control character`).toBe(false);
    }
    expect(outputs.articles.out).toContain(
      'Ferry news\\u001b[2J\\u001b]0;owned\\u0007 with NUL\\u0000 and \\u202eright-to-left',
    );
    expect(outputs.show.out).toContain('Ferry news\\u001b[2J');
    expect(outputs.subscribers.out).toContain('Eve\\u001b]0;x\\u0007');
    expect(outputs.deliveries.out).toContain('550 no\\u001b[2J such user');
    expect(outputs.status.out).toContain('550 no\\u001b[2J such user');

    for (const args of [
      ['articles', '--json'],
      ['edition', 'show', edition, '--json'],
      ['subscribers', 'list', '--json'],
      ['deliveries', edition, '--json'],
    ]) {
      const result = await cli(args);
      expect(RAW_CONTROL.test(result.out), args.join(' ')).toBe(false);
      expect(() => JSON.parse(result.out), args.join(' ')).not.toThrow();
    }
    expect((JSON.parse((await cli(['articles', '--json'])).out) as { title: string }[])[0]!.title).toBe(TITLE);
  });
});

describe('errors are one line with a documented code', () => {
  const tempDir = useTempDir('tidings-errors-');

  it('a store that is not a database: one STORE_FAILED line, exit 1; the stack only with -v', async () => {
    const dir = tempDir();
    const config = project(dir);
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(
      path.join(dir, 'data', 'tidings.db'),
      'this is not a SQLite file, just text that fills the header. '.repeat(20),
    );
    const result = await runCli(['-q', '-c', config, 'status']);
    expect(result.code).toBe(1);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(/^error: \[STORE_FAILED\] .*tidings\.db: cannot open the store: file is not a database/);
    const verbose = await runCli(['-v', '-c', config, 'status']);
    expect(verbose.code).toBe(1);
    expect(verbose.err).toMatch(/\n\s+at /);
  });

  it('a YAML alias bomb in the configuration: exit 2 with one problem line, before any work', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'tidings.config.yaml');
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    writeFileSync(file, `${levels.join('\n')}\n`);
    const result = await runCli(['-c', file, 'status']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /invalid configuration:\n {2}\(file\): YAML aliases expand to too many nodes .* alias bomb/,
    );
    expect(result.err.trim().split('\n')).toHaveLength(2);
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it('a YAML alias bomb in a subscriber list: file:line and exit 1, the store untouched', async () => {
    const dir = tempDir();
    const config = project(dir);
    writeFileSync(config, readConfig(config).replace('subscribers:\n  paths: []', 'subscribers:\n  paths: [lists]'));
    mkdirSync(path.join(dir, 'lists'));
    const rows = [
      '- email: ann@example.org',
      '  newsletters: [daily]',
      '  name: &a ["x","x","x","x","x","x","x","x","x"]',
    ];
    rows.push('- email: bob@example.org', '  newsletters: [daily]', `  name: &b [${Array(9).fill('*a').join(',')}]`);
    rows.push('- email: cy@example.org', '  newsletters: [daily]', `  name: [${Array(200).fill('*b').join(',')}]`);
    writeFileSync(path.join(dir, 'lists', 'bomb.yaml'), `${rows.join('\n')}\n`);
    const validate = await runCli(['-q', '-c', config, 'subscribers', 'validate']);
    expect(validate.code).toBe(1);
    expect(validate.err).toMatch(/lists\/bomb\.yaml:7: YAML aliases expand to too many nodes .* alias bomb/);
    const sync = await runCli(['-q', '-c', config, 'subscribers', 'sync']);
    expect(sync.code).toBe(1);
    expect(JSON.parse((await runCli(['-q', '-c', config, 'subscribers', 'list', '--json'])).out)).toEqual([]);
  });

  it('${VAR} fills numeric and boolean keys; a value that is not one names the key and the variable (exit 2)', async () => {
    const dir = tempDir();
    const config = project(dir, 'delivery:\n  maxAttempts: ${MAX_ATTEMPTS}\n  bounceAfter: ${BOUNCE_AFTER:-3}\n');
    writeFileSync(
      config,
      readConfig(config).replace(
        '    minArticles: 1\n',
        '    minArticles: 1\n    requireApproval: ${REQUIRE_APPROVAL}\n',
      ),
    );
    const ok = await runCli(['-q', '-c', config, 'status'], { MAX_ATTEMPTS: '7', REQUIRE_APPROVAL: 'true' });
    expect(ok.code, ok.err).toBe(0);
    const bad = await runCli(['-q', '-c', config, 'status'], { MAX_ATTEMPTS: 'seven', REQUIRE_APPROVAL: 'maybe' });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('delivery.maxAttempts: environment variable MAX_ATTEMPTS is "seven", not a number');
    expect(bad.err).toContain(
      'newsletters[0].requireApproval: environment variable REQUIRE_APPROVAL is "maybe", not a boolean',
    );
    const big = await runCli(['-q', '-c', config, 'status'], { MAX_ATTEMPTS: '500', REQUIRE_APPROVAL: 'false' });
    expect(big.code).toBe(2);
    expect(big.err).toMatch(/delivery\.maxAttempts: .*<=20 \(from environment variable MAX_ATTEMPTS\)/);
  });
});

function readConfig(file: string): string {
  return readFileSync(file, 'utf8');
}
