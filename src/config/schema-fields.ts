import { z } from 'zod';
import { parseDuration } from '../core/duration.ts';
import { parseCronExpression } from '../core/cron-expression.ts';
import { isTimeZone } from '../core/zone-time.ts';

/** The value types the configuration schema is built from: durations, sizes, URLs, names. */

export const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `must be a duration such as 30s, 15m, 24h or 7d (got "${text}")` });
        return z.NEVER;
      }
      return ms;
    });

export const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$/i;
export const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
export const size = (fallback: string) =>
  z
    .union([z.number().int().positive(), z.string()])
    .default(fallback)
    .transform((value, ctx) => {
      if (typeof value === 'number') return value;
      const match = SIZE.exec(value.trim());
      if (!match) {
        ctx.addIssue({ code: 'custom', message: `must be a size such as 512KB or 10MB (got "${value}")` });
        return z.NEVER;
      }
      return Math.round(Number(match[1]) * SIZE_UNITS[(match[2] ?? 'B').toUpperCase()]!);
    });

export const httpUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'must be an http(s) URL' },
);

export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a slug: lowercase letters, digits and dashes');

export const timeZone = z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' });

/** A locale tag such as `de` or `pt-BR`: locale titles of categories, newsletters' strings. */
export const localeTag = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a locale such as de or pt-BR');

export const cronExpression = z.string().superRefine((text, ctx) => {
  const parsed = parseCronExpression(text);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
});

export const optionalDuration = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined) return undefined;
    const ms = parseDuration(text);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `must be a duration such as 0m, 30m or 2h (got "${text}")` });
      return z.NEVER;
    }
    return ms;
  });

export const emailAddresses = z.array(
  z.string().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'must be an email address such as editor@example.org'),
);
