import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { signSubscriberToken } from '../../src/delivery/subscriber-token.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createSubscriberWorkspace, SECRET, type SubscriberWorkspace } from './support/subscriber-workspace.ts';

/** A Wednesday: the daily of Thursday 07:00 UTC is the next; the weekly of Monday 14 December after it. */
const NOW = '2026-12-09T10:00:00Z';

let ws: SubscriberWorkspace | null = null;
afterEach(() => {
  ws?.close();
  ws = null;
});

describe('cadence in the preferences service', () => {
  const tempDir = useTempDir('tidings-subscriber-cadence-');

  async function open() {
    ws = createSubscriberWorkspace(tempDir(), [
      { email: 'ann@example.org', newsletters: ['daily'] },
      { email: 'bo@example.org', newsletters: ['weekly'] },
    ]);
    const config = readFileSync(ws.configFile, 'utf8').replace(
      '  - id: daily\n',
      '  - id: daily\n    schedule: "0 7 * * *"\n    cadences: [daily, weekly]\n',
    );
    writeFileSync(ws.configFile, config);
    expect((await ws.cli(['subscribers', 'sync'], 'smtp://127.0.0.1:2525', NOW)).code).toBe(0);
    const { service, ctx } = ws.service('smtp://127.0.0.1:2525', NOW);
    const tokenOf = async (email: string, newsletterId: string) => {
      const person = (await ctx.store.subscribers.findByEmail(email))!;
      return {
        token: signSubscriberToken({ subscriberId: person.id, newsletterId, purpose: 'preferences' }, SECRET),
        subscription: async () =>
          (await ctx.store.subscribers.getById(person.id))!.subscriptions.find((s) => s.newsletterId === 'daily'),
      };
    };
    return { service, tokenOf };
  }

  it('shows the choice, changes an active subscription from the next period, starts a new one at once', async () => {
    const { service, tokenOf } = await open();
    const ann = await tokenOf('ann@example.org', 'daily');
    const view = await service.getPreferences(ann.token);
    expect(view.newsletters.map((n) => n.id)).toEqual(['daily']);
    expect(view.newsletters[0]!.cadence).toEqual({
      offered: ['daily', 'weekly'],
      current: 'daily',
      chosen: 'daily',
      pending: null,
    });

    const saved = await service.savePreferences(ann.token, {
      newsletters: [{ id: 'daily', subscribed: true, categories: null, cadence: 'weekly' }],
    });
    expect(saved.newsletters[0]!.cadence).toEqual({
      offered: ['daily', 'weekly'],
      current: 'daily',
      chosen: 'weekly',
      pending: {
        name: 'weekly',
        after: '2026-12-10T07:00:00.000Z',
        firstEdition: { id: 'daily.weekly/2026-12-14T07:00', slot: '2026-12-14T07:00:00+00:00', timezone: 'UTC' },
      },
    });

    // Bo joins daily on his page at weekly: a new subscription has no period to finish.
    const bo = await tokenOf('bo@example.org', 'weekly');
    await service.savePreferences(bo.token, {
      newsletters: [{ id: 'daily', subscribed: true, categories: null, cadence: 'weekly' }],
    });
    expect(await bo.subscription()).toMatchObject({ status: 'active', cadence: 'weekly', nextCadence: null });

    // A newsletter without a choice, and a cadence not offered, name the field.
    for (const [entry, field] of [
      [{ id: 'weekly', subscribed: true, categories: null, cadence: 'daily' }, 'newsletters.0.cadence'],
      [{ id: 'daily', subscribed: true, categories: null, cadence: 'hourly' }, 'newsletters.0.cadence'],
    ] as const) {
      const error = await service.savePreferences(bo.token, { newsletters: [entry] }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'INPUT_INVALID', where: field });
    }
    expect(await bo.subscription()).toMatchObject({ cadence: 'weekly', nextCadence: null });
  });
});
