import { describe, expect, it } from 'vitest';
import { useStore, type OpenStore } from './stores.ts';

const t = (minute: number) => new Date(Date.UTC(2026, 11, 1, 8, minute));

/** The sources port (src/store/source-state-store.ts): validators and failure streaks per source. */
export function sourceStateContract(name: string, open: OpenStore): void {
  describe(`${name}: sources`, () => {
    const store = useStore(open);

    it('records successes and failures: validators kept on a 304, streaks reset by a success', async () => {
      const { sources } = store();
      expect(await sources.getState('harbour')).toBeNull();
      await sources.recordSuccess('harbour', t(0), {
        location: 'http://h/feed',
        validators: { etag: '"v1"', lastModified: 'Tue, 01 Dec 2026 07:00:00 GMT' },
      });
      await sources.recordFailure('harbour', t(10), { error: 'HTTP 503', errorCode: 'SOURCE_FETCH' });
      await sources.recordFailure('harbour', t(20), { error: 'timed out', errorCode: 'SOURCE_TIMEOUT' });
      expect(await sources.getState('harbour')).toEqual({
        source: 'harbour',
        location: 'http://h/feed',
        validators: { etag: '"v1"', lastModified: 'Tue, 01 Dec 2026 07:00:00 GMT' },
        lastFetchedAt: t(20).toISOString(),
        lastOkAt: t(0).toISOString(),
        lastFailedAt: t(20).toISOString(),
        lastError: 'timed out',
        lastErrorCode: 'SOURCE_TIMEOUT',
        consecutiveFailures: 2,
        totalFailures: 2,
      });
      // A 304: the stored validators stay.
      await sources.recordSuccess('harbour', t(30), { location: 'http://h/feed', validators: null });
      expect(await sources.getState('harbour')).toMatchObject({
        validators: { etag: '"v1"' },
        lastOkAt: t(30).toISOString(),
        consecutiveFailures: 0,
        totalFailures: 2,
      });
      // Pointed elsewhere: validators of the old location are dropped, even on a "304".
      await sources.recordSuccess('harbour', t(40), { location: 'http://h/other', validators: null });
      expect((await sources.getState('harbour'))!.validators).toEqual({ etag: null, lastModified: null });
      // New validators replace the old ones.
      await sources.recordSuccess('harbour', t(50), {
        location: 'http://h/other',
        validators: { etag: '"v2"', lastModified: null },
      });
      expect((await sources.getState('harbour'))!.validators).toEqual({ etag: '"v2"', lastModified: null });
    });

    it('starts a state with a failure, and lists states by source name', async () => {
      const { sources } = store();
      await sources.recordFailure('zeta', t(0), { error: 'HTTP 404', errorCode: 'SOURCE_FETCH' });
      await sources.recordSuccess('alpha', t(1), { location: null, validators: null });
      await sources.recordSuccess('Beta', t(2), { location: 'folder/', validators: null });
      const states = await sources.listStates();
      expect(states.map((s) => s.source)).toEqual(['Beta', 'alpha', 'zeta']);
      expect(states[2]).toMatchObject({
        location: null,
        lastOkAt: null,
        lastFailedAt: t(0).toISOString(),
        consecutiveFailures: 1,
        totalFailures: 1,
      });
      expect(states[1]).toMatchObject({
        location: null,
        validators: { etag: null, lastModified: null },
        consecutiveFailures: 0,
      });
    });
  });
}
