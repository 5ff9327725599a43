import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { editionFolderName } from '../../src/delivery/outbox-transport.ts';
import { tidingsProcessArgs } from '../helpers/cli-process.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const T1 = '2026-03-02T07:00:00Z';
const T2 = '2026-03-03T07:00:00Z';
const later = (iso: string) => new Date(new Date(iso).getTime() + 60_000).toISOString();

const READERS = `subscribers:
  - email: en@example.org
    newsletters: [daily]
  - email: ru@example.org
    locale: ru
    newsletters: [daily]
  - email: ja@example.org
    languages: [ja]
    newsletters: [daily]
  - email: science@example.org
    newsletters: [daily]
    categories: [science]
`;

/**
 * An English-only newsletter (the example's defaults: `languages` unset, minArticles 3)
 * with readers in Russian and Japanese and one who chose a single, thin topic; real
 * SQLite store, outbox transport, the CLI in-process.
 */
function workspace(dir: string, languagesLine = '') {
  mkdirSync(path.join(dir, 'articles'));
  mkdirSync(path.join(dir, 'subscribers'));
  writeFileSync(path.join(dir, 'subscribers', 'list.yaml'), READERS);
  const configFile = path.join(dir, 'tidings.config.yaml');
  const writeConfig = (line: string) =>
    writeFileSync(
      configFile,
      `store:
  path: data/tidings.db
categories:
  technology:
    title: Technology
  science:
    title: Science
sources:
  - name: desk
    type: folder
    path: articles
newsletters:
  - id: daily
    title: Test Daily
    categories: [technology, science]
    window: 24h
    from: "Test Daily <digest@news.example.org>"
    timezone: UTC
${line}subscribers:
  paths: [subscribers]
transport:
  type: outbox
web:
  baseUrl: https://news.example.org
  secret: every-reader-secret-0123456789abcdef
`,
    );
  writeConfig(languagesLine);
  let n = 0;
  return {
    writeConfig,
    /** Three technology stories and one science story in English, an hour before `slot`. */
    addArticles(slot: string) {
      const published = new Date(new Date(slot).getTime() - 3_600_000).toISOString();
      for (const category of ['Technology', 'Technology', 'Technology', 'Science']) {
        n += 1;
        writeFileSync(
          path.join(dir, 'articles', `story-${n}.md`),
          `---\ntitle: ${category} story ${n}\nurl: https://desk.example.com/${n}\ndate: ${published}\ncategories: [${category}]\nlanguage: en\n---\n\n` +
            `Researchers published result number ${n} today. The work took three years of careful measurement. ` +
            'The team said the method can be repeated by other groups. Reviewers called the findings solid.\n',
        );
      }
    },
    cli: (args: string[], now: string) => runCli(['-q', '-c', configFile, ...args], {}, now),
    /** As its own process without -q: the JSON log (info and up) on stderr, as under cron or `npm start`. */
    logged: (args: string[]) =>
      new Promise<{ out: string; err: string }>((resolve, reject) =>
        execFile(process.execPath, tidingsProcessArgs('-c', configFile, ...args), (error, stdout, stderr) =>
          error && typeof error.code !== 'number' ? reject(error) : resolve({ out: stdout, err: stderr }),
        ),
      ),
    async mails(editionId: string): Promise<Map<string, ParsedMail>> {
      const folder = path.join(dir, 'outbox', editionFolderName(editionId));
      const byReader = new Map<string, ParsedMail>();
      for (const file of readdirSync(folder)) {
        const mail = await simpleParser(readFileSync(path.join(folder, file)));
        byReader.set((mail.to as { value: { address: string }[] }).value[0]!.address, mail);
      }
      return byReader;
    },
  };
}

describe('no reader gets nothing without being told', () => {
  const tempDir = useTempDir('tidings-every-reader-');

  it('by default, Russian and Japanese readers get the English edition and a one-topic reader gets the whole edition, their topic first', async () => {
    const ws = workspace(tempDir());
    ws.addArticles(T1);
    const run = await ws.cli(['run', '--at', T1], later(T1));
    expect(run.code, run.out + run.err).toBe(0);
    expect(run.out).toMatch(/4 accepted, 0 failed, 0 skipped/);
    const mails = await ws.mails('daily/2026-03-02T07:00');
    expect([...mails.keys()].sort()).toEqual([
      'en@example.org',
      'ja@example.org',
      'ru@example.org',
      'science@example.org',
    ]);
    for (const mail of mails.values()) expect(mail.text).toContain('Technology story 1');
    // The reader who chose science (one story, minArticles 3) gets the whole edition with science first.
    const science = mails.get('science@example.org')!.text!;
    expect(science).toContain('Science story 4');
    expect(science.indexOf('Science story 4')).toBeLessThan(science.indexOf('Technology story 1'));
    expect(mails.get('en@example.org')!.text!.indexOf('Technology story 1')).toBeLessThan(
      mails.get('en@example.org')!.text!.indexOf('Science story 4'),
    );

    // Hours later, a test copy without --at is the newest edition, not an empty slot for "now".
    const test = await ws.cli(
      ['send', 'daily', '--test', 'editor@example.org', '--subscriber', 'ja@example.org'],
      '2026-03-02T15:30:00Z',
    );
    expect(test.code, test.out + test.err).toBe(0);
    expect(test.out).toContain('test copy of daily/2026-03-02T07:00 (as ja@example.org) to editor@example.org');
    const copy = (await ws.mails('daily/2026-03-02T07:00-test')).get('editor@example.org')!;
    expect(copy.subject).toMatch(/^\[TEST\] /);
    expect(copy.text).toContain('Technology story 1');
  }, 60_000);

  it('`tidings run` with a bad row in the lists sends to everyone else, names the row and exits 1 (a cron alert)', async () => {
    const dir = tempDir();
    const ws = workspace(dir);
    writeFileSync(
      path.join(dir, 'subscribers', 'list.yaml'),
      `${READERS}  - email: not an address\n    newsletters: [daily]\n`,
    );
    ws.addArticles(T1);
    const run = await ws.cli(['run', '--at', T1], later(T1));
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/skipped: subscribers\/list\.yaml:\d+: /);
    expect(run.out).toMatch(/4 accepted, 0 failed, 0 skipped/);
    // Loading the lists by hand stays all-or-nothing.
    const sync = await ws.cli(['subscribers', 'sync'], later(T1));
    expect(sync.code).toBe(1);
    expect(sync.out).toContain('sync refused');
  }, 60_000);

  it('with languages: strict, the readers left with nothing are named with the reason in run, dry run and status', async () => {
    const ws = workspace(tempDir(), '    languages: strict\n');
    ws.addArticles(T1);
    expect((await ws.cli(['ingest'], later(T1))).code).toBe(0);
    expect((await ws.cli(['subscribers', 'sync'], later(T1))).code).toBe(0);
    const dry = await ws.cli(['send', 'daily', '--at', T1, '--dry-run'], later(T1));
    expect(dry.code, dry.out + dry.err).toBe(0);
    expect(dry.out).toContain('2 would be sent, 2 skipped');
    expect(dry.out).toContain('2 readers would receive nothing from daily/2026-03-02T07:00:');
    expect(dry.out).toMatch(/ru@example\.org: no article in their languages \(ru; languages: strict\)/);
    expect(dry.out).toMatch(/ja@example\.org: no article in their languages \(ja; languages: strict\)/);
    // Progress is log, not output: JSON events on stderr, stdout only the summary and the names.
    const logged = await ws.logged(['send', 'daily', '--at', T1, '--dry-run', '--force']);
    expect(logged.out).not.toContain('"event"');
    expect(logged.err).toMatch(/"event":"send\.done".*"handled":4/);

    const run = await ws.cli(['run', '--at', T1], later(T1));
    expect(run.code, run.out + run.err).toBe(0);
    expect(run.out).toMatch(/2 accepted, 0 failed, 2 skipped/);
    expect(run.out).toMatch(
      /2 readers receive nothing from daily\/2026-03-02T07:00:\n\s+(ru|ja)@example\.org: no article/,
    );
    expect([...(await ws.mails('daily/2026-03-02T07:00')).keys()].sort()).toEqual([
      'en@example.org',
      'science@example.org',
    ]);

    const status = await ws.cli(['status'], later(T1));
    expect(status.out).toMatch(/2 readers received nothing from daily\/2026-03-02T07:00/);
    expect(status.out).toMatch(/ja@example\.org: no article in their languages/);
    const json = JSON.parse((await ws.cli(['status', '--json'], later(T1))).out) as {
      editions: { skippedReaders: { email: string; reason: string }[] }[];
    };
    expect(json.editions[0]!.skippedReaders.map((r) => r.email).sort()).toEqual(['ja@example.org', 'ru@example.org']);

    // Checking or loading the lists says it too, against the newest edition.
    for (const command of ['validate', 'sync']) {
      const result = await ws.cli(['subscribers', command], later(T1));
      expect(result.code, result.out + result.err).toBe(0);
      expect(result.out).toContain('2 readers would receive nothing from daily/2026-03-02T07:00:');
      expect(result.out).toMatch(/ru@example\.org: no article in their languages \(ru; languages: strict\)/);
    }

    // Back to the default: the next edition reaches everybody.
    ws.writeConfig('');
    ws.addArticles(T2);
    const next = await ws.cli(['run', '--at', T2], later(T2));
    expect(next.out).toMatch(/4 accepted, 0 failed, 0 skipped/);
    expect(next.out).not.toMatch(/receive nothing/);
    expect((await ws.cli(['subscribers', 'sync'], later(T2))).out).not.toMatch(/receive nothing/);
  }, 60_000);
});
