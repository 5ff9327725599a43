import { describe, expect, it } from 'vitest';
import { tempLedger } from './support/engine-fixture.ts';

const E = 'weekly/2026-11-28T07:00:00Z';
const at = new Date('2026-11-28T07:01:00Z');

// What the ledger does, on SQLite and PostgreSQL alike (two connections to one file here):
// tests/store/contract/ledger.contract.ts. This file keeps what only the SQLite ledger has.
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
