import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteSubscriberStore } from '../../src/store/sqlite/sqlite-subscriber-store.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

/** A Monday, 08:00 UTC: the daily of 07:00 is sent; the next is Tuesday's, the next weekly the Monday after. */
const NOW = '2026-12-07T08:00:00Z';

/** `world` offers daily (default) and weekly (Mondays 07:00, derived); `notes` offers no choice. */
function workspace(dir: string) {
  mkdirSync(path.join(dir, 'subscribers'), { recursive: true });
  mkdirSync(path.join(dir, 'articles'));
  writeFileSync(
    path.join(dir, 'subscribers', 'list.csv'),
    'email,newsletters\nann@example.org,world;notes\nbob@example.org,world\n',
  );
  const configFile = path.join(dir, 'tidings.config.yaml');
  writeFileSync(
    configFile,
    `store:
  path: data/tidings.db
categories:
  world: { title: World }
sources:
  - { name: desk, type: folder, path: articles }
newsletters:
  - id: world
    title: World
    categories: [world]
    from: "World <w@news.example.org>"
    timezone: UTC
    schedule: "0 7 * * *"
    cadences: [daily, weekly]
  - { id: notes, title: Notes, categories: [world], from: "Notes <n@news.example.org>", timezone: UTC }
subscribers:
  paths: [subscribers]
transport: { type: outbox, dir: outbox }
web: { baseUrl: "http://127.0.0.1:8080", secret: "cadence-test-secret-0123456789abcdef" }
`,
  );
  const cli = (...args: string[]) => runCli(['-q', '-c', configFile, ...args], {}, NOW);
  const subscription = async (email: string, newsletterId: string) => {
    const db = openDatabase(path.join(dir, 'data', 'tidings.db'));
    try {
      const found = await new SqliteSubscriberStore(db).findByEmail(email);
      return found?.subscriptions.find((s) => s.newsletterId === newsletterId) ?? null;
    } finally {
      db.close();
    }
  };
  return { cli, subscription };
}

describe('cadence in the subscriber commands, exports and imports', () => {
  const tempDir = useTempDir('tidings-cadence-transfer-');

  it('set-cadence says when the change takes effect; export writes the cadence; import --from csv reads it back', async () => {
    const dir = tempDir();
    const a = workspace(path.join(dir, 'a'));
    expect((await a.cli('subscribers', 'sync')).code).toBe(0);

    const changed = await a.cli('subscribers', 'set-cadence', 'ann@example.org', 'world', 'weekly');
    expect(changed.err).toBe('');
    expect(changed.code).toBe(0);
    // Tuesday's daily is Ann's last; the weekly of Monday 14 December her first.
    expect(changed.out).toContain(
      'ann@example.org: world moves from daily to weekly from the weekly of 2026-12-14T07:00:00+00:00 (world.weekly/2026-12-14T07:00)',
    );
    expect(changed.out).toContain('2026-12-08T07:00:00.000Z');
    expect(await a.subscription('ann@example.org', 'world')).toMatchObject({
      cadence: null,
      nextCadence: { name: 'weekly', after: '2026-12-08T07:00:00.000Z' },
    });
    const list = await a.cli('subscribers', 'list');
    expect(list.out).toContain('world:active>weekly@2026-12-08T07:00:00.000Z');

    // A cadence the newsletter does not offer, and a newsletter without a choice, name the argument.
    const bad = await a.cli('subscribers', 'set-cadence', 'bob@example.org', 'world', 'hourly');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('CADENCE');
    expect(bad.err).toContain('"hourly" is not a cadence of world (daily, weekly)');
    const none = await a.cli('subscribers', 'set-cadence', 'ann@example.org', 'notes', 'weekly');
    expect(none.code).not.toBe(0);
    expect(none.err).toContain('notes offers no choice of cadence');

    const csv = await a.cli('subscribers', 'export', '--all', '--format', 'csv');
    expect(csv.code).toBe(0);
    const lines = csv.out.trimEnd().split('\n');
    expect(lines[0]).toBe('email,name,firstName,newsletters,categories,locale,languages,timezone,status,cadence');
    // The change still waiting is Ann's choice; Bob is at the default, written out.
    expect(lines).toContain('ann@example.org,,,notes;world,,,,,active,world:weekly');
    expect(lines).toContain('bob@example.org,,,world,,,,,active,world:daily');

    const exported = path.join(dir, 'export.csv');
    writeFileSync(exported, `${csv.out.trimEnd()}\ncy@example.org,,,world,,,,,active,world:fortnightly\n`);
    const b = workspace(path.join(dir, 'b'));
    const imported = await b.cli('subscribers', 'import', exported, '--from', 'csv');
    expect(imported.out).toContain('added 2, subscribed 0, unchanged 0, suppressed 0, already suppressed 0, refused 1');
    expect(imported.err).toContain('cadence: "fortnightly" is not a cadence of "world" (offered: daily, weekly)');
    // A new subscription takes its cadence at once: nothing waits in the new store.
    expect(await b.subscription('ann@example.org', 'world')).toMatchObject({ cadence: 'weekly', nextCadence: null });
    expect(await b.subscription('bob@example.org', 'world')).toMatchObject({ nextCadence: null });
    const again = await b.cli('subscribers', 'export', '--all', '--format', 'csv');
    expect(again.out).toBe(csv.out);
  });
});
