import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  runSubscribersList,
  runSubscribersSync,
  runSubscribersValidate,
  type SubscribersCommandContext,
} from '../../src/cli/commands/subscribers.ts';
import { createSubscriberLists } from '../../src/app/subscriber-lists.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { openDatabase, type SqliteDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteSubscriberStore } from '../../src/store/sqlite/sqlite-subscriber-store.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const tempDir = useTempDir('tidings-subcli-');
const open: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function context() {
  const baseDir = tempDir();
  mkdirSync(path.join(baseDir, 'lists'));
  const db = openDatabase(path.join(baseDir, 'tidings.db'));
  open.push(db);
  const out: string[] = [];
  const err: string[] = [];
  const config: SubscribersCommandContext['config'] = {
    subscribers: { paths: ['lists'] },
    categories: {
      world: { title: 'World', aliases: [], keywords: [] },
      science: { title: 'Science', aliases: [], keywords: [] },
    },
    newsletters: [
      { id: 'daily', categories: ['world', 'science'] },
    ] as SubscribersCommandContext['config']['newsletters'],
  };
  const subscribers = new SqliteSubscriberStore(db);
  const clock = createFixedClock('2025-03-01T08:00:00Z');
  const ctx: SubscribersCommandContext = {
    config,
    baseDir,
    lists: createSubscriberLists({ config, baseDir, subscribers, clock }),
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  };
  const write = (name: string, text: string) => writeFileSync(path.join(baseDir, 'lists', name), text);
  return { ctx, subscribers, out, err, write };
}

describe('subscribers commands', () => {
  it('validate prints file:line: reason relative to the config folder and exits 1', async () => {
    const { ctx, out, err, write } = context();
    write('a.csv', 'email,newsletters,categories\nok@example.org,daily,world\nbad@example.org,daily,sports\n');
    expect(await runSubscribersValidate(ctx)).toBe(1);
    expect(err).toEqual([
      `${path.join('lists', 'a.csv')}:3: categories: "sports" is not a configured category (known: world, science)`,
    ]);
    expect(out).toEqual(['1 valid row, 1 error, 0 warnings']);
  });

  it('sync refuses bad lists (exit 1), then applies the good rows with --skip-invalid', async () => {
    const { ctx, subscribers, out, err, write } = context();
    write('a.csv', 'email,name,newsletters\nok@example.org,Ok,daily\nbad,Bad,daily\n');
    expect(await runSubscribersSync(ctx, {})).toBe(1);
    expect(out.at(-1)).toBe('sync refused: 1 error; nothing was changed (fix the lists or use --skip-invalid)');
    expect(err).toEqual([`${path.join('lists', 'a.csv')}:3: email is not a valid address: "bad" has no @`]);
    expect(await subscribers.count('daily')).toBe(0);

    expect(await runSubscribersSync(ctx, { skipInvalid: true })).toBe(0);
    expect(err.at(-1)).toBe(`skipped: ${path.join('lists', 'a.csv')}:3: email is not a valid address: "bad" has no @`);
    expect(out.at(-1)).toBe('added 1, updated 0, unchanged 0, removed 0, skipped 1');
  });

  it('list prints a line per subscriber, or a JSON array', async () => {
    const { ctx, out, write } = context();
    write(
      'a.yaml',
      '- email: Ivan@Example.net\n  name: Иван\n  newsletters: [daily]\n  categories: [science]\n  locale: ru\n  timezone: Europe/Moscow\n',
    );
    await runSubscribersSync(ctx, {});
    out.length = 0;
    expect(await runSubscribersList(ctx, { newsletter: 'daily' })).toBe(0);
    expect(out).toEqual([
      '     1  ivan@example.net  Иван  active  daily:active[science]  ru Europe/Moscow',
      '1 subscriber',
    ]);
    out.length = 0;
    await runSubscribersList(ctx, { json: true });
    const parsed = JSON.parse(out.join('\n'));
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatchObject({
      email: 'ivan@example.net',
      locale: 'ru',
      subscriptions: [{ newsletterId: 'daily', categories: ['science'] }],
    });
    await expect(runSubscribersList(ctx, { newsletter: 'weekly' })).rejects.toThrow(/not a configured newsletter/);
  });
});
