import { parseDuration } from '../core/duration.ts';
import { TidingsError } from '../core/errors.ts';
import type { CadenceOption, NewsletterConfig, StreamCadence } from './schema.ts';

/**
 * Edition streams (issue 26). A newsletter with `cadences` becomes one NewsletterConfig
 * per cadence: the first keeps the newsletter's id, the others are `<id>.<cadence>` (a
 * dot cannot occur in a configured id, so no clash). Everything downstream (scheduler,
 * desk, approvals, send, status, archive) sees each stream as a newsletter of its own;
 * readers, subscriptions and signup see the configured newsletter only.
 */

/** The window of a cadence that sets none, by its name. */
const WINDOW_BY_NAME: Record<string, string> = { daily: '24h', weekly: '7d', monthly: '31d' };

/** `M H * * *`: the only newsletter schedule other cadences' schedules can be derived from. */
const DAILY_FORM = /^(\d{1,2}) (\d{1,2}) \* \* \*$/;

interface CadenceSpec {
  name: string;
  schedule?: string;
  window?: string;
  maxArticles?: number;
  perCategory?: number;
  minArticles?: number;
  deliver?: 'at-slot' | 'subscriber-local';
}

const specOf = (option: CadenceOption): CadenceSpec => (typeof option === 'string' ? { name: option } : option);

/** The schedule of a cadence that sets none, or a problem naming the field; undefined: no schedule (sent by hand). */
function defaultSchedule(
  newsletter: NewsletterConfig,
  spec: CadenceSpec,
  isFirst: boolean,
  at: string,
): { schedule: string | undefined } | { problem: string } {
  if (spec.schedule !== undefined) return { schedule: spec.schedule };
  if (isFirst || newsletter.schedule === undefined) return { schedule: newsletter.schedule };
  const daily = DAILY_FORM.exec(newsletter.schedule.trim());
  const derived: Record<string, string> | null = daily
    ? {
        daily: `${daily[1]} ${daily[2]} * * *`,
        weekly: `${daily[1]} ${daily[2]} * * 1`,
        monthly: `${daily[1]} ${daily[2]} 1 * *`,
      }
    : null;
  const schedule = derived?.[spec.name];
  if (schedule) return { schedule };
  const why = derived
    ? `there is no default schedule for cadence "${spec.name}"`
    : `the newsletter's schedule "${newsletter.schedule}" is not of the form "M H * * *" a default could be derived from`;
  return { problem: `${at}.schedule: is required (${why})` };
}

/** The stream of one cadence, or the problems of its settings. */
function streamOf(
  newsletter: NewsletterConfig,
  spec: CadenceSpec,
  index: number,
  cadence: StreamCadence,
  at: string,
): NewsletterConfig | string[] {
  const problems: string[] = [];
  const scheduled = defaultSchedule(newsletter, spec, index === 0, at);
  if ('problem' in scheduled) problems.push(scheduled.problem);
  const window = spec.window ?? (index === 0 ? newsletter.window : WINDOW_BY_NAME[spec.name]);
  if (window === undefined)
    problems.push(
      `${at}.window: is required for cadence "${spec.name}" (only daily, weekly and monthly have a default)`,
    );
  if (problems.length > 0) return problems;
  const { cadences: _offered, ...base } = newsletter;
  return {
    ...base,
    id: index === 0 ? newsletter.id : `${newsletter.id}.${spec.name}`,
    schedule: 'schedule' in scheduled ? scheduled.schedule : undefined,
    window: window!,
    maxArticles: spec.maxArticles ?? newsletter.maxArticles,
    perCategory: spec.perCategory ?? newsletter.perCategory,
    minArticles: spec.minArticles ?? newsletter.minArticles,
    deliver: spec.deliver ?? newsletter.deliver,
    cadence,
  };
}

/** One configured newsletter's streams (itself alone without `cadences`), or problems naming fields. */
function expandNewsletter(
  newsletter: NewsletterConfig,
  index: number,
): { streams: NewsletterConfig[]; problems: string[] } {
  if (!newsletter.cadences) return { streams: [newsletter], problems: [] };
  const specs = newsletter.cadences.map(specOf);
  const offered = specs.map((spec) => spec.name);
  const problems: string[] = [];
  const streams: NewsletterConfig[] = [];
  specs.forEach((spec, j) => {
    const at = `newsletters[${index}].cadences[${j}]`;
    if (offered.indexOf(spec.name) !== j) {
      problems.push(
        `${at}${typeof newsletter.cadences![j] === 'string' ? '' : '.name'}: "${spec.name}" is offered twice`,
      );
      return;
    }
    const cadence: StreamCadence = {
      name: spec.name,
      newsletterId: newsletter.id,
      isDefault: j === 0,
      offered,
      ranked: false,
    };
    const stream = streamOf(newsletter, spec, j, cadence, at);
    if (Array.isArray(stream)) problems.push(...stream);
    else streams.push(stream);
  });
  markRanked(streams);
  return { streams, problems };
}

/**
 * Marks the streams whose period is longer than the shortest one's (compared by window;
 * `since-last` has no length of its own, so such a stream is ranked unless it is the default).
 */
function markRanked(streams: readonly NewsletterConfig[]): void {
  const lengths = streams.map((stream) => windowMs(stream));
  const known = lengths.filter((ms): ms is number => ms !== null);
  const shortest = known.length > 0 ? Math.min(...known) : null;
  streams.forEach((stream, i) => {
    const length = lengths[i] ?? null;
    const ranked = length === null || shortest === null ? !stream.cadence!.isDefault : length > shortest;
    stream.cadence!.ranked = ranked;
  });
}

/** Expands every newsletter with `cadences` into its streams; problems name the field. */
export function expandCadences(newsletters: readonly NewsletterConfig[]): {
  newsletters: NewsletterConfig[];
  problems: string[];
} {
  const problems: string[] = [];
  const expanded: NewsletterConfig[] = [];
  newsletters.forEach((newsletter, i) => {
    const result = expandNewsletter(newsletter, i);
    problems.push(...result.problems);
    expanded.push(...result.streams);
  });
  return { newsletters: expanded, problems };
}

interface HasNewsletters {
  newsletters: readonly NewsletterConfig[];
}

/** The configured newsletter a stream (or a newsletter) belongs to: `world.weekly` → `world`. */
export function baseNewsletterId(config: HasNewsletters, id: string): string {
  return config.newsletters.find((n) => n.id === id)?.cadence?.newsletterId ?? id;
}

/** The cadences a newsletter (or any of its streams) offers, first the default; null without `cadences`. */
export function offeredCadences(config: HasNewsletters, newsletterId: string): string[] | null {
  return config.newsletters.find((n) => n.id === newsletterId)?.cadence?.offered ?? null;
}

/** The default stream of a newsletter: the one readers who chose nothing get. */
export function defaultCadence(config: HasNewsletters, newsletterId: string): string | null {
  return offeredCadences(config, newsletterId)?.[0] ?? null;
}

/**
 * The stream of a newsletter at a cadence; a null cadence is the default (and the only
 * stream of a newsletter without cadences). Throws for a cadence the newsletter does not offer.
 */
export function cadenceStream(config: HasNewsletters, newsletterId: string, cadence: string | null): NewsletterConfig {
  const base = baseNewsletterId(config, newsletterId);
  const stream = config.newsletters.find((n) =>
    n.cadence
      ? n.cadence.newsletterId === base && (cadence === null ? n.cadence.isDefault : n.cadence.name === cadence)
      : n.id === base && cadence === null,
  );
  if (!stream) {
    const known = config.newsletters.some((n) => n.id === base);
    throw new TidingsError(
      'INPUT_INVALID',
      known ? `newsletter "${base}" offers no cadence "${cadence}"` : `no newsletter "${base}" is configured`,
    );
  }
  return stream;
}

/** The newsletters a reader can choose (the streams of one newsletter count once, as the newsletter). */
export function readerNewsletters<T extends NewsletterConfig>(newsletters: readonly T[]): T[] {
  return newsletters.filter((n) => !n.cadence || n.cadence.isDefault);
}

/** How long a stream's window reaches back, in ms; null for `since-last`. */
export function windowMs(newsletter: Pick<NewsletterConfig, 'window'>): number | null {
  return newsletter.window === 'since-last' ? null : parseDuration(newsletter.window);
}
