import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { catalogFromConfig } from '../../src/subscribers/subscriber-row.ts';
import { validateSubscriberFiles } from '../../src/subscribers/validate-subscriber-files.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const config = parseConfig(
  {
    categories: { world: { title: 'World' } },
    newsletters: [
      {
        id: 'world',
        title: 'W',
        categories: ['world'],
        from: 'w@example.org',
        schedule: '0 7 * * *',
        cadences: ['daily', 'weekly'],
      },
      {
        id: 'tech',
        title: 'T',
        categories: ['world'],
        from: 't@example.org',
        schedule: '0 7 * * *',
        cadences: ['daily', 'monthly'],
      },
      { id: 'plain', title: 'P', categories: ['world'], from: 'p@example.org' },
    ],
  },
  {},
);
const tempDir = useTempDir('tidings-cadence-files-');

describe('cadences in subscriber files (issue 26)', () => {
  it('reads a cadence per subscription from YAML and CSV, bare or per newsletter', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'a.yaml'),
      ['- email: ann@example.org', '  newsletters: [world, tech]', '  cadence: [weekly, tech:monthly]', ''].join('\n'),
    );
    writeFileSync(path.join(dir, 'b.csv'), 'email,newsletters,cadence\nbob@example.org,world;plain,weekly\n');
    const staged: { email: string; subscriptions: unknown[] }[] = [];
    const result = await validateSubscriberFiles([dir], catalogFromConfig(config), [], (row) => staged.push(row));
    expect(result.errors).toEqual([]);
    expect(staged.map((row) => [row.email, row.subscriptions])).toEqual([
      [
        'ann@example.org',
        [
          { newsletterId: 'world', categories: null, cadence: 'weekly' },
          { newsletterId: 'tech', categories: null, cadence: 'monthly' },
        ],
      ],
      [
        'bob@example.org',
        [
          { newsletterId: 'world', categories: null, cadence: 'weekly' },
          { newsletterId: 'plain', categories: null, cadence: null },
        ],
      ],
    ]);
  });

  it('names file, line and value of a cadence the newsletter does not offer; a stream is no newsletter to subscribe to', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'list.csv'),
      [
        'email,newsletters,cadence',
        'ann@example.org,world,hourly',
        'bob@example.org,plain,weekly',
        'cy@example.org,world,tech:monthly',
        'dee@example.org,world.weekly,',
      ].join('\n'),
    );
    const result = await validateSubscriberFiles([dir], catalogFromConfig(config), []);
    expect(result.errors.map((e) => `${path.basename(e.file)}:${e.line}: ${e.message}`)).toEqual([
      'list.csv:2: cadence: "hourly" is not a cadence of "world" (offered: daily, weekly)',
      'list.csv:3: cadence: "weekly" is not a cadence of "plain" (it offers no cadences)',
      'list.csv:4: cadence: "tech:monthly" names "tech", which is not among this row\'s newsletters',
      'list.csv:5: newsletters: "world.weekly" is not a configured newsletter (known: world, tech, plain)',
    ]);
  });
});
