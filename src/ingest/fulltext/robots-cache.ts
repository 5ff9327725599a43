import { isTidingsError } from '../../core/errors.ts';
import { reasonOf } from './error-reason.ts';
import type { FetchedResource } from '../types.ts';
import { ALLOW_ALL, DISALLOW_ALL, parseRobots, type RobotsRules } from './robots-rules.ts';

export interface RobotsVerdict {
  allowed: boolean;
  /** Said once per host, when its robots.txt could not be read. */
  warning?: string;
}

/**
 * robots.txt per host (scheme, host and port), fetched once per run and kept for it.
 * As RFC 9309 says: a 4xx answer (no robots.txt) allows everything; a robots.txt that
 * cannot be had otherwise (5xx, timeout, refused address) disallows the host for this
 * run, with one warning.
 */
export function createRobotsCache(deps: {
  agent: string;
  fetch: (url: string) => Promise<Pick<FetchedResource, 'bytes'>>;
}) {
  const byOrigin = new Map<string, Promise<{ rules: RobotsRules; warning?: string }>>();

  async function load(origin: string): Promise<{ rules: RobotsRules; warning?: string }> {
    const url = `${origin}/robots.txt`;
    try {
      const response = await deps.fetch(url);
      return { rules: parseRobots(new TextDecoder().decode(response.bytes), deps.agent) };
    } catch (error) {
      if (isTidingsError(error) && error.code === 'SOURCE_FETCH' && /^HTTP 4\d\d\b/.test(reasonOf(error)))
        return { rules: ALLOW_ALL };
      // A refused address refuses the page too, which says so itself.
      if (isTidingsError(error) && error.code === 'SOURCE_UNSAFE') return { rules: ALLOW_ALL };
      const message = reasonOf(error);
      return {
        rules: DISALLOW_ALL,
        warning: `robots.txt of ${origin} could not be read (${message}): no pages fetched from it this run`,
      };
    }
  }

  return {
    async check(pageUrl: string): Promise<RobotsVerdict> {
      const url = new URL(pageUrl);
      let entry = byOrigin.get(url.origin);
      const first = !entry;
      if (!entry) {
        entry = load(url.origin);
        byOrigin.set(url.origin, entry);
      }
      const { rules, warning } = await entry;
      return { allowed: rules.isAllowed(`${url.pathname}${url.search}`), ...(first && warning ? { warning } : {}) };
    },
  };
}
