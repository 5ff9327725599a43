import { describe, expect, it } from 'vitest';
import { judgeSource, rhythmOf } from '../../../src/ingest/watchdog/judge-source.ts';
import type { SourceActivity } from '../../../src/ingest/watchdog/source-activity.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const item = (hours: number, over: Partial<SourceActivity> = {}): SourceActivity => ({
  source: 'wire',
  firstSeenAt: new Date(T0 + hours * HOUR).toISOString(),
  publishedAt: new Date(T0 + hours * HOUR).toISOString(),
  title: `story at ${hours}`,
  textLength: 2_000,
  ...over,
});
const at = (hours: number) => new Date(T0 + hours * HOUR);

describe('judgeSource', () => {
  it('says nothing while learning: fewer than six items, or under two days', () => {
    const five = [0, 12, 24, 36, 48].map((h) => item(h));
    expect(rhythmOf('wire', five).learning).toBe(true);
    expect(judgeSource('wire', five, at(500))).toEqual([]);
    const oneDay = [0, 4, 8, 12, 16, 20, 23].map((h) => item(h));
    expect(judgeSource('wire', oneDay, at(500))).toEqual([]);
  });

  it('lets a source that posts by day rest overnight, and names a silence past four usual gaps and twice the longest', () => {
    // Every 2 hours from 08:00 to 20:00, for four days: 12-hour nights.
    const days = [0, 1, 2, 3].flatMap((d) => [8, 10, 12, 14, 16, 18, 20].map((h) => item(d * 24 + h)));
    expect(judgeSource('wire', days, at(3 * 24 + 20 + 13))).toEqual([]);
    expect(judgeSource('wire', days, at(3 * 24 + 20 + 23))).toEqual([]);
    expect(judgeSource('wire', days, at(3 * 24 + 20 + 25)).map((w) => w.kind)).toEqual(['quiet']);
  });

  it('needs at least two repeats, and half of the recent items, to call it repeating', () => {
    const history = Array.from({ length: 12 }, (_, i) => item(i * 6));
    const oneRepeat = [...history, item(72, { title: 'story at 0' })];
    expect(judgeSource('wire', oneRepeat, at(73))).toEqual([]);
    const stale = [item(72, { publishedAt: new Date(T0 - 30 * 24 * HOUR).toISOString() })];
    const twoRepeats = [...history, ...stale, item(78, { title: 'STORY  at 6' }), item(84)];
    expect(judgeSource('wire', twoRepeats, at(85))).toEqual([]);
    const many = [...history, ...stale, item(78, { title: 'STORY  at 6' }), item(84, { title: 'story at 12' })];
    expect(judgeSource('wire', many, at(85)).map((w) => w.kind)).toEqual(['repeats']);
  });

  it('tells excerpts (short where it was long) from shrinking (under half of usual)', () => {
    const history = Array.from({ length: 10 }, (_, i) => item(i * 6));
    const next = (chars: number) => Array.from({ length: 5 }, (_, i) => item(60 + i * 6, { textLength: chars }));
    expect(judgeSource('wire', [...history, ...next(1_200)], at(85))).toEqual([]);
    expect(judgeSource('wire', [...history, ...next(900)], at(85)).map((w) => w.kind)).toEqual(['shrunk']);
    expect(judgeSource('wire', [...history, ...next(300)], at(85)).map((w) => w.kind)).toEqual(['excerpts']);
  });
});
