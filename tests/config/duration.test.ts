import { describe, expect, it } from 'vitest';
import { parseDuration, parseSince } from '../../src/core/duration.ts';

const now = new Date('2026-11-28T12:00:00Z');

describe('parseSince (articles --since)', () => {
  it('takes a duration back from now', () => {
    expect(parseSince('24h', now)?.toISOString()).toBe('2026-11-27T12:00:00.000Z');
    expect(parseSince('7d', now)?.toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(parseDuration('90s')).toBe(90_000);
  });

  it('takes an ISO date or date-time', () => {
    expect(parseSince('2026-11-20', now)?.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(parseSince('2026-11-20T08:30:00Z', now)?.toISOString()).toBe('2026-11-20T08:30:00.000Z');
    expect(parseSince('2026-11-20T08:30+01:00', now)?.toISOString()).toBe('2026-11-20T07:30:00.000Z');
  });

  it.each(['7', 'yesterday', 'March 3', '2026', '24 h', '2026-13-45', ''])(
    'refuses %j rather than guessing a date',
    (text) => {
      expect(parseSince(text, now)).toBeNull();
    },
  );
});
