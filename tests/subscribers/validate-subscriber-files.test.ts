import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSubscriberRows } from '../../src/subscribers/read-subscriber-rows.ts';
import {
  categoriesForNewsletter,
  createSubscriberCatalog,
  parseSubscriberRow,
} from '../../src/subscribers/subscriber-row.ts';
import { validateSubscriberFiles } from '../../src/subscribers/validate-subscriber-files.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/subscribers/', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../subscribers/', import.meta.url));
const CATEGORIES = ['world', 'technology', 'science', 'business', 'security'];
const tempDir = useTempDir('tidings-subscribers-');

const short = (problems: { file: string; line: number; message: string }[]) =>
  problems.map((p) => `${path.basename(p.file)}:${p.line}: ${p.message}`);

describe('validateSubscriberFiles', () => {
  it('reports every bad YAML and CSV row with file, line and reason', async () => {
    const result = await validateSubscriberFiles([path.join(FIXTURES, 'bad')], ['daily'], CATEGORIES);
    expect(result.rows).toBe(2); // good.one (YAML) and good.two (CSV)
    expect(short(result.errors)).toEqual([
      'a-list.yaml:3: email is not a valid address: "not-an-address" has no @',
      'a-list.yaml:7: timezone "Mars/Olympus" is not an IANA time zone such as Europe/Moscow',
      'a-list.yaml:10: unknown field "favourite" (known: email, name, firstName, newsletters, categories, locale, languages, timezone, status, cadence)',
      'a-list.yaml:12: newsletters: "weekly" is not a configured newsletter (known: daily)',
      'a-list.yaml:15: categories: "sports" is not a configured category (known: world, technology, science, business, security)',
      'a-list.yaml:18: status must be active or paused',
      'a-list.yaml:19: a subscriber must be a mapping with at least email and newsletters',
      // line 3 is blank and the record on line 4 spans two lines.
      'b-list.csv:4: locale "not_a_locale!" is not a BCP 47 language tag such as en or ru-RU',
      'b-list.csv:6: newsletters must name at least one newsletter',
      'b-list.csv:7: CSV: Invalid Record Length: expect 7, got 8',
      'b-list.csv:8: email is not a valid address: "missing-at.example.org" has no @',
      'c-header.csv:1: unknown column "phone" (known: email, name, firstName, newsletters, categories, locale, languages, timezone, status, cadence); the file was not read',
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('merges an address listed twice (IDN and case differ) with a warning naming both places', async () => {
    const newsletters = new Map([
      ['daily', ['world', 'technology']],
      ['weekly', ['science', 'business']],
    ]);
    const result = await validateSubscriberFiles([path.join(FIXTURES, 'dupes')], newsletters, CATEGORIES);
    expect(result.errors).toEqual([]);
    expect(result.rows).toBe(3);
    expect(short(result.warnings)).toEqual([
      `2-second.csv:2: zoe@xn--bcher-kva.example is also listed at ${path.join(FIXTURES, 'dupes', '1-first.yaml')}:2; merged (newsletters joined, this row's other fields win)`,
    ]);
  });

  it('checks chosen categories against the row newsletters when their categories are known', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'list.yaml'),
      [
        '- email: a@example.org',
        '  newsletters: [daily]',
        '  categories: [science]',
        '- email: b@example.org',
        '  newsletters: [daily, weekly]',
        '  categories: [science]',
      ].join('\n'),
    );
    const newsletters = new Map([
      ['daily', ['world', 'technology']],
      ['weekly', ['science']],
    ]);
    const result = await validateSubscriberFiles([dir], newsletters, CATEGORIES);
    expect(short(result.errors)).toEqual(['list.yaml:3: categories: "science" is not a category of "daily"']);
  });

  it('takes categories per newsletter: a category of only one newsletter narrows that one, qualified entries name theirs', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'list.yaml'),
      [
        '- email: b@example.org',
        '  newsletters: [daily, weekly]',
        '  categories: [science]',
        '- email: c@example.org',
        '  newsletters: [daily, weekly]',
        '  categories: [daily:world, weekly:science]',
        '- email: d@example.org',
        '  newsletters: [daily]',
        '  categories: [weekly:science]',
        '- email: e@example.org',
        '  newsletters: [daily, weekly]',
        '  categories: [weekly:world]',
      ].join('\n'),
    );
    const newsletters = new Map([
      ['daily', ['world', 'technology']],
      ['weekly', ['science']],
    ]);
    const catalog = createSubscriberCatalog(newsletters, CATEGORIES);
    const result = await validateSubscriberFiles([dir], newsletters, CATEGORIES);
    expect(short(result.errors)).toEqual([
      'list.yaml:9: categories: "weekly:science" names "weekly", which is not among this row\'s newsletters',
      'list.yaml:12: categories: "world" is not a category of "weekly"',
    ]);
    const parsed = (raw: object) => {
      const outcome = parseSubscriberRow(raw, catalog);
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
      return outcome.row;
    };
    const b = parsed({ email: 'b@example.org', newsletters: ['daily', 'weekly'], categories: ['science'] });
    expect(categoriesForNewsletter(b, 'daily', catalog)).toBeNull();
    expect(categoriesForNewsletter(b, 'weekly', catalog)).toEqual(['science']);
    const c = parsed({ email: 'c@example.org', newsletters: 'daily;weekly', categories: 'daily:world;weekly:science' });
    expect(categoriesForNewsletter(c, 'daily', catalog)).toEqual(['world']);
    expect(categoriesForNewsletter(c, 'weekly', catalog)).toEqual(['science']);
  });

  it("reports a row's unknown category together with its other problems, not after they are fixed", () => {
    const catalog = createSubscriberCatalog(new Map([['daily', CATEGORIES]]), CATEGORIES);
    const messages = (raw: object) => {
      const outcome = parseSubscriberRow(raw, catalog);
      return outcome.ok ? [] : outcome.problems.map((p) => p.message);
    };
    expect(messages({ email: 'no-at-sign', newsletters: ['daily', 'monthly'], categories: ['sport'] })).toEqual([
      'email is not a valid address: "no-at-sign" has no @',
      `newsletters: "monthly" is not a configured newsletter (known: daily)`,
      `categories: "sport" is not a configured category (known: ${CATEGORIES.join(', ')})`,
    ]);
    // Newsletters that did not parse: the categories are checked only for existing at all.
    expect(messages({ email: 'a@example.org', newsletters: [], categories: ['sport', 'world'] })).toEqual([
      'newsletters must name at least one newsletter',
      `categories: "sport" is not a configured category (known: ${CATEGORIES.join(', ')})`,
    ]);
  });

  it('accepts the example lists shipped in subscribers/', async () => {
    const result = await validateSubscriberFiles([EXAMPLES], new Map([['daily', CATEGORIES]]), CATEGORIES);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.rows).toBe(7);
  });

  it('reports YAML syntax errors, wrong shapes and missing paths', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'broken.yaml'), '- email: a@example.org\n  newsletters: [daily\n');
    writeFileSync(path.join(dir, 'shape.yml'), 'people:\n  - email: a@example.org\n');
    writeFileSync(path.join(dir, 'notes.txt'), 'ignored: not a list file');
    const missing = path.join(dir, 'nowhere.csv');
    const result = await validateSubscriberFiles([dir, missing], ['daily'], CATEGORIES);
    const lines = short(result.errors);
    expect(lines[0]).toBe('nowhere.csv:0: no such file or folder');
    expect(lines[1]).toMatch(/^broken\.yaml:\d+: YAML syntax: /);
    expect(lines).toContain('shape.yml:1: unknown top-level key "people" (expected "subscribers")');
  });
});

describe('readSubscriberRows', () => {
  it('streams normalized rows with their places, CSV lists split on ; or |', async () => {
    const rows = [];
    for await (const item of readSubscriberRows([EXAMPLES])) if ('row' in item) rows.push(item);
    const kofi = rows.find((r) => r.row.email === 'kofi@example.net')!;
    expect(path.basename(kofi.file)).toBe('example.csv');
    expect(kofi.line).toBe(4);
    expect(kofi.row).toEqual({
      email: 'kofi@example.net',
      name: 'Kofi Mensah',
      newsletters: ['daily'],
      categories: ['security', 'technology'],
      locale: null,
      timezone: 'Africa/Accra',
      status: 'active',
      firstName: null,
      languages: null,
      cadences: null,
    });
    const ivan = rows.find((r) => r.row.email === 'ivan.petrov@example.net')!;
    expect(ivan.row).toMatchObject({ locale: 'ru', timezone: 'Europe/Moscow', categories: null, status: 'active' });
    expect(rows.find((r) => r.row.email === 'maria.garcia@example.org')!.row).toMatchObject({
      name: 'García, María',
      status: 'active',
    });
    expect(rows.find((r) => r.row.email === 'paused.reader@example.org')!.row.status).toBe('paused');
  });

  it('without a catalog, does not check newsletter ids', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'x.csv'), 'email,newsletters\nA@Example.org,anything\n');
    const items = [];
    for await (const item of readSubscriberRows([dir])) items.push(item);
    expect(items).toEqual([
      {
        row: expect.objectContaining({ email: 'a@example.org', newsletters: ['anything'] }),
        file: path.join(dir, 'x.csv'),
        line: 2,
      },
    ]);
  });

  it('uses the catalog helper from config shapes', () => {
    const catalog = createSubscriberCatalog(['daily'], ['world']);
    expect(catalog.categoriesOf).toBeNull();
    expect([...catalog.newsletters]).toEqual(['daily']);
  });
});
