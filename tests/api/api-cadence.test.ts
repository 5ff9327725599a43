import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.ts';
import { startApiServer, type ApiServer } from './support/api-server.ts';

/**
 * A reader's cadence through the JSON API (issue 26): the sample `daily` at 07:00
 * London time offering daily and weekly (Mondays, derived). The clock stands on
 * Saturday 28 November 07:00, so a weekly reader's next edition is Monday's.
 */
const servers: ApiServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const withCadences = (yaml: string) =>
  yaml.replace('  - id: daily\n', '  - id: daily\n    schedule: "0 7 * * *"\n    cadences: [daily, weekly]\n');

type SubscriptionView = {
  newsletterId: string;
  categories: string[] | null;
  cadence: string | null;
  nextCadence: unknown;
};

describe('cadence through the API', () => {
  const tempDir = useTempDir('tidings-api-cadence-');

  it('lists the cadences, creates at one, changes it from the next period, and names the field of a bad one', async () => {
    const server = await startApiServer(tempDir(), { configure: withCadences });
    servers.push(server);
    const token = await server.token('crm', ['subscribers:read', 'subscribers:write', 'editions:read']);
    const daily = (body: { subscriptions: SubscriptionView[] }) =>
      body.subscriptions.find((s) => s.newsletterId === 'daily')!;

    const newsletters = (await (await server.call(token, 'GET', '/api/v1/newsletters')).json()) as {
      items: { id: string; cadences: string[] | null }[];
    };
    // The weekly stream is a cadence of daily, not a newsletter of its own.
    expect(newsletters.items.map((n) => n.id)).not.toContain('daily.weekly');
    expect(newsletters.items.find((n) => n.id === 'daily')!.cadences).toEqual(['daily', 'weekly']);

    const created = await server.call(token, 'POST', '/api/v1/subscribers', {
      email: 'wendy@example.org',
      newsletter: 'daily',
      categories: ['science'],
      cadence: 'weekly',
      confirmed: true,
    });
    expect(created.status).toBe(201);
    const { subscriber } = (await created.json()) as {
      subscriber: { id: number; subscriptions: SubscriptionView[] };
    };
    // A new subscription takes its cadence at once.
    expect(daily(subscriber)).toMatchObject({ cadence: 'weekly', nextCadence: null, categories: ['science'] });

    const changed = await server.call(token, 'PATCH', `/api/v1/subscribers/${subscriber.id}`, {
      newsletter: 'daily',
      cadence: 'daily',
    });
    expect(changed.status).toBe(200);
    // Monday's weekly still comes; the dailies start after it. Categories not sent stay.
    const pending = {
      cadence: 'weekly',
      categories: ['science'],
      nextCadence: { name: 'daily', after: '2026-11-30T07:00:00.000Z', firstEdition: 'daily/2026-12-01T07:00' },
    };
    expect(daily((await changed.json()) as { subscriptions: SubscriptionView[] })).toMatchObject(pending);
    const got = await server.call(token, 'GET', `/api/v1/subscribers/${subscriber.id}`);
    expect(daily((await got.json()) as { subscriptions: SubscriptionView[] })).toMatchObject(pending);

    for (const [method, route, body] of [
      ['PATCH', `/api/v1/subscribers/${subscriber.id}`, { newsletter: 'daily', cadence: 'hourly' }],
      ['POST', '/api/v1/subscribers', { email: 'xan@example.org', newsletter: 'daily', cadence: 'hourly' }],
    ] as const) {
      const bad = await server.call(token, method, route, body);
      expect(bad.status).toBe(422);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await bad.json()) as { field: string; detail: string };
      expect(problem.field).toBe('cadence');
      expect(problem.detail).toContain('"hourly" is not a cadence of daily (daily, weekly)');
    }
    const after = await server.call(token, 'GET', `/api/v1/subscribers/${subscriber.id}`);
    expect(daily((await after.json()) as { subscriptions: SubscriptionView[] })).toMatchObject(pending);

    // Changing only the categories keeps the change of cadence waiting.
    const recategorized = await server.call(token, 'PATCH', `/api/v1/subscribers/${subscriber.id}`, {
      newsletter: 'daily',
      categories: ['world'],
    });
    expect(daily((await recategorized.json()) as { subscriptions: SubscriptionView[] })).toMatchObject({
      ...pending,
      categories: ['world'],
    });

    const document = (await (await server.call(null, 'GET', '/api/openapi.json')).json()) as object;
    const text = JSON.stringify(document);
    expect(text).toContain('"nextCadence"');
    expect(text).toContain('"cadences"');
  }, 120_000);
});
