import { describe, expect, it } from 'vitest';
import { parseAt } from '../../src/app/edition-pipeline.ts';
import type { AppContext } from '../../src/app/context.ts';
import { createFixedClock } from '../../src/core/clock.ts';

const ctx = { clock: createFixedClock('2026-11-28T06:00:00Z') } as unknown as AppContext;
const iso = (at: string, zone?: string) => parseAt(ctx, at, zone).toISOString();

describe('--at', () => {
  it('reads a time without an offset in the newsletter time zone, as edition ids show it', () => {
    expect(iso('2026-11-28T07:00', 'Europe/Berlin')).toBe('2026-11-28T06:00:00.000Z');
    expect(iso('2026-11-28T07:00:30', 'America/New_York')).toBe('2026-11-28T12:00:30.000Z');
    // Summer time in Berlin (+02:00), and the first hour after the spring change.
    expect(iso('2026-07-01T07:00', 'Europe/Berlin')).toBe('2026-07-01T05:00:00.000Z');
    expect(iso('2026-03-29T03:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('keeps an explicit offset or Z, defaults to now, and refuses what is not ISO 8601', () => {
    expect(iso('2026-11-28T07:00:00+01:00', 'America/New_York')).toBe('2026-11-28T06:00:00.000Z');
    expect(iso('2026-11-28T07:00:00.000Z', 'Europe/Berlin')).toBe('2026-11-28T07:00:00.000Z');
    expect(parseAt(ctx, undefined, 'Europe/Berlin').toISOString()).toBe('2026-11-28T06:00:00.000Z');
    for (const bad of ['tomorrow', '2026-11-28', 'Nov 28 2026 07:00', '2026-13-40T99:00']) {
      expect(() => parseAt(ctx, bad, 'Europe/Berlin'), bad).toThrow(/--at: .* is not an ISO 8601 time/);
    }
  });
});
