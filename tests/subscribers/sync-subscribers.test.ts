import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteSubscriberStore } from '../../src/store/sqlite/sqlite-subscriber-store.ts';
import { createSubscriberCatalog } from '../../src/subscribers/subscriber-row.ts';
import { syncSubscribers } from '../../src/subscribers/sync-subscribers.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const CATEGORIES = ['world', 'technology', 'science', 'business', 'security'];
const catalog = createSubscriberCatalog(
  new Map([
    ['daily', ['world', 'technology', 'science']],
    ['weekly', ['business', 'security']],
  ]),
  CATEGORIES,
);
const tempDir = useTempDir('tidings-subsync-');
const T1 = new Date('2025-03-01T08:00:00Z');
const T2 = new Date('2025-03-02T08:00:00Z');
const T3 = new Date('2025-03-03T08:00:00Z');

const open: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function setup() {
  const dir = tempDir();
  const lists = path.join(dir, 'subscribers');
  const db = openDatabase(path.join(dir, 'data', 'tidings.db'));
  open.push(db);
  const store = new SqliteSubscriberStore(db);
  const write = (name: string, text: string) => writeFileSync(path.join(lists, name), text);
  const sync = (now: Date, skipInvalid = false) =>
    syncSubscribers(store, [lists], catalog, { now, skipInvalid, batchSize: 2 });
  mkdirSync(lists, { recursive: true });
  return { db, store, write, sync, lists };
}

const BASE_CSV = [
  'email,name,newsletters,categories,locale,timezone,status',
  'ann@example.org,Ann,daily|weekly,,en,Europe/London,',
  'bob@example.com,Bob,daily,science,,,',
  'cy@example.net,Cy,weekly,,ru,Europe/Moscow,paused',
].join('\n');

async function recipients(store: SqliteSubscriberStore, newsletter: string, options = {}) {
  const out = [];
  for await (const r of store.streamRecipients(newsletter, options)) out.push(r);
  return out;
}

describe('syncSubscribers into SQLite', () => {
  it('adds, then finds nothing to change, then updates and removes', async () => {
    const { store, write, sync } = setup();
    write('list.csv', BASE_CSV);
    const first = await sync(T1);
    expect(first).toMatchObject({
      applied: true,
      added: 3,
      updated: 0,
      unchanged: 0,
      removed: 0,
      skipped: 0,
      errors: [],
    });
    const ann = (await store.findByEmail('ANN@Example.org'))!;
    expect(ann).toMatchObject({
      email: 'ann@example.org',
      name: 'Ann',
      locale: 'en',
      timezone: 'Europe/London',
      status: 'active',
      createdAt: T1.toISOString(),
    });
    expect(ann.subscriptions.map((s) => [s.newsletterId, s.status, s.categories])).toEqual([
      ['daily', 'active', null],
      ['weekly', 'active', null],
    ]);
    expect((await store.findByEmail('bob@example.com'))!.subscriptions[0]!.categories).toEqual(['science']);
    expect((await store.findByEmail('cy@example.net'))!.status).toBe('paused');

    expect(await sync(T2)).toMatchObject({ added: 0, updated: 0, unchanged: 3, removed: 0 });
    expect((await store.findByEmail('ann@example.org'))!.updatedAt).toBe(T1.toISOString());

    // Ann drops weekly, Bob renamed, Cy gone from the files, Dee new.
    write(
      'list.csv',
      [
        'email,name,newsletters',
        'ann@example.org,Ann,daily',
        'bob@example.com,Robert,daily',
        'dee@example.org,Dee,weekly',
      ].join('\n'),
    );
    const third = await sync(T3);
    expect(third).toMatchObject({ added: 1, updated: 2, unchanged: 0, removed: 1 });
    const annAfter = (await store.findByEmail('ann@example.org'))!;
    expect(annAfter.subscriptions.map((s) => [s.newsletterId, s.status])).toEqual([
      ['daily', 'active'],
      ['weekly', 'removed'],
    ]);
    // The locale left the file, so it left the store too: the files decide names and locales.
    expect(annAfter.locale).toBeNull();
    expect((await store.findByEmail('cy@example.net'))!.subscriptions[0]!.status).toBe('removed');
    expect((await recipients(store, 'weekly')).map((r) => r.email)).toEqual(['dee@example.org']);
  });

  it('keeps an unsubscribe, the subscriber’s categories and a bounce across re-syncs', async () => {
    const { store, write, sync } = setup();
    write('list.csv', BASE_CSV);
    await sync(T1);
    const ann = (await store.findByEmail('ann@example.org'))!;
    const bob = (await store.findByEmail('bob@example.com'))!;
    expect(await store.unsubscribe(ann.id, 'daily', T2)).toBe(true);
    expect(await store.unsubscribe(ann.id, 'daily', T2)).toBe(false);
    expect(await store.setPreferences(bob.id, 'daily', ['world', 'technology'], T2)).toBe(true);
    expect(await store.recordHardBounce(ann.id, T2, 2)).toEqual({ bounced: false, hardBounces: 1 });
    await store.resetBounces(ann.id);
    expect(await store.recordHardBounce(ann.id, T2, 2)).toEqual({ bounced: false, hardBounces: 1 });
    expect(await store.recordHardBounce(ann.id, T2, 2)).toEqual({ bounced: true, hardBounces: 2 });

    // The file still lists Ann for daily and Bob with only science.
    const report = await sync(T3);
    expect(report).toMatchObject({ applied: true, added: 0, updated: 0, unchanged: 3 });
    const annAfter = (await store.findByEmail('ann@example.org'))!;
    expect(annAfter.status).toBe('bounced');
    expect(annAfter.subscriptions.find((s) => s.newsletterId === 'daily')).toMatchObject({
      status: 'unsubscribed',
      origin: 'subscriber',
    });
    expect((await store.findByEmail('bob@example.com'))!.subscriptions[0]).toMatchObject({
      categories: ['world', 'technology'],
      categoriesOrigin: 'subscriber',
      status: 'active',
    });
    expect((await recipients(store, 'daily')).map((r) => [r.email, r.categories])).toEqual([
      ['bob@example.com', ['world', 'technology']],
    ]);
    expect(await store.count('daily')).toBe(1);
    expect(await store.count('weekly')).toBe(0); // Ann bounced, Cy paused
  });

  it('refuses a file set with errors and changes nothing', async () => {
    const { db, store, write, sync } = setup();
    write('list.csv', BASE_CSV);
    await sync(T1);
    const before = db.prepare('SELECT * FROM subscribers ORDER BY id').all();
    const beforeSubs = db.prepare('SELECT * FROM subscriptions ORDER BY subscriber_id, newsletter_id').all();
    write(
      'list.csv',
      [BASE_CSV, 'new.one@example.org,New,daily,,,,', 'bad-row,Bad,daily,,,,']
        .join('\n')
        .replace('Bob,daily,science', 'Bobby,weekly,security'),
    );
    const report = await sync(T2);
    expect(report.applied).toBe(false);
    expect(report.errors.map((e) => [path.basename(e.file), e.line])).toEqual([['list.csv', 6]]);
    expect(db.prepare('SELECT * FROM subscribers ORDER BY id').all()).toEqual(before);
    expect(db.prepare('SELECT * FROM subscriptions ORDER BY subscriber_id, newsletter_id').all()).toEqual(beforeSubs);
    expect(await store.findByEmail('new.one@example.org')).toBeNull();
    // The staging tables are gone and a new sync can start.
    expect(db.prepare("SELECT COUNT(*) FROM temp.sqlite_master WHERE name LIKE 'sync_%'").pluck().get()).toBe(0);
  });

  it('rolls the whole merge back when it fails half-way', async () => {
    const { db, store, write, sync } = setup();
    write('list.csv', BASE_CSV);
    await sync(T1);
    const before = db.prepare('SELECT * FROM subscribers ORDER BY id').all();
    const beforeSubs = db.prepare('SELECT * FROM subscriptions ORDER BY subscriber_id, newsletter_id').all();
    // New subscribers are inserted before subscriptions are written; make the latter fail.
    db.exec(`CREATE TEMP TRIGGER fail_weekly BEFORE INSERT ON main.subscriptions WHEN NEW.newsletter_id = 'weekly'
             BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    write('list.csv', `${BASE_CSV}\nnew@example.org,New,weekly,,,,`.replace('Bob,daily,science', 'Bobby,daily,world'));
    await expect(sync(T2)).rejects.toThrow(/disk on fire/);
    expect(db.prepare('SELECT * FROM subscribers ORDER BY id').all()).toEqual(before);
    expect(db.prepare('SELECT * FROM subscriptions ORDER BY subscriber_id, newsletter_id').all()).toEqual(beforeSubs);
    db.exec('DROP TRIGGER temp.fail_weekly');
    expect(await sync(T3)).toMatchObject({ applied: true, added: 1, updated: 1 });
    expect((await store.findByEmail('bob@example.com'))!.name).toBe('Bobby');
  });

  it('refuses an empty folder rather than removing everybody', async () => {
    const { store, write, sync, lists } = setup();
    write('list.csv', BASE_CSV);
    await sync(T1);
    const { rmSync } = await import('node:fs');
    rmSync(path.join(lists, 'list.csv'));
    const report = await sync(T2);
    expect(report.applied).toBe(false);
    expect(report.errors[0]!.message).toBe('no .yaml, .yml or .csv lists in this folder');
    expect(await store.count('daily')).toBe(2);
  });

  it('with skipInvalid applies the good rows, lists the skipped and leaves skipped subscribers alone', async () => {
    const { store, write, sync } = setup();
    write('list.csv', BASE_CSV);
    await sync(T1);
    // Bob's row turns bad (unknown newsletter): he must not be marked removed.
    write(
      'list.csv',
      `${BASE_CSV.replace('bob@example.com,Bob,daily,science', 'bob@example.com,Bob,monthly,science')}\nnew@example.org,New,daily,,,,\nnope,x,daily,,,,`,
    );
    const report = await sync(T2, true);
    expect(report).toMatchObject({ applied: true, added: 1, updated: 0, unchanged: 2, removed: 0, skipped: 2 });
    expect(report.errors.map((e) => e.line)).toEqual([3, 6]);
    expect((await store.findByEmail('bob@example.com'))!.subscriptions[0]!.status).toBe('active');
    expect(await store.findByEmail('new@example.org')).not.toBeNull();
  });

  it('does not remove anybody when a whole file could not be read', async () => {
    const { store, write, sync } = setup();
    write('a.csv', BASE_CSV);
    write('b.yaml', '- email: zed@example.org\n  newsletters: [weekly]\n');
    await sync(T1);
    write('b.yaml', '- email: zed@example.org\n  newsletters: [weekly\n');
    const report = await sync(T2, true);
    expect(report).toMatchObject({ applied: true, removed: 0, removalSkipped: true });
    expect((await store.findByEmail('zed@example.org'))!.subscriptions[0]!.status).toBe('active');
  });

  it('merges duplicates across files: newsletters joined, later fields win', async () => {
    const { store, write, sync } = setup();
    write(
      '1.yaml',
      'subscribers:\n  - email: Zoe@Bücher.Example\n    name: Zoe One\n    newsletters: [daily]\n    locale: de\n',
    );
    write('2.csv', 'email,name,newsletters,categories\nzoe@xn--bcher-kva.example,Zoe Two,weekly,security\n');
    const report = await sync(T1);
    expect(report).toMatchObject({ added: 1, rows: 2 });
    expect(report.warnings).toHaveLength(1);
    const zoe = (await store.findByEmail('zoe@bücher.example'))!;
    expect(zoe).toMatchObject({ name: 'Zoe Two', locale: null });
    expect(zoe.subscriptions.map((s) => [s.newsletterId, s.categories])).toEqual([
      ['daily', null],
      ['weekly', ['security']],
    ]);
  });
});

describe('streamRecipients', () => {
  it('pages by id in order, resumes after an id and is bounded by the max id at start', async () => {
    const { store, write, sync } = setup();
    const rows = Array.from(
      { length: 25 },
      (_, i) => `r${String(i).padStart(2, '0')}@example.org,R${i},daily,,,,${i % 5 === 4 ? 'paused' : ''}`,
    );
    write('list.csv', ['email,name,newsletters,categories,locale,timezone,status', ...rows].join('\n'));
    await sync(T1);
    const all = await recipients(store, 'daily', { batchSize: 3 });
    expect(all).toHaveLength(20);
    const ids = all.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(all[0]).toEqual({
      id: ids[0],
      email: 'r00@example.org',
      name: 'R0',
      firstName: null,
      languages: null,
      locale: null,
      timezone: null,
      categories: null,
      hardBounces: 0,
      cadence: null,
    });
    expect(all.some((r) => r.email === 'r04@example.org')).toBe(false);

    // Resume after the 7th recipient: the rest, exactly once.
    const rest = await recipients(store, 'daily', { afterId: ids[6], batchSize: 4 });
    expect(rest.map((r) => r.id)).toEqual(ids.slice(7));

    // People added while a send runs wait for the next one.
    const iterator = store.streamRecipients('daily', { batchSize: 2 })[Symbol.asyncIterator]();
    const firstSeen = await iterator.next();
    write(
      'list.csv',
      ['email,name,newsletters,categories,locale,timezone,status', ...rows, 'late@example.org,Late,daily,,,,'].join(
        '\n',
      ),
    );
    await sync(T2);
    const seen = [firstSeen.value!.email];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) seen.push(next.value.email);
    expect(seen).toHaveLength(20);
    expect(seen).not.toContain('late@example.org');
    expect(await store.count('daily')).toBe(21);
  });

  it('lists subscribers by newsletter and looks them up by id', async () => {
    const { store, write, sync } = setup();
    write('list.csv', BASE_CSV);
    await sync(T1);
    const weekly = await store.list({ newsletterId: 'weekly' });
    expect(weekly.map((s) => s.email)).toEqual(['ann@example.org', 'cy@example.net']);
    expect((await store.getById(weekly[0]!.id))!.email).toBe('ann@example.org');
    expect(await store.getById(999)).toBeNull();
    expect((await store.list({ limit: 2 })).map((s) => s.email)).toEqual(['ann@example.org', 'bob@example.com']);
  });
});
