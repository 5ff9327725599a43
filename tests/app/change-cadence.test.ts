import { describe, expect, it } from 'vitest';
import { audienceOf } from '../../src/app/audience-of.ts';
import { changeCadence } from '../../src/app/subscribers/change-cadence.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { openSqlitePorts } from '../store/contract/backends.ts';
import { collect, seedSubscribers, staged, usePorts } from '../store/contract/seed.ts';

// Europe/Berlin, daily at 07:00 local (06:00 UTC in winter), weekly on Mondays.
const config = parseConfig(
  {
    categories: { world: { title: 'World' } },
    newsletters: [
      {
        id: 'world',
        title: 'World',
        categories: ['world'],
        from: 'news@example.org',
        schedule: '0 7 * * *',
        timezone: 'Europe/Berlin',
        cadences: ['daily', 'weekly'],
      },
    ],
  },
  {},
);
const daily = config.newsletters[0]!;
const weekly = config.newsletters[1]!;
const WED = new Date('2026-12-09T10:00:00Z');

describe('changeCadence: from the next period (issue 26)', () => {
  const ports = usePorts(openSqlitePorts);

  async function readersAt(stream: typeof daily, slot: string): Promise<string[]> {
    const audience = audienceOf(stream, new Date(slot));
    const { subscribers } = ports();
    const found = await collect(subscribers.streamRecipients(audience.newsletterId, { cadence: audience.cadence }));
    return found.map((r) => r.email[0]!);
  }

  it('daily → weekly on Wednesday: Thursday’s daily still comes, the weekly from Monday; weekly → daily the other way', async () => {
    const { subscribers } = ports();
    const [ann, bob] = await seedSubscribers(subscribers, [
      staged('ann@example.org', { world: null }),
      staged('bob@example.org', { world: null }),
    ]);
    const deps = { config, subscribers };
    await changeCadence(deps, bob!, 'world', 'weekly', new Date('2026-12-01T00:00:00Z'), { immediate: true });
    const toWeekly = await changeCadence(deps, ann!, 'world', 'weekly', WED);
    expect(toWeekly).toEqual({ changed: true, cadence: 'weekly', after: '2026-12-10T06:00:00.000Z' });
    const toDaily = await changeCadence(deps, bob!, 'world', 'daily', WED);
    expect(toDaily.after).toBe('2026-12-14T06:00:00.000Z');
    expect(await readersAt(daily, '2026-12-10T06:00:00Z')).toEqual(['a']);
    expect(await readersAt(daily, '2026-12-11T06:00:00Z')).toEqual([]);
    expect(await readersAt(weekly, '2026-12-14T06:00:00Z')).toEqual(['a', 'b']);
    expect(await readersAt(daily, '2026-12-15T06:00:00Z')).toEqual(['b']);
  });

  it('a change back before the switch only drops the pending change; asking twice changes nothing', async () => {
    const { subscribers } = ports();
    const [ann] = await seedSubscribers(subscribers, [staged('ann@example.org', { world: null })]);
    const deps = { config, subscribers };
    await changeCadence(deps, ann!, 'world', 'weekly', WED);
    expect((await changeCadence(deps, ann!, 'world', 'weekly', WED)).changed).toBe(false);
    expect(await changeCadence(deps, ann!, 'world', 'daily', WED)).toEqual({
      changed: true,
      cadence: 'daily',
      after: null,
    });
    const subscription = (await subscribers.getById(ann!))!.subscriptions[0]!;
    expect(subscription).toMatchObject({ cadence: null, nextCadence: null });
    expect(await readersAt(weekly, '2026-12-14T06:00:00Z')).toEqual([]);
  });

  it('refuses a cadence the newsletter does not offer and a reader who is not subscribed, naming the field', async () => {
    const { subscribers } = ports();
    const [ann] = await seedSubscribers(subscribers, [staged('ann@example.org', { other: null })]);
    const deps = { config, subscribers };
    await expect(changeCadence(deps, ann!, 'world', 'hourly', WED)).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      where: 'cadence',
    });
    await expect(changeCadence(deps, ann!, 'world', 'weekly', WED)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
