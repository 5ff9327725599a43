import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteLedger } from '../../src/store/sqlite/sqlite-ledger.ts';
import { tempLedger } from './support/engine-fixture.ts';

const E = 'weekly/2026-11-28T07:00:00Z';
const at = new Date('2026-11-28T07:01:00Z');

describe('SqliteLedger on a real file', () => {
  it('creates rows once and lets only one claimer win, even from a second connection', async () => {
    const { file, ledger } = tempLedger();
    const other = new SqliteLedger(openDatabase(file));
    await ledger.ensurePending(E, [1, 2, 3]);
    await ledger.ensurePending(E, [2, 3, 4]);
    expect(await ledger.counts(E)).toMatchObject({ pending: 4, total: 4 });
    expect((await ledger.claim(E, 1, at)).claimed).toBe(true);
    expect((await ledger.claim(E, 1, at)).claimed).toBe(false);
    expect((await other.claim(E, 1, at)).claimed).toBe(false);
    expect((await other.claim(E, 2, at)).claimed).toBe(true);
    expect((await ledger.claim(E, 2, at)).claimed).toBe(false);
    expect((await ledger.claim(E, 99, at)).claimed).toBe(false);
    expect(await ledger.counts(E)).toMatchObject({ pending: 2, sending: 2 });
  });

  it('records outcomes only from the right state, with replies and received articles', async () => {
    const { ledger } = tempLedger();
    await ledger.ensurePending(E, [1, 2, 3, 4]);
    await ledger.claim(E, 1, at);
    await ledger.recordAccepted(E, 1, at, { messageId: '<m1@x>', response: '250 ok', segment: 's1', articleIds: ['a', 'b'] });
    // Not claimed: an accept for row 2 must not change it.
    await ledger.recordAccepted(E, 2, at, { messageId: '<m2@x>', response: '250 ok', segment: 's1', articleIds: ['c'] });
    await ledger.claim(E, 3, at);
    await ledger.recordFailed(E, 3, new Date('2026-11-28T07:02:00Z'), { code: 'TRANSPORT_PERMANENT', text: '550 no such user', retryable: false, attempts: 1 });
    await ledger.recordSkipped(E, 4, at, 'thin digest');
    await ledger.recordSkipped(E, 1, at, 'must not override accepted');

    const rows = await ledger.list(E);
    expect(rows.map((r) => [r.subscriberId, r.status])).toEqual([[1, 'accepted'], [2, 'pending'], [3, 'failed'], [4, 'skipped']]);
    expect(rows[0]).toMatchObject({ messageId: '<m1@x>', response: '250 ok', segment: 's1', attempts: 1 });
    expect(rows[3]!.reason).toBe('thin digest');
    expect(await ledger.receivedArticleIds(1, ['a', 'b', 'c'])).toEqual(new Set(['a', 'b']));
    expect(await ledger.receivedArticleIds(2, ['c'])).toEqual(new Set());
    expect(await ledger.lastErrors(E, 5)).toEqual([
      { subscriberId: 3, email: null, errorCode: 'TRANSPORT_PERMANENT', response: '550 no such user', at: '2026-11-28T07:02:00.000Z' },
    ]);
  });

  it('requeues temporary failures and ambiguous rows only when asked', async () => {
    const { ledger } = tempLedger();
    await ledger.ensurePending(E, [1, 2, 3]);
    for (const id of [1, 2, 3]) await ledger.claim(E, id, at);
    await ledger.recordFailed(E, 1, at, { code: 'TRANSPORT_TEMPORARY', text: '451 later', retryable: true, attempts: 5 });
    await ledger.releaseForRetry(E, 2);
    expect((await ledger.listAmbiguous(E)).map((r) => r.subscriberId)).toEqual([3]);
    expect(await ledger.releaseRetryableFailures(E)).toBe(1);
    expect(await ledger.releaseRetryableFailures(E)).toBe(0);
    expect(await ledger.counts(E)).toMatchObject({ pending: 2, sending: 1 });
    expect(await ledger.resetAmbiguous(E)).toBe(1);
    expect(await ledger.counts(E)).toMatchObject({ pending: 3, sending: 0 });
  });

  it('summarizes editions per newsletter, newest first', async () => {
    const { ledger } = tempLedger();
    await ledger.ensurePending('weekly/2026-11-21T07:00:00Z', [1]);
    await ledger.claim('weekly/2026-11-21T07:00:00Z', 1, new Date('2026-11-21T07:00:00Z'));
    await ledger.ensurePending(E, [1, 2]);
    await ledger.claim(E, 1, at);
    await ledger.ensurePending('weekly-extra/2026-11-28T07:00:00Z', [1]);
    const summaries = await ledger.editions('weekly');
    expect(summaries.map((s) => s.editionId)).toEqual([E, 'weekly/2026-11-21T07:00:00Z']);
    expect(summaries[0]!.counts).toMatchObject({ pending: 1, sending: 1, total: 2 });
    expect(summaries[0]!.ambiguous).toBe(1);
    expect(await ledger.editions()).toHaveLength(3);
  });
});

describe('SqliteLedger group commit', () => {
  it('claims asked for in the same turn share a transaction and still let one claimer win each row', async () => {
    const { ledger } = tempLedger();
    await ledger.ensurePending(E, [1, 2, 3]);
    const claims = await Promise.all([1, 1, 2, 3, 3, 3].map((id) => ledger.claim(E, id, at)));
    expect(claims.map((c) => c.claimed)).toEqual([true, false, true, true, false, false]);
    await Promise.all([
      ledger.recordAccepted(E, 1, at, { messageId: '<m1@x>', response: '250 ok', segment: 's', articleIds: ['a'] }),
      ledger.recordFailed(E, 2, at, { code: 'TRANSPORT_PERMANENT', text: '550', retryable: false, attempts: 1 }),
      ledger.recordAccepted(E, 3, at, { messageId: '<m3@x>', response: '250 ok', segment: 's', articleIds: ['a'] }),
    ]);
    expect((await ledger.list(E)).map((r) => r.status)).toEqual(['accepted', 'failed', 'accepted']);
    expect(await ledger.receivedArticleIds(3, ['a', 'b'])).toEqual(new Set(['a']));
  });

  it('when one write of a batch fails, the others are committed alone and only its caller sees the error', async () => {
    const { db } = tempLedger();
    const { GroupCommit } = await import('../../src/store/sqlite/group-commit.ts');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const group = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO t (id) VALUES (?)');
    const outcomes = await Promise.allSettled([1, 2, 2, 3].map((id) => group.run(() => insert.run(id).changes)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT id FROM t ORDER BY id').pluck().all()).toEqual([1, 2, 3]);
  });
});
