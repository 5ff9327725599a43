import { describe, expect, it } from 'vitest';
import { baseNewsletterId, cadenceStream, offeredCadences, readerNewsletters } from '../../src/config/cadences.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { configProblems } from '../helpers/config-problems.ts';

const base = {
  categories: { science: { title: 'Science' }, world: { title: 'World' } },
};
const newsletter = (extra: Record<string, unknown>) => ({
  id: 'world',
  title: 'World',
  categories: ['science', 'world'],
  from: 'news@example.org',
  schedule: '0 7 * * *',
  timezone: 'Europe/Berlin',
  ...extra,
});

describe('cadences in the configuration (issue 26)', () => {
  it('expands the short form into one stream per cadence, the first keeping the id and the schedule', () => {
    const config = parseConfig(
      { ...base, newsletters: [newsletter({ cadences: ['daily', 'weekly', 'monthly'] })] },
      {},
    );
    expect(config.newsletters.map((n) => [n.id, n.schedule, n.window, n.cadence?.name, n.cadence?.isDefault])).toEqual([
      ['world', '0 7 * * *', '24h', 'daily', true],
      ['world.weekly', '0 7 * * 1', '7d', 'weekly', false],
      ['world.monthly', '0 7 1 * *', '31d', 'monthly', false],
    ]);
    expect(config.newsletters[1]!.cadence).toEqual({
      name: 'weekly',
      newsletterId: 'world',
      isDefault: false,
      offered: ['daily', 'weekly', 'monthly'],
      ranked: true,
    });
    expect(config.newsletters.map((n) => n.cadence?.ranked)).toEqual([false, true, true]);
    expect(baseNewsletterId(config, 'world.weekly')).toBe('world');
    expect(baseNewsletterId(config, 'world')).toBe('world');
    expect(offeredCadences(config, 'world.monthly')).toEqual(['daily', 'weekly', 'monthly']);
    expect(cadenceStream(config, 'world', 'weekly').id).toBe('world.weekly');
    expect(cadenceStream(config, 'world', null).id).toBe('world');
    expect(() => cadenceStream(config, 'world', 'hourly')).toThrow(/offers no cadence "hourly"/);
    expect(readerNewsletters(config.newsletters).map((n) => n.id)).toEqual(['world']);
  });

  it('takes the long form with its own schedule, window, caps and delivery', () => {
    const config = parseConfig(
      {
        ...base,
        newsletters: [
          newsletter({
            maxArticles: 10,
            cadences: [
              { name: 'daily', schedule: '30 6 * * *' },
              { name: 'weekly', schedule: '0 8 * * 6', window: '8d', maxArticles: 12, deliver: 'subscriber-local' },
            ],
          }),
          newsletter({ id: 'plain' }),
        ],
      },
      {},
    );
    expect(config.newsletters.map((n) => [n.id, n.schedule, n.window, n.maxArticles, n.deliver])).toEqual([
      ['world', '30 6 * * *', '24h', 10, 'at-slot'],
      ['world.weekly', '0 8 * * 6', '8d', 12, 'subscriber-local'],
      ['plain', '0 7 * * *', '24h', 15, 'at-slot'],
    ]);
    expect(config.newsletters[2]!.cadence).toBeUndefined();
    expect(offeredCadences(config, 'plain')).toBeNull();
  });

  it('names the field of each problem: no default schedule or window, a cadence twice, a bad slug', () => {
    const problems = configProblems(() =>
      parseConfig(
        {
          ...base,
          newsletters: [
            newsletter({ schedule: '0 7 * * 1-5', cadences: ['daily', 'weekly'] }),
            newsletter({ id: 'b', cadences: ['daily', 'fortnightly', 'daily'] }),
          ],
        },
        {},
        'tidings.yaml',
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^newsletters\[0\]\.cadences\[1\]\.schedule: is required \(the newsletter's schedule "0 7 \* \* 1-5"/,
        ),
        expect.stringMatching(
          /^newsletters\[1\]\.cadences\[1\]\.schedule: is required \(there is no default schedule for cadence "fortnightly"\)/,
        ),
        'newsletters[1].cadences[1].window: is required for cadence "fortnightly" (only daily, weekly and monthly have a default)',
        'newsletters[1].cadences[2]: "daily" is offered twice',
      ]),
    );
    const bad = configProblems(() =>
      parseConfig({ ...base, newsletters: [newsletter({ cadences: ['Weekly'] }), newsletter({ id: 'x.y' })] }, {}),
    );
    expect(bad).toEqual([
      'newsletters[0].cadences[0]: must be a slug: lowercase letters, digits and dashes',
      'newsletters[1].id: must be a slug: lowercase letters, digits and dashes',
    ]);
  });
});
