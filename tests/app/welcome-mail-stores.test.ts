import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { WelcomeMail, welcomeEditionId } from '../../src/app/subscribers/welcome-mail.ts';
import { transportSchema, type TidingsConfig } from '../../src/config/schema.ts';
import type { Ledger } from '../../src/delivery/ledger.ts';
import type { EditionStore } from '../../src/editions/edition-store.ts';
import type { SubscriberStore } from '../../src/subscribers/subscriber-store.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { createSilentLogger } from '../../src/core/logger.ts';
import { createMailTransport } from '../../src/delivery/smtp-transport.ts';
import { PgDatabase } from '../../src/store/postgres/pg-database.ts';
import { PgEditionStore } from '../../src/store/postgres/pg-edition-store.ts';
import { PgLedger } from '../../src/store/postgres/pg-ledger.ts';
import { migratePg } from '../../src/store/postgres/pg-migrations.ts';
import { PG_MIGRATIONS } from '../../src/store/postgres/pg-schema.ts';
import { PgSubscriberStore } from '../../src/store/postgres/pg-subscriber-store.ts';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.ts';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteEditionStore } from '../../src/store/sqlite/sqlite-edition-store.ts';
import { SqliteLedger } from '../../src/store/sqlite/sqlite-ledger.ts';
import { SqliteSubscriberStore } from '../../src/store/sqlite/sqlite-subscriber-store.ts';
import { addressHash } from '../../src/subscribers/address-hash.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { createTestDatabase, PG_TEST_URL } from '../helpers/postgres.ts';

const AT = new Date('2026-12-07T08:00:00Z');
type Stores = { ledger: Ledger; subscribers: SubscriberStore; editions: EditionStore };

/** Two processes' views of one store (two connections or pools). */
type OpenTwo = () => Promise<{ one: Stores; two: Stores; close(): Promise<void> }>;

const openSqlite: OpenTwo = async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-welcome-store-'));
  const dbs = [0, 1].map(() => openDatabase(path.join(dir, 'store.db'), MIGRATIONS));
  const [one, two] = dbs.map((db) => ({
    ledger: new SqliteLedger(db),
    subscribers: new SqliteSubscriberStore(db),
    editions: new SqliteEditionStore(db),
  }));
  return {
    one: one!,
    two: two!,
    close: async () => {
      for (const db of dbs) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

const openPg: OpenTwo = async () => {
  const database = await createTestDatabase('tidings_welcome');
  const dbs = [0, 1].map(() => new PgDatabase(database.url, { maxConnections: 4 }));
  await migratePg(dbs[0]!, PG_MIGRATIONS);
  const [one, two] = dbs.map((db) => ({
    ledger: new PgLedger(db),
    subscribers: new PgSubscriberStore(db),
    editions: new PgEditionStore(db),
  }));
  return {
    one: one!,
    two: two!,
    close: async () => {
      for (const db of dbs) await db.close();
      await database.drop();
    },
  };
};

const sinks: SmtpSink[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const sink of sinks.splice(0)) await sink.close();
});

function welcomeContract(name: string, open: OpenTwo) {
  it(`${name}: two senders race for the same queue; each reader is welcomed once, a suppressed one never`, async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const stores = await open();
    cleanups.push(stores.close);
    const templates = mkdtempSync(path.join(os.tmpdir(), 'tidings-welcome-tpl-'));
    cleanups.push(async () => rmSync(templates, { recursive: true, force: true }));
    mkdirSync(path.join(templates, 'welcome', 'daily'), { recursive: true });
    writeFileSync(
      path.join(templates, 'welcome', 'daily', 'en.txt.hbs'),
      'Subject: Hello {{reader.firstName}}\n\nWelcome.\n',
    );
    const config = {
      newsletters: [{ id: 'daily', title: 'Daily', from: 'Daily <d@news.example.org>', public: true, locale: 'en' }],
      web: { baseUrl: 'https://news.example.org' },
    } as unknown as TidingsConfig;
    const transport = transportSchema.parse({ type: 'smtp', url: sink.url, rateLimit: 1000 });
    const clock = createFixedClock(AT.toISOString());
    const mailer = (store: Stores) =>
      new WelcomeMail({
        config,
        store,
        clock,
        logger: createSilentLogger(),
        secret: 'welcome-store-secret-0123456789abcdef',
        openTransport: () => createMailTransport(transport, templates, { clock }),
        templateDirs: [templates],
      });
    const ids: number[] = [];
    for (const email of ['ann@example.org', 'bob@example.org', 'cy@example.org']) {
      const id = await stores.one.subscribers.ensureSubscriber({ email, name: email.slice(0, 3), locale: null }, AT);
      await stores.one.subscribers.subscribe(id, 'daily', AT);
      ids.push(id);
    }
    await stores.one.subscribers.addSuppression(addressHash('cy@example.org'), 'test', AT);
    const [first, second] = [mailer(stores.one), mailer(stores.two)];
    for (const id of ids) {
      await first.queue(id, 'daily');
      await second.queue(id, 'daily');
    }
    const counts = await Promise.all([first.sendQueued(), second.sendQueued()]);
    expect(counts.reduce((n, c) => n + c.accepted, 0)).toBe(2);
    expect(sink.messages.map((m) => m.to[0]).sort()).toEqual(['ann@example.org', 'bob@example.org']);
    expect((await simpleParser(sink.messages[0]!.raw)).subject).toMatch(/^Hello (ann|bob)$/);
    const rows = await stores.one.ledger.list(welcomeEditionId('daily'));
    expect(rows.map((r) => r.status).sort()).toEqual(['accepted', 'accepted', 'skipped']);
    // Queued again later (a resubscription): nothing more goes out.
    await first.queue(ids[0]!, 'daily');
    expect(await first.sendQueued()).toEqual({ accepted: 0, failed: 0, skipped: 0 });
    expect(sink.messages).toHaveLength(2);
  });
}

describe('welcome mail through the ledger of each store', () => {
  welcomeContract('SQLite', openSqlite);
  describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () => welcomeContract('PostgreSQL', openPg));
});
