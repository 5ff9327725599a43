import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteSubscriberStore } from '../../src/store/sqlite/sqlite-subscriber-store.ts';
import { addressHash } from '../../src/subscribers/address-hash.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const NOW = '2026-12-07T08:00:00Z';
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/imports');
const fixture = (name: string) => path.join(FIXTURES, name);

/** A project with two newsletters, an outbox and an empty subscriber list. */
function workspace(dir: string) {
  mkdirSync(path.join(dir, 'subscribers'), { recursive: true });
  writeFileSync(path.join(dir, 'subscribers', 'list.csv'), 'email,newsletters\n');
  const configFile = path.join(dir, 'tidings.config.yaml');
  writeFileSync(
    configFile,
    `store:
  path: data/tidings.db
categories:
  science: { title: Science }
  world: { title: World }
sources:
  - { name: desk, type: folder, path: articles }
newsletters:
  - { id: daily, title: Daily, categories: [science, world], from: "Daily <d@news.example.org>", timezone: UTC }
  - { id: weekly, title: Weekly, categories: [world], from: "Weekly <w@news.example.org>", timezone: UTC }
subscribers:
  paths: [subscribers]
transport: { type: outbox, dir: outbox }
web: { baseUrl: "http://127.0.0.1:8080", secret: "import-test-secret-0123456789abcdef" }
`,
  );
  mkdirSync(path.join(dir, 'articles'));
  const cli = (...args: string[]) => runCli(['-q', '-c', configFile, ...args], {}, NOW);
  const store = () => {
    const db = openDatabase(path.join(dir, 'data', 'tidings.db'));
    return { subscribers: new SqliteSubscriberStore(db), close: () => db.close() };
  };
  return { cli, store };
}

describe('tidings subscribers import', () => {
  const tempDir = useTempDir('tidings-import-');

  it('reads a Mailchimp audience export: subscribed rows join, unsubscribed and cleaned become suppressions', async () => {
    const ws = workspace(tempDir());
    const file = fixture('mailchimp-subscribed.csv');
    const dry = await ws.cli(
      'subscribers',
      'import',
      file,
      '--from',
      'mailchimp',
      '--newsletter',
      'daily',
      '--dry-run',
    );
    expect(dry.out).toContain('would import (dry run, nothing written): added 2, subscribed 0, unchanged 0');
    expect(dry.err).toContain(`${file}:4: "not-an-address" is not a valid address`);
    expect(dry.err).toContain(`${file}:5: the same address as line 2: left out`);
    expect(dry.code).toBe(1);
    let s = ws.store();
    expect(await s.subscribers.list()).toEqual([]);
    s.close();

    const run = await ws.cli(
      ...['subscribers', 'import', file, '--from', 'mailchimp', '--newsletter', 'daily'],
      ...['--map-tags', 'Science fans=science', '--map-tags', 'unknown tag=world'],
    );
    expect(run.out).toContain(
      'imported: added 2, subscribed 0, unchanged 0, suppressed 0, already suppressed 0, refused 2',
    );
    expect(run.code).toBe(1);
    for (const name of ['mailchimp-unsubscribed.csv', 'mailchimp-cleaned.csv']) {
      const result = await ws.cli(
        'subscribers',
        'import',
        fixture(name),
        '--from',
        'mailchimp',
        '--newsletter',
        'daily',
      );
      expect(result.out).toContain('added 0, subscribed 0, unchanged 0, suppressed 1, already suppressed 0, refused 0');
      expect(result.code).toBe(0);
    }
    s = ws.store();
    const iris = (await s.subscribers.findByEmail('iris.lark@example.org'))!;
    expect(iris).toMatchObject({ name: 'Iris Lark', firstName: 'Iris', timezone: 'Europe/Berlin', status: 'active' });
    expect(iris.subscriptions).toEqual([
      expect.objectContaining({
        newsletterId: 'daily',
        status: 'active',
        categories: ['science'],
        origin: 'subscriber',
      }),
    ]);
    // A time zone that is not an IANA name is dropped, not trusted.
    expect((await s.subscribers.findByEmail('omar.fenn@example.net'))!.timezone).toBeNull();
    for (const gone of ['quit.reader@example.com', 'gone.box@example.com']) {
      expect(await s.subscribers.isSuppressed(addressHash(gone))).toBe(true);
      expect(await s.subscribers.findByEmail(gone)).toBeNull();
    }
    expect((await s.subscribers.listSuppressions()).map((x) => x.reason).sort()).toEqual([
      'import from mailchimp: cleaned',
      'import from mailchimp: unsubscribed',
    ]);
    expect(await s.subscribers.count('daily')).toBe(2);
    s.close();

    // Importing the same export again changes nothing; a later sync of the files keeps them.
    const again = await ws.cli('subscribers', 'import', file, '--from', 'mailchimp', '--newsletter', 'daily');
    expect(again.out).toContain('added 0, subscribed 0, unchanged 2');
    expect((await ws.cli('subscribers', 'sync')).code).toBe(0);
    s = ws.store();
    expect(await s.subscribers.count('daily')).toBe(2);
    s.close();
  });

  it('reads Substack, Buttondown, listmonk and Ghost exports with their statuses', async () => {
    const ws = workspace(tempDir());
    const imp = (name: string, from: string, ...extra: string[]) =>
      ws.cli('subscribers', 'import', fixture(name), '--from', from, '--newsletter', 'daily', ...extra);

    const substack = await imp('substack.csv', 'substack');
    expect(substack.out).toContain('added 2, subscribed 0, unchanged 0, suppressed 1, already suppressed 0, refused 1');
    expect(substack.err).toContain('substack.csv:5: email_disabled "perhaps" is not true or false');

    const buttondown = await imp('buttondown.csv', 'buttondown', '--map-tags', 'science=science');
    expect(buttondown.out).toContain(
      'added 1, subscribed 0, unchanged 0, suppressed 2, already suppressed 0, refused 2',
    );
    expect(buttondown.err).toContain('buttondown.csv:3: never confirmed on buttondown (unactivated)');
    expect(buttondown.err).toContain('buttondown.csv:6: unknown subscriber type "mystery"');

    const listmonk = await imp('listmonk.csv', 'listmonk');
    expect(listmonk.out).toContain('added 1, subscribed 0, unchanged 0, suppressed 2, already suppressed 0, refused 0');

    const ghost = await imp('ghost.csv', 'ghost', '--map-tags', 'world=world');
    expect(ghost.out).toContain('added 1, subscribed 0, unchanged 0, suppressed 1, already suppressed 0, refused 1');
    expect(ghost.err).toMatch(/ghost\.csv:4: ".*" is not a valid address/);

    const s = ws.store();
    const mailed = (await s.subscribers.list()).filter((r) => r.subscriptions.some((x) => x.status === 'active'));
    expect(mailed.map((r) => r.email).sort()).toEqual([
      'bea.button@example.org',
      'gia.ghost@example.org',
      'lena.list@example.org',
      'paid.pat@example.org',
      'sam.stack@example.org',
    ]);
    expect((await s.subscribers.findByEmail('bea.button@example.org'))!.subscriptions[0]!.categories).toEqual([
      'science',
    ]);
    expect((await s.subscribers.findByEmail('gia.ghost@example.org'))!.subscriptions[0]!.categories).toEqual(['world']);
    for (const gone of [
      'muted.max@example.org',
      'bounce.bo@example.org',
      'angry.al@example.org',
      'blocked.bill@example.org',
      'off.olga@example.org',
      'left.leo@example.org',
    ]) {
      expect(await s.subscribers.isSuppressed(addressHash(gone))).toBe(true);
    }
    // Unconfirmed readers are neither added nor suppressed: they never said yes or no.
    expect(await s.subscribers.findByEmail('never.clicked@example.org')).toBeNull();
    expect(await s.subscribers.isSuppressed(addressHash('never.clicked@example.org'))).toBe(false);
    s.close();
  });

  it('refuses a file whose header is not the named platform, and a Tidings CSV with foreign columns', async () => {
    const dir = tempDir();
    const ws = workspace(dir);
    const wrong = await ws.cli(
      'subscribers',
      'import',
      fixture('ghost.csv'),
      '--from',
      'mailchimp',
      '--newsletter',
      'daily',
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toContain('no "email address" column');
    const csv = await ws.cli('subscribers', 'import', fixture('mailchimp-subscribed.csv'), '--from', 'csv');
    expect(csv.err).toContain('unknown columns "email address"');
    expect(csv.err).toContain('use --from');
    const several = await ws.cli('subscribers', 'import', fixture('ghost.csv'), '--from', 'ghost');
    expect(several.err).toContain('--newsletter is needed');
    // Dropped among the subscriber files instead, the export is refused with the way to import it.
    writeFileSync(path.join(dir, 'subscribers', 'list.csv'), readFileSync(fixture('mailchimp-subscribed.csv')));
    const validate = await ws.cli('subscribers', 'validate');
    expect(validate.code).toBe(1);
    expect(validate.err).toContain('use: tidings subscribers import FILE --from');
    const missing = await ws.cli('subscribers', 'import', fixture('no-such-export.csv'), '--from', 'csv');
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('cannot read the file');
  });

  it('refuses a broken CSV record once, at its line, and imports the rows around it', async () => {
    const dir = tempDir();
    const ws = workspace(dir);
    const file = path.join(dir, 'broken.csv');
    writeFileSync(
      file,
      'email,name,newsletters\na@example.org,"A "x" 1",daily\nb@example.org,B,daily\nc@example.org,C,weekly\n',
    );
    const result = await ws.cli('subscribers', 'import', file, '--from', 'csv');
    expect(result.err.trim().split('\n')).toEqual([
      expect.stringMatching(/^.*broken\.csv:2: CSV: Invalid Closing Quote/),
    ]);
    expect(result.out).toContain('added 2, subscribed 0, unchanged 0, suppressed 0, already suppressed 0, refused 1');
    const s = ws.store();
    expect((await s.subscribers.list()).map((r) => r.email)).toEqual(['b@example.org', 'c@example.org']);
    s.close();
  });
});

describe('tidings subscribers export --all', () => {
  const tempDir = useTempDir('tidings-export-');

  it('round-trips through import --from csv, with formula cells neutralised', async () => {
    const dir = tempDir();
    const a = workspace(path.join(dir, 'a'));
    writeFileSync(
      path.join(dir, 'a', 'subscribers', 'list.csv'),
      [
        'email,name,firstName,newsletters,categories,locale,languages,timezone,status',
        'ann@example.org,"=SUM(A1:A2)",Ann,daily;weekly,daily:science,de,de;en,Europe/Berlin,active',
        'bob@example.org,"Bob, Jr.",,weekly,,,,,paused',
        'cy@example.org,+Cy,,daily,,,,,active',
        'dee@example.org,Dee,,daily,,,,,active',
        'eve@example.org,Eve,,daily,,,,,active',
      ].join('\n'),
    );
    const sync = await a.cli('subscribers', 'sync');
    expect(sync.err).toBe('');
    let s = a.store();
    const dee = (await s.subscribers.findByEmail('dee@example.org'))!;
    await s.subscribers.unsubscribe(dee.id, 'daily', new Date(NOW));
    const eve = (await s.subscribers.findByEmail('eve@example.org'))!;
    await s.subscribers.recordHardBounce(eve.id, new Date(NOW), 1);
    s.close();

    const csv = await a.cli('subscribers', 'export', '--all', '--format', 'csv');
    expect(csv.code).toBe(0);
    const lines = csv.out.trimEnd().split('\n');
    expect(lines[0]).toBe('email,name,firstName,newsletters,categories,locale,languages,timezone,status,cadence');
    expect(lines).toContain(
      "ann@example.org,'=SUM(A1:A2),Ann,daily;weekly,daily:science,de,de;en,Europe/Berlin,active,",
    );
    expect(lines).toContain('bob@example.org,"Bob, Jr.",,weekly,,,,,paused,');
    expect(lines).toContain("cy@example.org,'+Cy,,daily,,,,,active,");
    expect(lines).toContain('dee@example.org,Dee,,,,,,,unsubscribed,');
    expect(lines).toContain('eve@example.org,Eve,,daily,,,,,bounced,');
    const jsonl = await a.cli('subscribers', 'export', '--all', '--format', 'jsonl');
    const people = jsonl.out
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(people.map((p) => p.email)).toEqual([
      'ann@example.org',
      'bob@example.org',
      'cy@example.org',
      'dee@example.org',
      'eve@example.org',
    ]);
    expect(people[0]).toMatchObject({ name: '=SUM(A1:A2)', newsletters: ['daily', 'weekly'] });

    const exported = path.join(dir, 'export.csv');
    writeFileSync(exported, csv.out);
    const b = workspace(path.join(dir, 'b'));
    const imported = await b.cli('subscribers', 'import', exported, '--from', 'csv');
    expect(imported.err).toBe('');
    expect(imported.out).toContain('added 5, subscribed 0, unchanged 0, suppressed 0, already suppressed 0, refused 0');
    const again = await b.cli('subscribers', 'export', '--all', '--format', 'csv');
    expect(again.out).toBe(csv.out);
    s = b.store();
    expect(await s.subscribers.count('daily')).toBe(2);
    expect(readFileSync(exported, 'utf8')).toBe(csv.out);
    s.close();
  });
});
