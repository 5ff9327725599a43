import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { completeEditionIfFinal } from '../../src/app/complete-edition.ts';
import { readEditionProgress } from '../../src/app/edition-progress.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { seedSubscribers, staged } from '../store/contract/seed.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const EDITION = 'daily/2026-11-28T07:00';
const at = new Date('2026-11-28T07:00:00Z');
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) void store.close();
});

describe('an edition is sent only when its whole audience is queued and final (SQLite)', () => {
  const tempDir = useTempDir('tidings-progress-');

  it("shows readers not yet queued on the desk's progress, and refuses `sent` until they are queued and every row is final", async () => {
    const store = openSqliteStore(path.join(tempDir(), 'tidings.db'));
    stores.push(store);
    const ids = await seedSubscribers(
      store.subscribers,
      ['a', 'b', 'c', 'd', 'e'].map((name) => staged(`${name}@example.org`, { daily: null })),
    );
    await store.editions.createEdition(
      {
        id: EDITION,
        newsletterId: 'daily',
        slot: '2026-11-28T07:00:00+00:00',
        slotUtc: at.toISOString(),
        status: 'draft',
        statusReason: null,
        articles: [],
      },
      at,
    );
    const clock = createFixedClock(at);
    const progress = () => readEditionProgress({ store, clock }, EDITION);
    expect(await progress()).toMatchObject({ status: 'draft', audience: null, notYetQueued: 0 });

    // A send recorded the audience, queued the first two readers, sent them, and was stopped.
    await store.editions.recordAudience(EDITION, { maxSubscriberId: ids[4]!, added: 5 });
    await store.editions.setStatus(EDITION, 'sending', { at });
    await store.ledger.ensurePending(EDITION, ids.slice(0, 2));
    await store.editions.advanceQueue(EDITION, 0, ids[1]!);
    for (const id of ids.slice(0, 2)) {
      expect(await store.ledger.claim(EDITION, id, at)).toEqual({ claimed: true });
      await store.ledger.recordAccepted(EDITION, id, at, {
        messageId: `<${id}@x>`,
        response: '250 ok',
        segment: 's',
        articleIds: [],
      });
    }
    expect(await progress()).toMatchObject({
      status: 'sending',
      audience: 5,
      notYetQueued: 3,
      ambiguous: 0,
      counts: { accepted: 2, pending: 0, total: 2 },
    });
    // Nothing pending and nothing in flight, but three readers have no row: not sent.
    expect(await completeEditionIfFinal(store, EDITION, at)).toBe(false);

    // Queued whole; one row left in flight by a run that died is ambiguous, and keeps the edition sending.
    await store.ledger.ensurePending(EDITION, ids.slice(2));
    await store.editions.advanceQueue(EDITION, ids[1]!, ids[4]!);
    for (const id of ids.slice(2)) expect(await store.ledger.claim(EDITION, id, at)).toEqual({ claimed: true });
    for (const id of ids.slice(2, 4))
      await store.ledger.recordAccepted(EDITION, id, at, {
        messageId: `<${id}@x>`,
        response: '250 ok',
        segment: 's',
        articleIds: [],
      });
    expect(await progress()).toMatchObject({ notYetQueued: 0, ambiguous: 1 });
    expect(await completeEditionIfFinal(store, EDITION, at)).toBe(false);
    // A live send holding the edition has that row in flight; a lease left by a process of
    // this machine that is gone holds nothing, as `tidings status` says.
    const live = { holder: `${os.hostname()} pid ${process.pid} run live`, host: os.hostname(), pid: process.pid };
    expect(await store.sendLease.acquire(EDITION, live, at, 60_000)).toEqual({ acquired: true });
    expect(await progress()).toMatchObject({ ambiguous: 0 });
    await store.sendLease.release(EDITION, live.holder);
    const gonePid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const gone = { holder: `${os.hostname()} pid ${gonePid} run gone`, host: os.hostname(), pid: gonePid };
    expect(await store.sendLease.acquire(EDITION, gone, at, 60_000)).toEqual({ acquired: true });
    expect(await progress()).toMatchObject({ ambiguous: 1 });
    await store.ledger.recordFailed(EDITION, ids[4]!, at, {
      code: 'TRANSPORT_PERMANENT',
      text: '550 no',
      retryable: false,
      attempts: 1,
    });
    expect(await completeEditionIfFinal(store, EDITION, at)).toBe(true);
    expect(await progress()).toMatchObject({ status: 'sent', notYetQueued: 0, ambiguous: 0 });
  });
});
