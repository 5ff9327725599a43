import { parseMailboxLocation } from '../core/mailbox-location.ts';
import { z } from 'zod';
import {
  classifierSchema,
  categorySchema,
  dedupeSchema,
  fetchLimitsSchema,
  fullTextSchema,
  type llmSummarySchema,
  parseLimitsSchema,
  sourceSchema,
  summarySchema,
} from './content-schema.ts';
import { type cadenceSchema, deliverySchema, newsletterSchema, transportSchema } from './delivery-schema.ts';
import { duration, emailAddresses, slug } from './schema-fields.ts';
import { analyticsSchema, defaultImageMode, deskSchema, imageModeSchema, webSchema } from './web-schema.ts';
import { webhooksSchema } from './webhooks-schema.ts';

/**
 * The whole configuration, with every default documented in the schema modules it is
 * built from (content-schema.ts, delivery-schema.ts, web-schema.ts; value types in
 * schema-fields.ts) and in docs/configuration.md. Objects are strict: an unknown key is
 * an error. Importers take everything from here.
 */
export { httpUrl } from './schema-fields.ts';
export {
  DEFAULT_LLM_PROMPT,
  categorySchema,
  classifierSchema,
  dedupeSchema,
  fetchLimitsSchema,
  fullTextSchema,
  llmSummarySchema,
  parseLimitsSchema,
  sourceSchema,
  summarySchema,
} from './content-schema.ts';
export { deliverySchema, transportSchema } from './delivery-schema.ts';
export { defaultImageMode, deskSchema, imageModeSchema, webSchema } from './web-schema.ts';

/** Where the SQLite store lives unless `store.path` says otherwise; its folder is the data folder. */
export const DEFAULT_STORE_PATH = 'data/tidings.db';

export const configSchema = z
  .strictObject({
    store: z
      .strictObject({
        /** The SQLite file, and with `url` the data folder's anchor (link secret, outcome journal). */
        path: z.string().optional(),
        /** `postgres://…` (usually `${DATABASE_URL}`): the store is that PostgreSQL database; unset: SQLite at `path`. */
        // Empty counts as unset, so `url: ${DATABASE_URL:-}` means "PostgreSQL when DATABASE_URL is set".
        url: z.preprocess(
          (value) => (value === '' ? undefined : value),
          z
            .string()
            .regex(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
            .optional(),
        ),
        /** How long a writer waits for another process's write transaction before giving up. */
        busyTimeout: duration('30s'),
        /** PostgreSQL: connections in each process's pool. */
        poolSize: z.number().int().min(1).max(100).default(10),
      })
      .superRefine((store, ctx) => {
        // Both set would leave the reader guessing which store holds the data.
        if (store.url && store.path !== undefined && store.path !== DEFAULT_STORE_PATH) {
          ctx.addIssue({
            code: 'custom',
            path: ['url'],
            message:
              'store.url and store.path name two different stores: keep one (store.path stays the data folder only at its default)',
          });
        }
      })
      .transform(({ path, ...rest }) => ({ ...rest, path: path ?? DEFAULT_STORE_PATH }))
      .prefault({}),
    fetch: fetchLimitsSchema,
    parse: parseLimitsSchema,
    categories: z.record(slug, categorySchema).default({}),
    sources: z.array(sourceSchema).default([]),
    summaries: summarySchema,
    classifier: classifierSchema,
    dedupe: dedupeSchema,
    fullText: fullTextSchema,
    newsletters: z.array(newsletterSchema).default([]),
    /** A folder whose files override templates/ file by file. */
    templates: z.strictObject({ dir: z.string().optional() }).prefault({}),
    subscribers: z.strictObject({ paths: z.array(z.string()).default(['subscribers']) }).prefault({}),
    transport: transportSchema.default({ type: 'outbox', dir: 'outbox' }),
    delivery: deliverySchema,
    /** `tidings worker` (PostgreSQL stores): see docs/operations.md, "Workers". */
    worker: z
      .strictObject({
        /** Deliveries a worker leases per claim. */
        batchSize: z.number().int().min(1).max(10_000).default(100),
        /** A batch's lease and a worker's heartbeat TTL: a killed worker's unsent rows return after it. */
        leaseTtl: duration('60s').refine((ms) => ms >= 1000, { message: 'must be at least 1s' }),
        /** How long an idle worker waits before looking at the queue again. */
        idleWait: duration('2s'),
      })
      .prefault({}),
    web: webSchema.prefault({}),
    /** Addresses that get the approval email of every newsletter without its own `editors`. */
    editors: emailAddresses.default([]),
    scheduler: z
      .strictObject({
        /** How often the scheduler checks deadlines, catch-up and subscriber-local releases. */
        tickEvery: duration('1m'),
        /** A scheduler's lease lasts this long without a heartbeat (a crashed one frees the store after it). */
        leaseTtl: duration('45s'),
      })
      .prefault({}),
    desk: deskSchema,
    /**
     * How long a stop (SIGTERM/SIGINT) may take before work in flight is abandoned: messages
     * in flight recorded (ambiguous where the server may have them), signup mails left queued.
     * Keep it below the service manager's stop timeout (systemd TimeoutStopSec).
     */
    shutdownTimeout: duration('30s').refine((ms) => ms >= 1000, { message: 'must be at least 1s' }),
    /** Reports that come back to transport.returnPath, read by the scheduler (docs/operations.md, "Bounces"). */
    bounces: z
      .strictObject({
        /**
         * Where the return path's mail is: a Maildir path (relative to the config file) or an
         * IMAP URL (`imaps://user@host[:port]/INBOX`; `imap://` needs STARTTLS except to a
         * loopback host). Unset: the scheduler reads no bounces.
         */
        mailbox: z.string().min(1).optional(),
        /** The older name of `mailbox` (a Maildir path), still accepted. */
        maildir: z.string().min(1).optional(),
        /** How often the scheduler processes it (as `tidings bounces process <mailbox>`). */
        every: duration('10m').refine((ms) => ms >= 60_000, { message: 'must be at least 1m' }),
        /** The environment variable holding the IMAP password (never in the URL or this file). */
        passwordEnv: z
          .string()
          .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as TIDINGS_BOUNCES_PASSWORD')
          .default('TIDINGS_BOUNCES_PASSWORD'),
        /** A PEM file with a CA to trust for the IMAP server besides the bundled ones (a private CA). */
        tlsCa: z.string().min(1).optional(),
        /** IMAP: time to connect, for the greeting, and for any silence on the open connection. */
        timeout: duration('60s'),
      })
      .superRefine((bounces, ctx) => {
        if (bounces.mailbox && bounces.maildir)
          ctx.addIssue({
            code: 'custom',
            path: ['maildir'],
            message: 'set bounces.mailbox or its older name bounces.maildir, not both',
          });
        const value = bounces.mailbox ?? bounces.maildir;
        const location = value === undefined ? null : parseMailboxLocation(value);
        if (typeof location === 'string')
          ctx.addIssue({ code: 'custom', path: [bounces.mailbox ? 'mailbox' : 'maildir'], message: location });
        else if (location?.kind === 'imap' && bounces.maildir)
          ctx.addIssue({ code: 'custom', path: ['maildir'], message: 'an IMAP URL goes in bounces.mailbox' });
      })
      .transform(({ maildir, mailbox, ...rest }) => ({ ...rest, mailbox: mailbox ?? maildir }))
      .prefault({}),
    /** Article images in the email: `proxy` (through `/img/`), `direct` (the site's URL) or `none`; default: defaultImageMode. */
    images: imageModeSchema.optional(),
    /** Signed event notifications to other services (docs/operations.md, "Webhooks"). */
    webhooks: webhooksSchema,
    /** Aggregate clicks: the minimum count shown (k). */
    analytics: analyticsSchema,
  })
  .transform((config) => ({ ...config, images: config.images ?? defaultImageMode(config.web.baseUrl) }));

/**
 * The transport of a configuration loaded for a command that sends nothing (`status`,
 * `edition show`…) while a variable the transport names is unset: the command runs, and
 * opening this transport fails with the problems listed (src/config/load-config.ts).
 */
export interface UnavailableTransport {
  type: 'unavailable';
  /** The configuration file, for the error. */
  file: string;
  problems: string[];
  returnPath?: undefined;
}
export type TidingsConfig = Omit<z.output<typeof configSchema>, 'transport' | 'newsletters'> & {
  transport: TransportConfig;
  /** With `cadences`, one entry per edition stream (src/config/cadences.ts). */
  newsletters: NewsletterConfig[];
};
export type CategoryConfig = z.output<typeof categorySchema>;
export type SourceConfig = z.output<typeof sourceSchema>;
/** `allowPrivateNetworks` only matters for untrusted URLs (core/http/http-client.ts), so callers may leave it out. */
export type FetchLimits = Omit<z.output<typeof fetchLimitsSchema>, 'allowPrivateNetworks'> & {
  allowPrivateNetworks?: boolean;
};
export type ParseLimits = z.output<typeof parseLimitsSchema>;
export type SummaryOptions = z.output<typeof summarySchema>;
export type LlmSummaryOptions = z.output<typeof llmSummarySchema>;
export type ClassifierOptions = z.output<typeof classifierSchema>;
export type DedupeOptions = z.output<typeof dedupeSchema>;
export type FullTextOptions = z.output<typeof fullTextSchema>;
/** Which cadence of which newsletter an edition stream is (set by src/config/cadences.ts only). */
export interface StreamCadence {
  name: string;
  /** The configured newsletter's id: subscriptions, signup and preferences use it. */
  newsletterId: string;
  /** The first cadence: readers who never chose one get it. */
  isDefault: boolean;
  /** Every cadence the newsletter offers, in configured order. */
  offered: string[];
  /**
   * A period longer than the newsletter's shortest: the edition is a ranked pool of the
   * window's best (editors' picks in the shorter streams, clicks, recency), larger than
   * one reader's share, capped per reader after what they already received is removed.
   */
  ranked: boolean;
}
export type NewsletterConfig = z.output<typeof newsletterSchema> & { cadence?: StreamCadence };
export type CadenceOption = z.output<typeof cadenceSchema>;
export type TransportConfig = z.output<typeof transportSchema> | UnavailableTransport;
export type DeliveryOptions = z.output<typeof deliverySchema>;
export type WebConfig = z.output<typeof webSchema>;
export type DeskConfig = z.output<typeof deskSchema>;
export type ImageModeConfig = z.output<typeof imageModeSchema>;
