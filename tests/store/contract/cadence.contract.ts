import { describe, expect, it } from 'vitest';
import type { CadenceFilter } from '../../../src/subscribers/subscriber-store.ts';
import type { OpenPorts } from './backends.ts';
import { collect, seedSubscribers, staged, usePorts } from './seed.ts';

const MON = new Date('2026-12-07T07:00:00Z');
const WED = new Date('2026-12-09T10:00:00Z');
const THU = new Date('2026-12-10T07:00:00Z');
const FRI = new Date('2026-12-11T07:00:00Z');
const NEXT_MON = new Date('2026-12-14T07:00:00Z');
const OFFERED = ['daily', 'weekly', 'monthly'];

const stream = (name: string, at: Date): CadenceFilter => ({ name, isDefault: name === 'daily', at, offered: OFFERED });

/** Readers' cadences in the SubscriberStore port (issue 26): setCadence and the streams' audience filter. */
export function cadenceContract(name: string, open: OpenPorts): void {
  describe(`${name}: SubscriberStore cadence contract`, () => {
    const ports = usePorts(open);

    async function seed() {
      const { subscribers } = ports();
      const ids = await seedSubscribers(subscribers, [
        staged('ann@example.org', { world: null }),
        staged('bob@example.org', { world: ['science'] }),
        staged('cy@example.org', { world: null }),
        staged('dee@example.org', { world: null, other: null }),
      ]);
      return { subscribers, ids };
    }

    const emails = async (stream: AsyncIterable<{ email: string }>) => (await collect(stream)).map((r) => r.email[0]);

    it('a new subscription has no cadence (the default); setCadence at once sets it and shows on the subscription', async () => {
      const { subscribers, ids } = await seed();
      const before = (await subscribers.getById(ids[0]!))!.subscriptions[0]!;
      expect(before).toMatchObject({ newsletterId: 'world', cadence: null, nextCadence: null });
      expect(await subscribers.setCadence(ids[0]!, 'world', 'weekly', MON, null)).toBe(true);
      expect((await subscribers.getById(ids[0]!))!.subscriptions[0]).toMatchObject({
        cadence: 'weekly',
        nextCadence: null,
      });
      expect(await subscribers.setCadence(ids[0]!, 'nowhere', 'weekly', MON, null)).toBe(false);
    });

    it('keeps each stream to the readers whose cadence is in effect at its slot; null and unoffered cadences go to the default', async () => {
      const { subscribers, ids } = await seed();
      await subscribers.setCadence(ids[1]!, 'world', 'weekly', MON, null);
      await subscribers.setCadence(ids[2]!, 'world', 'monthly', MON, null);
      await subscribers.setCadence(ids[3]!, 'world', 'fortnightly', MON, null);
      expect(await emails(subscribers.streamRecipients('world', { cadence: stream('daily', MON) }))).toEqual([
        'a',
        'd',
      ]);
      expect(await emails(subscribers.streamRecipients('world', { cadence: stream('weekly', MON) }))).toEqual(['b']);
      expect(await emails(subscribers.streamRecipients('world', { cadence: stream('monthly', MON) }))).toEqual(['c']);
      expect(await emails(subscribers.streamRecipients('world'))).toEqual(['a', 'b', 'c', 'd']);
      const weekly = await collect(subscribers.streamRecipients('world', { cadence: stream('weekly', MON) }));
      expect(weekly[0]).toMatchObject({ email: 'bob@example.org', cadence: 'weekly', categories: ['science'] });
      expect(await subscribers.count('world', MON, stream('daily', MON))).toBe(2);
      expect(await subscribers.count('world', MON, stream('weekly', MON))).toBe(1);
      expect(await subscribers.count('world', MON)).toBe(4);
      // The bound is the newsletter's, whatever the stream: a send resumes in the same id range.
      expect(await subscribers.measureAudience('world', { at: MON, cadence: stream('monthly', MON) })).toEqual({
        maxSubscriberId: ids[3],
        count: 1,
      });
      expect(
        await subscribers.measureAudience('world', { afterId: ids[0], at: MON, cadence: stream('daily', MON) }),
      ).toEqual({ maxSubscriberId: ids[3], count: 1 });
    });

    it('a pending change applies to slots strictly after switchAfter, in both directions', async () => {
      const { subscribers, ids } = await seed();
      await subscribers.setCadence(ids[1]!, 'world', 'weekly', MON, null);
      // Ann daily → weekly on Wednesday: Thursday's daily still comes, then the weekly.
      expect(await subscribers.setCadence(ids[0]!, 'world', 'weekly', WED, THU)).toBe(true);
      // Bob weekly → daily on Wednesday: next Monday's weekly still comes, dailies after it.
      await subscribers.setCadence(ids[1]!, 'world', 'daily', WED, NEXT_MON);
      expect((await subscribers.getById(ids[0]!))!.subscriptions[0]).toMatchObject({
        cadence: null,
        nextCadence: { name: 'weekly', after: THU.toISOString() },
      });
      const at = (name: string, slot: Date) =>
        emails(subscribers.streamRecipients('world', { at: slot, cadence: stream(name, slot) }));
      expect(await at('daily', THU)).toEqual(['a', 'c', 'd']);
      expect(await at('daily', FRI)).toEqual(['c', 'd']);
      expect(await at('weekly', NEXT_MON)).toEqual(['a', 'b']);
      expect(await at('daily', new Date(NEXT_MON.getTime() + 86_400_000))).toEqual(['b', 'c', 'd']);
      const seen = await collect(subscribers.streamRecipients('world', { at: FRI }));
      expect(seen.map((r) => r.cadence)).toEqual(['weekly', 'weekly', null, null]);
    });

    it('folds a change that is due before the next one, and a change at once clears a pending one', async () => {
      const { subscribers, ids } = await seed();
      await subscribers.setCadence(ids[0]!, 'world', 'weekly', WED, THU);
      // Past Thursday the weekly is the chosen cadence; moving on to monthly waits for the next weekly slot.
      await subscribers.setCadence(ids[0]!, 'world', 'monthly', FRI, NEXT_MON);
      expect((await subscribers.getById(ids[0]!))!.subscriptions[0]).toMatchObject({
        cadence: 'weekly',
        nextCadence: { name: 'monthly', after: NEXT_MON.toISOString() },
      });
      await subscribers.setCadence(ids[0]!, 'world', 'weekly', FRI, null);
      expect((await subscribers.getById(ids[0]!))!.subscriptions[0]).toMatchObject({
        cadence: 'weekly',
        nextCadence: null,
      });
    });

    it('applies the files’ cadence at once on sync, keeps a reader’s own choice over later syncs', async () => {
      const { subscribers } = ports();
      const sync = async (rows: ReturnType<typeof staged>[], at: Date) => {
        const session = await subscribers.beginSync();
        await session.stage(rows);
        return session.apply(at, { removeMissing: false });
      };
      const withCadence = (email: string, cadence: string | null) => {
        const row = staged(email, { world: null, other: null });
        row.subscriptions[0]!.cadence = cadence;
        return row;
      };
      await sync([withCadence('ann@example.org', 'weekly'), withCadence('bob@example.org', null)], MON);
      const cadenceOf = async (email: string) =>
        (await subscribers.findByEmail(email))!.subscriptions.map((s) => [s.newsletterId, s.cadence]);
      expect(await cadenceOf('ann@example.org')).toEqual([
        ['other', null],
        ['world', 'weekly'],
      ]);
      expect(await cadenceOf('bob@example.org')).toEqual([
        ['other', null],
        ['world', null],
      ]);
      // The same files again change nothing; a new cadence for Bob (repeated: the later row wins) counts as an update.
      expect(
        await sync([withCadence('ann@example.org', 'weekly'), withCadence('bob@example.org', null)], WED),
      ).toMatchObject({
        updated: 0,
        unchanged: 2,
      });
      expect(
        await sync(
          [
            withCadence('ann@example.org', 'weekly'),
            withCadence('bob@example.org', 'weekly'),
            withCadence('bob@example.org', 'monthly'),
          ],
          WED,
        ),
      ).toMatchObject({ updated: 1 });
      expect((await cadenceOf('bob@example.org'))[1]).toEqual(['world', 'monthly']);
      // Ann chose daily herself: the files no longer move her.
      const ann = (await subscribers.findByEmail('ann@example.org'))!.id;
      await subscribers.setCadence(ann, 'world', 'daily', THU, null);
      expect(await sync([withCadence('ann@example.org', 'monthly')], FRI)).toMatchObject({ updated: 0 });
      expect((await cadenceOf('ann@example.org'))[1]).toEqual(['world', 'daily']);
    });
  });
}
