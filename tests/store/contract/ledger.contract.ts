import { describe, expect, it } from 'vitest';
import { addressHash } from '../../../src/subscribers/address-hash.ts';
import type { OpenPorts } from './backends.ts';
import { seedSubscribers, staged, usePorts } from './seed.ts';

const E = 'weekly/2026-11-28T07:00:00Z';
const at = new Date('2026-11-28T07:01:00Z');

/** The Ledger port (src/delivery/ledger.ts), whatever store implements it. */
export function ledgerContract(name: string, open: OpenPorts): void {
  describe(`${name}: Ledger contract`, () => {
    const ports = usePorts(open);

    it('creates rows once and lets only one claimer win, even from a second connection', async () => {
      const { ledger, other } = ports();
      await ledger.ensurePending(E, [1, 2, 3]);
      await ledger.ensurePending(E, [2, 3, 4]);
      expect(await ledger.counts(E)).toMatchObject({ pending: 4, total: 4 });
      expect((await ledger.claim(E, 1, at)).claimed).toBe(true);
      expect((await ledger.claim(E, 1, at)).claimed).toBe(false);
      expect((await other.ledger.claim(E, 1, at)).claimed).toBe(false);
      expect((await other.ledger.claim(E, 2, at)).claimed).toBe(true);
      expect((await ledger.claim(E, 2, at)).claimed).toBe(false);
      expect((await ledger.claim(E, 99, at)).claimed).toBe(false);
      expect(await ledger.counts(E)).toMatchObject({ pending: 2, sending: 2 });
    });

    it('lets exactly one of many concurrent claimers win each row', async () => {
      const { ledger, other } = ports();
      const ids = Array.from({ length: 40 }, (_, i) => i + 1);
      await ledger.ensurePending(E, ids);
      const attempts = ids.flatMap((id) => [
        ledger.claim(E, id, at),
        other.ledger.claim(E, id, at),
        ledger.claim(E, id, at),
      ]);
      const won = (await Promise.all(attempts)).filter((r) => r.claimed).length;
      expect(won).toBe(ids.length);
      expect(await ledger.counts(E)).toMatchObject({ sending: 40, pending: 0 });
    });

    it('records outcomes only from the right state, with replies and received articles', async () => {
      const { ledger } = ports();
      await ledger.ensurePending(E, [1, 2, 3, 4]);
      await ledger.claim(E, 1, at);
      await ledger.recordAccepted(E, 1, at, {
        messageId: '<m1@x>',
        response: '250 ok',
        segment: 's1',
        articleIds: ['a', 'b'],
      });
      await ledger.recordAccepted(E, 2, at, {
        messageId: '<m2@x>',
        response: '250 ok',
        segment: 's1',
        articleIds: ['c'],
      });
      await ledger.claim(E, 3, at);
      await ledger.recordFailed(E, 3, new Date('2026-11-28T07:02:00Z'), {
        code: 'TRANSPORT_PERMANENT',
        text: '550 no such user',
        retryable: false,
        attempts: 1,
      });
      expect(await ledger.recordSkipped(E, 4, at, 'thin digest')).toBe(true);
      expect(await ledger.recordSkipped(E, 1, at, 'must not override accepted')).toBe(false);

      const rows = await ledger.list(E);
      expect(rows.map((r) => [r.subscriberId, r.status])).toEqual([
        [1, 'accepted'],
        [2, 'pending'],
        [3, 'failed'],
        [4, 'skipped'],
      ]);
      expect(rows[0]).toMatchObject({
        messageId: '<m1@x>',
        response: '250 ok',
        segment: 's1',
        attempts: 1,
        claimedAt: at.toISOString(),
        retryable: false,
      });
      expect(rows[3]!.reason).toBe('thin digest');
      expect((await ledger.list(E, 'failed')).map((r) => r.subscriberId)).toEqual([3]);
      expect(await ledger.receivedArticleIds(1, ['a', 'b', 'c'])).toEqual(new Set(['a', 'b']));
      expect(await ledger.receivedArticleIds(1, ['a', 'b'], E)).toEqual(new Set());
      expect(await ledger.receivedArticleIds(2, ['c'])).toEqual(new Set());
      // The same for a page of readers in one read; everyone asked for has an entry.
      expect(await ledger.receivedArticleIdsOfMany([1, 2, 99], ['a', 'b', 'c'])).toEqual(
        new Map([
          [1, new Set(['a', 'b'])],
          [2, new Set()],
          [99, new Set()],
        ]),
      );
      expect(await ledger.receivedArticleIdsOfMany([1], ['a', 'b'], E)).toEqual(new Map([[1, new Set()]]));
      expect(await ledger.receivedArticleIdsOfMany([], ['a'])).toEqual(new Map());
      expect(await ledger.lastErrors(E, 5)).toEqual([
        {
          subscriberId: 3,
          email: null,
          errorCode: 'TRANSPORT_PERMANENT',
          response: '550 no such user',
          at: '2026-11-28T07:02:00.000Z',
        },
      ]);
    });

    it('commits an outcome and the next claims asked in the same turn in order, when it says so', async () => {
      const { ledger } = ports();
      await ledger.ensurePending(E, [1, 2, 3]);
      await ledger.claim(E, 1, at);
      // As a lane of the engine asks: the outcome not awaited before its next claim (and a lost race in the same batch).
      const recorded = ledger.recordAccepted(E, 1, at, {
        messageId: '<m1@x>',
        response: '250 ok',
        segment: 's1',
        articleIds: ['a'],
      });
      const claims = [ledger.claim(E, 2, at), ledger.claim(E, 2, at), ledger.claim(E, 1, at)];
      await recorded;
      expect(await Promise.all(claims)).toEqual([
        { claimed: true },
        { claimed: false, skipped: null },
        { claimed: false, skipped: null },
      ]);
      expect((await ledger.list(E)).map((r) => [r.subscriberId, r.status])).toEqual([
        [1, 'accepted'],
        [2, 'sending'],
        [3, 'pending'],
      ]);
      expect(await ledger.receivedArticleIds(1, ['a'])).toEqual(new Set(['a']));
      // Only a ledger that commits in order lets the engine skip awaiting the outcome (both stores do).
      expect(ledger.commitsInOrder).toBe(true);
    });

    it('keeps an ambiguous row sending with its reason, and requeues failures and ambiguous rows only when asked', async () => {
      const { ledger } = ports();
      await ledger.ensurePending(E, [1, 2, 3]);
      for (const id of [1, 2, 3]) await ledger.claim(E, id, at);
      await ledger.recordFailed(E, 1, at, {
        code: 'TRANSPORT_TEMPORARY',
        text: '451 later',
        retryable: true,
        attempts: 5,
      });
      await ledger.releaseForRetry(E, 2);
      await ledger.recordAmbiguous(E, 3, at, { code: 'TRANSPORT_AMBIGUOUS', text: 'no reply after DATA', attempts: 1 });
      const ambiguous = await ledger.listAmbiguous(E);
      expect(ambiguous.map((r) => [r.subscriberId, r.status, r.errorCode])).toEqual([
        [3, 'sending', 'TRANSPORT_AMBIGUOUS'],
      ]);
      expect((await ledger.list(E, 'failed'))[0]).toMatchObject({ retryable: true, attempts: 5 });
      expect(await ledger.releaseRetryableFailures(E)).toBe(1);
      expect(await ledger.releaseRetryableFailures(E)).toBe(0);
      expect(await ledger.counts(E)).toMatchObject({ pending: 2, sending: 1 });
      expect(await ledger.resetAmbiguous(E, at)).toBe(1);
      expect(await ledger.counts(E)).toMatchObject({ pending: 3, sending: 0, total: 3 });
    });

    it('summarizes editions per newsletter, newest first', async () => {
      const { ledger } = ports();
      await ledger.ensurePending('weekly/2026-11-21T07:00:00Z', [1]);
      await ledger.claim('weekly/2026-11-21T07:00:00Z', 1, new Date('2026-11-21T07:00:00Z'));
      await ledger.ensurePending(E, [1, 2]);
      await ledger.claim(E, 1, at);
      await ledger.ensurePending('weekly-extra/2026-11-28T07:00:00Z', [1]);
      const summaries = await ledger.editions('weekly');
      expect(summaries.map((s) => s.editionId)).toEqual([E, 'weekly/2026-11-21T07:00:00Z']);
      expect(summaries[0]!.counts).toMatchObject({ pending: 1, sending: 1, total: 2 });
      expect(summaries[0]).toMatchObject({ ambiguous: 1, lastActivityAt: at.toISOString() });
      expect(await ledger.editions()).toHaveLength(3);
    });

    it('skips, with the reason, a pending row whose reader left after the audience was read', async () => {
      const { ledger, subscribers } = ports();
      const [ann, bob, cy, dee] = await seedSubscribers(subscribers, [
        staged('ann@example.org', { weekly: null }),
        staged('bob@example.org', { weekly: null }),
        staged('cy@example.org', { weekly: null }),
        staged('dee@example.org', { weekly: null }),
      ]);
      await ledger.ensurePending(E, [ann!, bob!, cy!, dee!]);
      await subscribers.unsubscribe(bob!, 'weekly', at, { channel: 'web', editionId: E });
      await subscribers.addSuppression(addressHash('cy@example.org'), 'operator', at);
      await subscribers.recordHardBounce(dee!, at, 1);
      expect(await ledger.claim(E, ann!, at)).toEqual({ claimed: true });
      expect(await ledger.claim(E, bob!, at)).toEqual({
        claimed: false,
        skipped: 'subscription unsubscribed before delivery',
      });
      expect(await ledger.claim(E, cy!, at)).toEqual({ claimed: false, skipped: 'address suppressed before delivery' });
      expect(await ledger.claim(E, dee!, at)).toEqual({
        claimed: false,
        skipped: 'subscriber bounced before delivery',
      });
      const rows = await ledger.list(E);
      expect(rows.map((r) => [r.email, r.status])).toEqual([
        ['ann@example.org', 'sending'],
        ['bob@example.org', 'skipped'],
        ['cy@example.org', 'skipped'],
        ['dee@example.org', 'skipped'],
      ]);
    });

    it('resolves ambiguous rows as the operator decides, all or nothing, and keeps who decided', async () => {
      const { ledger, subscribers } = ports();
      const [ann, bob, cy, dee] = await seedSubscribers(subscribers, [
        staged('ann@example.org', { weekly: null }),
        staged('bob@example.org', { weekly: null }),
        staged('cy@example.org', { weekly: null }),
        staged('dee@example.org', { weekly: null }),
      ]);
      await ledger.ensurePending(E, [ann!, bob!, cy!, dee!]);
      for (const id of [ann!, bob!, cy!]) await ledger.claim(E, id, at);
      await ledger.recordAmbiguous(E, ann!, at, {
        code: 'TRANSPORT_AMBIGUOUS',
        text: 'no reply after DATA',
        attempts: 1,
      });
      await ledger.recordAmbiguous(E, bob!, at, {
        code: 'TRANSPORT_AMBIGUOUS',
        text: 'no reply after DATA',
        attempts: 1,
      });
      await ledger.recordAccepted(E, cy!, at, { messageId: '<c@x>', response: '250 ok', segment: 's', articleIds: [] });
      const later = new Date('2026-11-28T09:00:00Z');

      // One row that is not ambiguous refuses the whole request, naming it; nothing changes.
      const refused = await ledger.resolveAmbiguous(E, {
        subscriberIds: [ann!, cy!, dee!, 999],
        decision: 'accepted',
        by: 'ops',
        at: later,
      });
      expect(refused.resolved).toEqual([]);
      expect(refused.refused).toEqual([
        { subscriberId: cy!, email: 'cy@example.org', status: 'accepted', why: 'not-ambiguous' },
        { subscriberId: dee!, email: 'dee@example.org', status: 'pending', why: 'not-ambiguous' },
        { subscriberId: 999, email: null, status: null, why: 'no-row' },
      ]);
      expect(await ledger.counts(E)).toMatchObject({ sending: 2, accepted: 1, pending: 1 });
      expect(await ledger.resolutions(E)).toBeNull();

      const articleIds = new Map([
        [ann!, ['a1', 'a2']],
        [bob!, ['b1']],
      ]);
      const accepted = await ledger.resolveAmbiguous(E, {
        subscriberIds: [ann!],
        decision: 'accepted',
        by: 'ops',
        at: later,
        articleIds,
      });
      expect(accepted.refused).toEqual([]);
      expect(accepted.resolved.map((r) => [r.email, r.status, r.resolution])).toEqual([
        ['ann@example.org', 'accepted', { decision: 'accepted', by: 'ops', at: later.toISOString() }],
      ]);
      // The articles of a reader resolved as accepted count as received (nobody sees them twice).
      expect(await ledger.receivedArticleIds(ann!, ['a1', 'a2', 'b1'])).toEqual(new Set(['a1', 'a2']));
      const rest = await ledger.resolveAmbiguous(E, {
        subscriberIds: 'all-ambiguous',
        decision: 'not-accepted',
        by: 'alice',
        at: later,
        articleIds,
      });
      expect(await ledger.receivedArticleIds(bob!, ['b1'])).toEqual(new Set());
      expect(rest.resolved.map((r) => [r.email, r.status, r.errorCode])).toEqual([
        ['bob@example.org', 'pending', null],
      ]);
      // Final rows are never claimed again; the not-accepted one is, and keeps its resolution once sent.
      expect((await ledger.claim(E, ann!, later)).claimed).toBe(false);
      expect((await ledger.claim(E, bob!, later)).claimed).toBe(true);
      await ledger.recordAccepted(E, bob!, later, {
        messageId: '<b@x>',
        response: '250 ok',
        segment: 's',
        articleIds: [],
      });
      expect((await ledger.list(E, 'accepted')).find((r) => r.subscriberId === bob!)?.resolution).toMatchObject({
        decision: 'not-accepted',
        by: 'alice',
      });
      expect(await ledger.resolutions(E)).toEqual({ accepted: 1, notAccepted: 1, by: ['alice', 'ops'] });
      // Nothing ambiguous is left: --all-ambiguous then resolves nothing, and refuses nothing.
      expect(
        await ledger.resolveAmbiguous(E, {
          subscriberIds: 'all-ambiguous',
          decision: 'accepted',
          by: 'ops',
          at: later,
        }),
      ).toEqual({ resolved: [], refused: [] });
    });

    it('counts unresolved ambiguous rows per edition, leaving out editions a live send holds', async () => {
      const { ledger, sendLease } = ports();
      const other = 'weekly/2026-11-21T07:00:00Z';
      await ledger.ensurePending(E, [1, 2, 3]);
      await ledger.ensurePending(other, [1]);
      await ledger.ensurePending('daily/2026-11-28T07:00:00Z', [1]);
      for (const id of [1, 2]) await ledger.claim(E, id, at);
      await ledger.claim(other, 1, at);
      await ledger.claim('daily/2026-11-28T07:00:00Z', 1, at);
      expect(await ledger.unresolvedAmbiguous(at, 'weekly')).toEqual(
        [
          { editionId: other, rows: 1 },
          { editionId: E, rows: 2 },
        ].sort((a, b) => (a.editionId < b.editionId ? -1 : 1)),
      );
      expect(await ledger.unresolvedAmbiguous(at)).toHaveLength(3);
      await sendLease.acquire(E, { holder: 'h pid 1 run x', host: 'h', pid: 1 }, at, 60_000);
      expect(await ledger.unresolvedAmbiguous(at, 'weekly')).toEqual([{ editionId: other, rows: 1 }]);
      // Once the lease has expired, its rows are ambiguous again.
      expect(await ledger.unresolvedAmbiguous(new Date(at.getTime() + 120_000), 'weekly')).toHaveLength(2);
    });
  });
}
