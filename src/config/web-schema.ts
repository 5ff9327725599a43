import { z } from 'zod';
import { isLoopbackHost } from '../core/http-url.ts';
import { duration, httpUrl } from './schema-fields.ts';

/** The web server, the editor desk and how article images reach readers. */

export const webSchema = z.strictObject({
  /** Public base URL for unsubscribe, preferences and view-in-browser links. */
  baseUrl: httpUrl.default('http://127.0.0.1:8080'),
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  /** HMAC secret for subscriber links; keep it in the environment: `${TIDINGS_SECRET}`. */
  // Empty (`${TIDINGS_SECRET:-}` with the variable unset) means "not set": Tidings then
  // keeps a random secret in the data folder (src/app/link-secret.ts).
  secret: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(16, 'must be at least 16 characters (set it from the environment)').optional(),
  ),
  /**
   * Bearer token for `GET /metrics`; keep it in the environment: `${TIDINGS_METRICS_TOKEN:-}`.
   * Unset (or empty), /metrics answers only clients on this machine that no proxy forwards.
   */
  metricsToken: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(16, 'must be at least 16 characters (set it from the environment)').optional(),
  ),
  /** mailto address for List-Unsubscribe. */
  unsubscribeMailto: z.string().optional(),
  /**
   * Behind a reverse proxy: trust X-Forwarded-For from it (true, a hop count, or the
   * proxy's addresses as "127.0.0.1,10.0.0.0/8"), so rate limits see the reader's address.
   */
  trustProxy: z.union([z.boolean(), z.number().int().min(1), z.string().min(1)]).default(false),
  rateLimit: z
    .strictObject({
      /** Requests per minute from one address, across every page (static files and ops endpoints are not counted). */
      perMinute: z.number().int().min(1).default(120),
      /** Requests per minute of one logged-in desk session (pages, previews, progress), instead of perMinute. */
      deskPerMinute: z.number().int().min(1).default(1200),
      /** Requests per minute of one JSON API token (/api/v1), instead of perMinute. */
      apiPerMinute: z.number().int().min(1).default(600),
      /** Signup form posts per hour from one address. */
      signupPerHour: z.number().int().min(1).default(10),
      /** Signup requests per day naming the same email address. */
      signupPerAddressPerDay: z.number().int().min(1).default(3),
    })
    .prefault({}),
});

/** The editor desk under /desk: sessions, lockout and login limits (docs/operations.md, "The editor desk"). */
export const deskSchema = z
  .strictObject({
    /** A session unused for this long expires; the editor logs in again. */
    sessionIdle: duration('12h'),
    /** Failed logins in a row after which an account is locked. */
    lockoutAfter: z.number().int().min(1).default(5),
    /** How long a locked account stays locked. */
    lockoutFor: duration('15m'),
    /** Login attempts per minute from one address, whatever the account. */
    loginPerMinute: z.number().int().min(1).default(10),
  })
  .prefault({});

/** Article images in the digest (src/render/image-links.ts, docs/configuration.md `images`). */
export const imageModeSchema = z.enum(['proxy', 'direct', 'none']);

/**
 * `images` left out means `proxy` when `web.baseUrl` is an address readers can reach
 * (the server can then serve the images) and `direct` when it is loopback (the default
 * `http://127.0.0.1:8080`, or `localhost`): no reader's mail client loads from there.
 */
export function defaultImageMode(baseUrl: string): 'proxy' | 'direct' {
  const host = new URL(baseUrl).hostname.toLowerCase();
  return isLoopbackHost(host) || host.endsWith('.localhost') ? 'direct' : 'proxy';
}

/** Aggregate click counts (newsletters[].analytics: aggregate; docs/operations.md, "Aggregate clicks"). */
export const analyticsSchema = z
  .strictObject({
    /** A count is shown (desk, /metrics, API) only once it reaches this, so no single reader stands out. */
    minCount: z.number().int().min(1).default(5),
  })
  .prefault({});
