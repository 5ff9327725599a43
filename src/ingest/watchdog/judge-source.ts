import type { SourceActivity } from './source-activity.ts';

/** What a source does that it usually does not; each kind has its own rule below. */
export const SOURCE_WARNING_KINDS = ['quiet', 'repeats', 'excerpts', 'shrunk'] as const;
export type SourceWarningKind = (typeof SOURCE_WARNING_KINDS)[number];

export interface SourceWarning {
  source: string;
  kind: SourceWarningKind;
  /** One sentence for an editor: what changed, against what is usual. */
  message: string;
}

/** A source's usual rhythm, learned from its recent history. */
export interface SourceRhythm {
  source: string;
  items: number;
  perDay: number;
  /** Median time between two items, ms; null while learning. */
  usualGapMs: number | null;
  lastItemAt: string | null;
  learning: boolean;
}

/**
 * The rules, with their reasons. A source is judged once it has `minItems` items over at
 * least `minSpanMs` (before that, any rhythm is a guess). The last `recentItems` items are
 * compared with the ones before them.
 */
export const WATCHDOG_RULES = {
  minItems: 6,
  minSpanMs: 2 * 86_400_000,
  recentItems: 5,
  /** Quiet: silence longer than this many usual gaps, and than twice the longest usual gap. */
  quietGaps: 4,
  /** Never quiet under this: a source that posts hourly may rest overnight. */
  quietFloorMs: 12 * 3_600_000,
  /** Repeats: a recent item re-using an earlier title, or dated this long before it was first seen. */
  staleMs: 7 * 86_400_000,
  /** Excerpts: the usual text is long (full text) and the recent median is short. */
  fullTextChars: 1_500,
  excerptChars: 600,
  /** Shrunk: the recent median below this share of the usual median. */
  shrinkRatio: 0.5,
} as const;

const HOUR = 3_600_000;
const itemTime = (item: SourceActivity) => Date.parse(item.publishedAt ?? item.firstSeenAt);
const firstSeen = (item: SourceActivity) => Date.parse(item.firstSeenAt);
const normalTitle = (title: string) => title.toLowerCase().replace(/\s+/g, ' ').trim();

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function describeSpan(ms: number): string {
  if (ms < 2 * HOUR) return `${Math.max(1, Math.round(ms / 60_000))} min`;
  if (ms < 48 * HOUR) return `${Math.round(ms / HOUR)} h`;
  return `${Math.round(ms / 86_400_000)} days`;
}

/** Gaps between consecutive items by their own time (published, else first seen), ms. */
function gapsOf(items: readonly SourceActivity[]): number[] {
  const times = items.map(itemTime).sort((a, b) => a - b);
  return times.slice(1).map((time, i) => time - times[i]!);
}

export function rhythmOf(source: string, items: readonly SourceActivity[]): SourceRhythm {
  const times = items.map(itemTime).sort((a, b) => a - b);
  const span = times.length > 1 ? times.at(-1)! - times[0]! : 0;
  const learning = items.length < WATCHDOG_RULES.minItems || span < WATCHDOG_RULES.minSpanMs;
  const last = times.at(-1);
  return {
    source,
    items: items.length,
    // Items per day between the first and the last: n items span n - 1 gaps.
    perDay: span > 0 ? Math.round(((items.length - 1) / (span / 86_400_000)) * 10) / 10 : 0,
    usualGapMs: learning ? null : median(gapsOf(items)),
    lastItemAt: last === undefined ? null : new Date(last).toISOString(),
    learning,
  };
}

function quietWarning(source: string, items: readonly SourceActivity[], now: Date): SourceWarning | null {
  const gaps = gapsOf(items).sort((a, b) => a - b);
  const usual = median(gaps);
  const longUsual = gaps[Math.floor(gaps.length * 0.9)] ?? usual;
  const threshold = Math.max(WATCHDOG_RULES.quietGaps * usual, 2 * longUsual, WATCHDOG_RULES.quietFloorMs);
  const lastNew = Math.max(...items.map(firstSeen));
  const silence = now.getTime() - lastNew;
  if (silence <= threshold) return null;
  return {
    source,
    kind: 'quiet',
    message: `${source}: nothing new for ${describeSpan(silence)}; it usually brings an item every ${describeSpan(usual)}`,
  };
}

function repeatsWarning(source: string, earlier: readonly SourceActivity[], recent: readonly SourceActivity[]) {
  const seenTitles = new Set(earlier.map((item) => normalTitle(item.title)));
  const repeated = recent.filter(
    (item) => seenTitles.has(normalTitle(item.title)) || itemTime(item) < firstSeen(item) - WATCHDOG_RULES.staleMs,
  );
  if (repeated.length < 2 || repeated.length * 2 < recent.length) return null;
  return {
    source,
    kind: 'repeats' as const,
    message: `${source}: ${repeated.length} of its last ${recent.length} items repeat earlier titles or are dated over a week before they appeared`,
  };
}

function lengthWarning(source: string, earlier: readonly SourceActivity[], recent: readonly SourceActivity[]) {
  const usual = median(earlier.map((item) => item.textLength));
  const now = median(recent.map((item) => item.textLength));
  const { fullTextChars, excerptChars, shrinkRatio } = WATCHDOG_RULES;
  if (usual >= fullTextChars && now < excerptChars)
    return {
      source,
      kind: 'excerpts' as const,
      message: `${source}: its last items are excerpts (median ${now} characters) where it usually gives full text (${usual})`,
    };
  if (now < usual * shrinkRatio)
    return {
      source,
      kind: 'shrunk' as const,
      message: `${source}: extracted text shrank to a median of ${now} characters from a usual ${usual}`,
    };
  return null;
}

/**
 * Warnings for one source's history (oldest first by first-seen time): quiet well past
 * its rhythm, repeating old items, fallen from full text to excerpts, or shrinking. None
 * while the rhythm is still being learned.
 */
export function judgeSource(source: string, items: readonly SourceActivity[], now: Date): SourceWarning[] {
  if (rhythmOf(source, items).learning) return [];
  const ordered = [...items].sort((a, b) => firstSeen(a) - firstSeen(b));
  const recent = ordered.slice(-WATCHDOG_RULES.recentItems);
  const earlier = ordered.slice(0, -WATCHDOG_RULES.recentItems);
  const warnings = [quietWarning(source, ordered, now)];
  if (earlier.length >= 3)
    warnings.push(repeatsWarning(source, earlier, recent), lengthWarning(source, earlier, recent));
  return warnings.filter((warning): warning is SourceWarning => warning !== null);
}
