const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/** Parses `90s`, `15m`, `24h`, `7d`, `2w` into milliseconds; returns null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/** ISO 8601 date or date-time (`2026-11-28`, `2026-11-28T07:30`, `…T07:30:00.5+01:00`, `…Z`). */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * `--since` accepts a duration back from `now` or an ISO time. Anything else is
 * refused rather than handed to `new Date()`, which reads "7" as July 2001.
 */
export function parseSince(text: string, now: Date): Date | null {
  const ms = parseDuration(text);
  if (ms !== null) return new Date(now.getTime() - ms);
  if (!ISO_TIME.test(text.trim())) return null;
  const at = new Date(text.trim());
  return Number.isNaN(at.getTime()) ? null : at;
}
