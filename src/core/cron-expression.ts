import { validateDetailed } from 'node-cron';

/**
 * A newsletter's `schedule`, parsed once. node-cron 4 does the field parsing (the same
 * parser that fires the real-time triggers), so what validates here is what fires.
 * Matching is done here, not by node-cron, because the scheduler needs slots between
 * two instants on a fake clock, and an exact rule for wall times that a daylight-saving
 * change skips or repeats (see schedule-slots.ts).
 */
export interface CronSchedule {
  expression: string;
  /** True when the expression has a seconds field (six fields). */
  hasSeconds: boolean;
  minutes: readonly number[];
  hours: readonly number[];
  /** Days of the month, or 'L' for the last day. */
  daysOfMonth: readonly (number | 'L')[];
  months: readonly number[];
  /** 0 = Sunday. */
  daysOfWeek: readonly number[];
}

export type CronParse = { ok: true; schedule: CronSchedule } | { ok: false; problem: string };

/** Parses a five- or six-field cron expression; the problem says which field is wrong and why. */
export function parseCronExpression(expression: string): CronParse {
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5 && fields.length !== 6) {
    return {
      ok: false,
      problem: `must be a cron expression of 5 fields (minute hour day month weekday) or 6 (with seconds first); got ${fields.length} field(s) in "${expression}"`,
    };
  }
  let detailed: ReturnType<typeof validateDetailed>;
  try {
    detailed = validateDetailed(fields.join(' '));
  } catch (error) {
    return { ok: false, problem: `"${expression}" is not a cron expression: ${(error as Error).message}` };
  }
  if (!detailed.valid || !detailed.fields) {
    const errors = detailed.errors.map(
      (e) => `${e.field} field${e.value !== undefined ? ` "${e.value}"` : ''}: ${e.message}`,
    );
    return {
      ok: false,
      problem: `"${expression}" is not a valid cron expression (${errors.join('; ') || 'unreadable'})`,
    };
  }
  const parsed = detailed.fields;
  const unsupportedDay = parsed.dayOfMonth.find((value) => typeof value === 'string' && value !== 'L');
  const unsupportedWeekday = parsed.dayOfWeek.find((value) => typeof value === 'string');
  if (unsupportedDay !== undefined || unsupportedWeekday !== undefined) {
    return {
      ok: false,
      problem: `"${expression}": the scheduler supports numbers, ranges, lists, steps and L (last day of the month), not "${unsupportedDay ?? unsupportedWeekday}"`,
    };
  }
  return {
    ok: true,
    schedule: {
      expression,
      hasSeconds: fields.length === 6,
      minutes: [...parsed.minute].sort((a, b) => a - b),
      hours: [...parsed.hour].sort((a, b) => a - b),
      daysOfMonth: parsed.dayOfMonth as (number | 'L')[],
      months: parsed.month,
      daysOfWeek: (parsed.dayOfWeek as number[]).map((day) => day % 7),
    },
  };
}
