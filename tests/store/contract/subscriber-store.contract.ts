import { describe, expect, it } from 'vitest';
import { addressHash } from '../../../src/subscribers/address-hash.ts';
import type { ImportedPerson } from '../../../src/subscribers/subscriber-import-store.ts';
import type { OpenPorts } from './backends.ts';
import { collect, seedSubscribers, staged, usePorts } from './seed.ts';

const T1 = new Date('2025-03-01T08:00:00Z');
const T2 = new Date('2025-03-02T08:00:00Z');
const T3 = new Date('2025-03-03T08:00:00Z');

/** The SubscriberStore port with its sync session and lifecycle (src/subscribers/subscriber-store.ts). */
export function subscriberStoreContract(name: string, open: OpenPorts): void {
  describe(`${name}: SubscriberStore contract`, () => {
    const ports = usePorts(open);

    it('syncs in batches: adds, merges a repeated address, then finds nothing to change, then updates and removes', async () => {
      const { subscribers } = ports();
      const session = await subscribers.beginSync();
      expect(
        await session.stage([
          staged('ann@example.org', { daily: null }, { name: 'Ann', line: 2 }),
          staged('bob@example.com', { daily: ['science'] }, { line: 3 }),
        ]),
      ).toEqual([null, null]);
      // Ann again in a later batch and twice in one batch: joined newsletters, the later row's fields win, the earlier place returned.
      expect(
        await session.stage([
          staged('ann@example.org', { weekly: ['business'] }, { name: 'Ann B', line: 4, locale: 'en' }),
          staged('cy@example.net', { weekly: null }, { line: 5, status: 'paused' }),
          staged('ann@example.org', { weekly: null }, { name: 'Ann C', line: 6 }),
        ]),
      ).toEqual([{ file: 'list.csv', line: 2 }, null, { file: 'list.csv', line: 4 }]);
      expect(await session.apply(T1, { removeMissing: true })).toEqual({
        added: 3,
        updated: 0,
        unchanged: 0,
        removed: 0,
        suppressed: 0,
      });
      const ann = (await subscribers.findByEmail('ANN@Example.org'))!;
      expect(ann).toMatchObject({
        email: 'ann@example.org',
        name: 'Ann C',
        status: 'active',
        createdAt: T1.toISOString(),
        profileOrigin: 'file',
        hardBounces: 0,
      });
      expect(ann.subscriptions.map((s) => [s.newsletterId, s.status, s.categories, s.origin])).toEqual([
        ['daily', 'active', null, 'file'],
        ['weekly', 'active', null, 'file'],
      ]);
      expect((await subscribers.getById(ann.id))!.email).toBe('ann@example.org');
      expect(await subscribers.getById(9999)).toBeNull();

      const same = await subscribers.beginSync();
      await same.stage([
        staged('ann@example.org', { daily: null, weekly: null }, { name: 'Ann C' }),
        staged('bob@example.com', { daily: ['science'] }),
        staged('cy@example.net', { weekly: null }, { status: 'paused' }),
      ]);
      expect(await same.apply(T2, { removeMissing: true })).toEqual({
        added: 0,
        updated: 0,
        unchanged: 3,
        removed: 0,
        suppressed: 0,
      });

      const next = await subscribers.beginSync();
      await next.stage([
        staged('ann@example.org', { daily: null }, { name: 'Ann C' }),
        staged('bob@example.com', { daily: ['science', 'world'] }),
      ]);
      await next.keep(['cy@example.net']);
      expect(await next.apply(T3, { removeMissing: true })).toEqual({
        added: 0,
        updated: 2,
        unchanged: 0,
        removed: 0,
        suppressed: 0,
      });
      const after = (await subscribers.findByEmail('ann@example.org'))!;
      expect(after.subscriptions.map((s) => [s.newsletterId, s.status])).toEqual([
        ['daily', 'active'],
        ['weekly', 'removed'],
      ]);
      expect((await subscribers.findByEmail('bob@example.com'))!.subscriptions[0]!.categories).toEqual([
        'science',
        'world',
      ]);
      expect((await subscribers.findByEmail('cy@example.net'))!.subscriptions[0]!.status).toBe('active'); // kept: not removed

      const gone = await subscribers.beginSync();
      await gone.stage([staged('ann@example.org', { daily: null }, { name: 'Ann C' })]);
      expect(await gone.apply(T3, { removeMissing: true })).toMatchObject({ unchanged: 1, removed: 2 });
    });

    it('shows nothing of a sync before apply, and nothing at all after discard', async () => {
      const { subscribers, other } = ports();
      const session = await subscribers.beginSync();
      await session.stage([staged('ann@example.org', { daily: null })]);
      expect(await other.subscribers.findByEmail('ann@example.org')).toBeNull();
      await session.discard();
      expect(await subscribers.findByEmail('ann@example.org')).toBeNull();
      await expect(session.apply(T1, { removeMissing: false })).rejects.toMatchObject({ code: 'STORE_FAILED' });
    });

    it('keeps what the subscriber decided over what the files say', async () => {
      const { subscribers } = ports();
      const [ann, bob] = await seedSubscribers(
        subscribers,
        [staged('ann@example.org', { daily: null, weekly: null }), staged('bob@example.com', { daily: null })],
        T1,
      );
      expect(
        await subscribers.unsubscribe(ann!, 'weekly', T2, { channel: 'one-click', editionId: 'weekly/2025-03-02' }),
      ).toBe(true);
      expect(
        await subscribers.unsubscribe(ann!, 'weekly', T2, { channel: 'one-click', editionId: 'weekly/2025-03-02' }),
      ).toBe(false);
      expect(await subscribers.setPreferences(ann!, 'daily', ['science', 'science'], T2)).toBe(true);
      expect(await subscribers.setPreferences(ann!, 'monthly', ['science'], T2)).toBe(false);
      await subscribers.setProfile(bob!, { locale: 'de', timezone: 'Europe/Berlin', pausedUntil: '2025-03-10' }, T2);
      await seedSubscribers(
        subscribers,
        [
          staged('ann@example.org', { daily: ['world'], weekly: null }),
          staged('bob@example.com', { daily: null }, { locale: 'fr' }),
        ],
        T3,
      );
      const annAfter = (await subscribers.getById(ann!))!;
      expect(
        annAfter.subscriptions.map((s) => [s.newsletterId, s.status, s.categories, s.origin, s.categoriesOrigin]),
      ).toEqual([
        ['daily', 'active', ['science'], 'file', 'subscriber'],
        ['weekly', 'unsubscribed', null, 'subscriber', 'file'],
      ]);
      expect(await subscribers.getById(bob!)).toMatchObject({
        locale: 'de',
        timezone: 'Europe/Berlin',
        pausedUntil: '2025-03-10',
        profileOrigin: 'subscriber',
      });
      expect(await subscribers.unsubscribesByEdition('weekly')).toEqual(new Map([['weekly/2025-03-02', 1]]));
      expect(await subscribers.unsubscribesByEdition('daily')).toEqual(new Map());
      // Subscribing again is the subscriber's own yes; with nothing to change it reports false.
      expect(await subscribers.subscribe(ann!, 'weekly', T3)).toBe(true);
      expect(await subscribers.subscribe(ann!, 'weekly', T3)).toBe(false);
      expect(await subscribers.subscribe(ann!, 'weekly', T3, ['business'])).toBe(true);
      expect((await subscribers.getById(ann!))!.subscriptions[1]).toMatchObject({
        status: 'active',
        origin: 'subscriber',
        categories: ['business'],
        categoriesOrigin: 'subscriber',
      });
    });

    it('streams active, unpaused, unsuppressed recipients by id in pages, bounded by the largest id at the start', async () => {
      const { subscribers } = ports();
      const ids = await seedSubscribers(subscribers, [
        staged('a@example.org', { daily: ['world'] }, { firstName: 'Al', languages: ['en', 'de'] }),
        staged('b@example.org', { daily: null }),
        staged('c@example.org', { daily: null }, { status: 'paused' }),
        staged('d@example.org', { daily: null }),
        staged('e@example.org', { daily: null }),
        staged('f@example.org', { weekly: null }),
      ]);
      await subscribers.setProfile(ids[3]!, { locale: null, timezone: null, pausedUntil: '2025-03-05' }, T1);
      await subscribers.addSuppression(addressHash('E@example.org'), 'operator', T1);
      const all = await collect(subscribers.streamRecipients('daily', { batchSize: 2 }));
      expect(all.map((r) => r.email)).toEqual(['a@example.org', 'b@example.org', 'd@example.org']);
      expect(all[0]).toEqual({
        id: ids[0],
        email: 'a@example.org',
        name: null,
        firstName: 'Al',
        languages: ['en', 'de'],
        locale: null,
        timezone: null,
        categories: ['world'],
        hardBounces: 0,
        cadence: null,
      });
      expect((await collect(subscribers.streamRecipients('daily', { at: T2 }))).map((r) => r.email)).toEqual([
        'a@example.org',
        'b@example.org',
      ]);
      expect(
        (await collect(subscribers.streamRecipients('daily', { at: new Date('2025-03-05T00:00:00Z') }))).map(
          (r) => r.email,
        ),
      ).toHaveLength(3);
      expect(
        (await collect(subscribers.streamRecipients('daily', { afterId: ids[0], untilId: ids[1] }))).map((r) => r.id),
      ).toEqual([ids[1]]);
      expect(await subscribers.count('daily')).toBe(3);
      expect(await subscribers.count('daily', T2)).toBe(2);
      // The audience of an edition: the bound streamRecipients uses (the largest id of the newsletter, any status) and the count under it.
      expect(await subscribers.measureAudience('daily')).toEqual({ maxSubscriberId: ids[4], count: 3 });
      expect(await subscribers.measureAudience('daily', { at: T2 })).toEqual({ maxSubscriberId: ids[4], count: 2 });
      expect(await subscribers.measureAudience('daily', { afterId: ids[0] })).toEqual({
        maxSubscriberId: ids[4],
        count: 2,
      });
      expect(await subscribers.measureAudience('nobody')).toEqual({ maxSubscriberId: 0, count: 0 });
      expect((await subscribers.list({ newsletterId: 'daily', limit: 2 })).map((s) => s.email)).toEqual([
        'a@example.org',
        'b@example.org',
      ]);
      expect((await subscribers.list({ afterId: ids[4] })).map((s) => s.email)).toEqual(['f@example.org']);
      expect(await subscribers.isSuppressed(addressHash('e@example.org'))).toBe(true);
      // A suppressed address is neither added nor changed by a sync.
      const session = await subscribers.beginSync();
      await session.stage([staged('e@example.org', { daily: null }, { name: 'Changed' })]);
      expect(await session.apply(T2, { removeMissing: false })).toMatchObject({ suppressed: 1, updated: 0 });
    });

    it('counts hard bounces until the threshold, and an acceptance ends a streak', async () => {
      const { subscribers } = ports();
      const [ann] = await seedSubscribers(subscribers, [staged('ann@example.org', { daily: null })]);
      expect(await subscribers.recordHardBounce(ann!, T1, 3)).toEqual({ bounced: false, hardBounces: 1 });
      // A send reads the streak with the recipient, so readers without one cost no reset write.
      expect((await collect(subscribers.streamRecipients('daily')))[0]).toMatchObject({ id: ann, hardBounces: 1 });
      await subscribers.resetBounces(ann!);
      expect((await collect(subscribers.streamRecipients('daily')))[0]).toMatchObject({ id: ann, hardBounces: 0 });
      expect(await subscribers.recordHardBounce(ann!, T1, 2)).toEqual({ bounced: false, hardBounces: 1 });
      expect(await subscribers.recordHardBounce(ann!, T2, 2)).toEqual({ bounced: true, hardBounces: 2 });
      await expect(subscribers.recordHardBounce(99_999, T2, 2)).rejects.toMatchObject({ code: 'STORE_FAILED' });
      // A sync does not lift a bounce.
      await seedSubscribers(subscribers, [staged('ann@example.org', { daily: null })], T3);
      expect((await subscribers.getById(ann!))!.status).toBe('bounced');
    });

    it('erases a subscriber in one go: a tombstone, re-keyed ledger rows, a suppression that keeps syncs out', async () => {
      const { subscribers, ledger } = ports();
      const [ann] = await seedSubscribers(subscribers, [staged('ann@example.org', { daily: null })]);
      const E = 'daily/2025-03-01';
      await ledger.ensurePending(E, [ann!]);
      await ledger.claim(E, ann!, T1);
      await ledger.recordAccepted(E, ann!, T1, {
        messageId: '<m@x>',
        response: '250',
        segment: 's',
        articleIds: ['a1'],
      });
      await subscribers.unsubscribe(ann!, 'daily', T2, { channel: 'web', editionId: E });
      await subscribers.createSignupRequest({
        newsletterId: 'daily',
        email: 'ann@example.org',
        name: null,
        categories: null,
        locale: null,
        cadence: null,
        ipHash: null,
        kind: 'already',
        createdAt: T2,
        expiresAt: T3,
      });
      const history = await subscribers.history(ann!);
      expect(history).toEqual({
        deliveries: [{ editionId: E, status: 'accepted', finishedAt: T1.toISOString(), segment: 's' }],
        receivedArticles: [{ articleId: 'a1', editionId: E }],
        unsubscribeEvents: [
          { subscriberId: ann, newsletterId: 'daily', editionId: E, channel: 'web', at: T2.toISOString() },
        ],
      });
      const hashedId = -281_474_976_710_000;
      const plan = { hashedId, addressHash: addressHash('ann@example.org'), reason: 'erased', at: T3 };
      expect(await subscribers.erase(ann!, plan)).toBe(true);
      expect(await subscribers.erase(ann!, plan)).toBe(false);
      expect(await subscribers.getById(ann!)).toMatchObject({
        status: 'erased',
        name: null,
        erasedAt: T3.toISOString(),
        subscriptions: [],
      });
      expect(await subscribers.findByEmail('ann@example.org')).toBeNull();
      expect(await subscribers.list()).toEqual([]);
      expect(await subscribers.history(ann!)).toEqual({ deliveries: [], receivedArticles: [], unsubscribeEvents: [] });
      expect((await subscribers.history(hashedId)).deliveries).toHaveLength(1);
      expect((await ledger.list(E))[0]).toMatchObject({ subscriberId: hashedId, status: 'accepted', messageId: null });
      expect(await subscribers.signupRequestsByEmail('ann@example.org')).toEqual([]);
      expect((await subscribers.listSuppressions()).map((s) => s.reason)).toEqual(['erased']);
      expect(await seedSubscribers(subscribers, [staged('dee@example.org', { daily: null })])).toHaveLength(1);
      const session = await subscribers.beginSync();
      await session.stage([staged('ann@example.org', { daily: null })]);
      expect(await session.apply(T3, { removeMissing: false })).toMatchObject({ added: 0, suppressed: 1 });
      expect(await subscribers.removeSuppression(addressHash('ann@example.org'))).toBe(true);
      expect(await subscribers.removeSuppression(addressHash('ann@example.org'))).toBe(false);
      expect(await subscribers.addSuppression('abc', 'operator', T3)).toBe(true);
      expect(await subscribers.addSuppression('abc', 'operator', T3)).toBe(false);
    });

    it('keeps signup requests (with the cadence chosen): confirmed once, counted per address or IP, purged when expired', async () => {
      const { subscribers } = ports();
      const base = {
        newsletterId: 'daily',
        email: 'new@example.org',
        name: 'New',
        categories: ['world'],
        locale: 'en',
        cadence: 'weekly',
        ipHash: 'ip1',
        kind: 'confirm' as const,
      };
      const first = await subscribers.createSignupRequest({ ...base, createdAt: T1, expiresAt: T2 });
      const second = await subscribers.createSignupRequest({ ...base, cadence: null, createdAt: T2, expiresAt: T3 });
      expect((await subscribers.getSignupRequest(second))?.cadence).toBeNull();
      expect(await subscribers.getSignupRequest(first)).toEqual({
        ...base,
        id: first,
        createdAt: T1.toISOString(),
        expiresAt: T2.toISOString(),
        confirmedAt: null,
      });
      expect(await subscribers.getSignupRequest(9999)).toBeNull();
      expect(await subscribers.markSignupConfirmed(second, T2)).toBe(true);
      expect(await subscribers.markSignupConfirmed(second, T3)).toBe(false);
      expect(await subscribers.countSignupRequests({ email: 'new@example.org', since: T2 })).toBe(1);
      expect(await subscribers.countSignupRequests({ ipHash: 'ip1', since: T1 })).toBe(2);
      expect(await subscribers.purgeSignupRequests(T3)).toBe(1);
      expect((await subscribers.signupRequestsByEmail('new@example.org')).map((r) => r.id)).toEqual([second]);
      const id = await subscribers.ensureSubscriber({ email: 'new@example.org', name: 'New', locale: 'en' }, T2);
      expect(await subscribers.ensureSubscriber({ email: 'new@example.org', name: 'Other', locale: null }, T3)).toBe(
        id,
      );
      expect(await subscribers.getById(id)).toMatchObject({ name: 'New', status: 'active', subscriptions: [] });
      expect(await subscribers.deleteSignupRequests('new@example.org')).toBe(1);
    });
    it('imports one person per transaction: added, then unchanged; a removed subscription revives, an unsubscribe stays, a suppression refuses', async () => {
      const { subscribers } = ports();
      const person = (email: string, extra: Partial<ImportedPerson> = {}): ImportedPerson => ({
        email,
        addressHash: addressHash(email),
        name: 'Ivy Import',
        firstName: 'Ivy',
        locale: 'de',
        languages: ['de', 'en'],
        timezone: 'Europe/Berlin',
        status: 'active',
        subscriptions: [{ newsletterId: 'daily', categories: ['science'] }],
        ...extra,
      });
      expect(await subscribers.importSubscriber(person('ivy@example.org'), T1)).toBe('added');
      expect(await subscribers.findByEmail('ivy@example.org')).toMatchObject({
        name: 'Ivy Import',
        firstName: 'Ivy',
        locale: 'de',
        languages: ['de', 'en'],
        timezone: 'Europe/Berlin',
        status: 'active',
        subscriptions: [
          expect.objectContaining({
            newsletterId: 'daily',
            status: 'active',
            categories: ['science'],
            origin: 'subscriber',
          }),
        ],
      });
      expect(await subscribers.importSubscriber(person('ivy@example.org', { name: 'Other' }), T2)).toBe('unchanged');
      expect((await subscribers.findByEmail('ivy@example.org'))!.name).toBe('Ivy Import');
      expect(
        await subscribers.importSubscriber(person('pia@example.org', { status: 'bounced', subscriptions: [] }), T1),
      ).toBe('added');
      expect(await subscribers.findByEmail('pia@example.org')).toMatchObject({ status: 'bounced', subscriptions: [] });

      // A file subscriber: removed from the files (revived by an import), unsubscribed by the reader (kept).
      const [fileId] = await seedSubscribers(subscribers, [staged('flo@example.org', { daily: null, weekly: null })]);
      await subscribers.unsubscribe(fileId!, 'weekly', T1);
      const session = await subscribers.beginSync();
      await session.stage([staged('other@example.org', { daily: null })]);
      await session.apply(T1, { removeMissing: true });
      expect((await subscribers.getById(fileId!))!.subscriptions.map((s) => s.status)).toEqual([
        'removed',
        'unsubscribed',
      ]);
      const flo = person('flo@example.org', {
        subscriptions: [
          { newsletterId: 'daily', categories: null },
          { newsletterId: 'weekly', categories: null },
        ],
      });
      expect(await subscribers.importSubscriber(flo, T2)).toBe('subscribed');
      expect(
        (await subscribers.findByEmail('flo@example.org'))!.subscriptions.map((s) => [s.newsletterId, s.status]),
      ).toEqual([
        ['daily', 'active'],
        ['weekly', 'unsubscribed'],
      ]);
      expect(await subscribers.importSubscriber(flo, T3)).toBe('unchanged');

      await subscribers.addSuppression(addressHash('sue@example.org'), 'test', T1);
      expect(await subscribers.importSubscriber(person('sue@example.org'), T2)).toBe('suppressed');
      expect(await subscribers.findByEmail('sue@example.org')).toBeNull();
    });
  });
}
