import { z } from 'zod';
import {
  cronExpression,
  duration,
  emailAddresses,
  localeTag,
  optionalDuration,
  slug,
  timeZone,
} from './schema-fields.ts';

/** What is sent, when and how: newsletters, transports, delivery retries. */

const editionWindow = z.union([
  z.literal('since-last'),
  z.string().regex(/^\d+(ms|s|m|h|d|w)$/, 'must be a duration or since-last'),
]);

/**
 * One cadence a newsletter offers its readers (issue 26). The short form is its name;
 * the long form overrides the newsletter's schedule, window, caps and delivery for the
 * stream of that cadence (src/config/cadences.ts expands each into its own newsletter).
 */
export const cadenceSchema = z.union([
  slug,
  z.strictObject({
    name: slug,
    /** Cron in the newsletter's zone; default: daily-form schedules derive weekly (Mondays) and monthly (the 1st). */
    schedule: cronExpression.optional(),
    /** Default by name: daily 24h, weekly 7d, monthly 31d; required for any other name. */
    window: editionWindow.optional(),
    maxArticles: z.number().int().min(1).max(100).optional(),
    perCategory: z.number().int().min(1).max(100).optional(),
    minArticles: z.number().int().min(0).optional(),
    deliver: z.enum(['at-slot', 'subscriber-local']).optional(),
  }),
]);

export const newsletterSchema = z
  .strictObject({
    id: slug,
    title: z.string().min(1),
    description: z.string().default(''),
    categories: z.array(slug).min(1),
    /** `24h`, `7d`… or `since-last`: everything since the previous edition of this newsletter. */
    window: editionWindow.default('24h'),
    maxArticles: z.number().int().min(1).max(100).default(15),
    perCategory: z.number().int().min(1).max(100).default(5),
    /** Thin-digest rule: with fewer articles than this the edition (or one subscriber's digest) is skipped. */
    minArticles: z.number().int().min(0).default(3),
    template: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .default('digest'),
    subject: z.string().default('{{newsletter.title}} · {{date}}'),
    preheader: z.string().default('{{topStory.title}}'),
    from: z.string().min(3),
    replyTo: z.string().optional(),
    locale: z.string().default('en'),
    /**
     * How articles are ordered or chosen by language: `subscriber` puts articles in the
     * reader's languages first in each section (and the top story in their language when
     * one is); `strict` leaves the others out; `any` keeps the editor's order.
     */
    languages: z.enum(['subscriber', 'strict', 'any']).default('subscriber'),
    /**
     * One of `categories` that also takes the articles no configured category claimed
     * (their source gave none and the classifier was not sure enough), so none is lost
     * between categories; absent: such articles appear in no edition until filed.
     */
    otherSection: slug.optional(),
    /**
     * Locale strings for this newsletter only, over templates/locales: locale → key → text,
     * e.g. `{ de: { greeting: 'Moin %%{first_name}%%,' } }`. Keys must exist in the locale files.
     */
    strings: z
      .record(
        localeTag,
        z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a locale key such as greeting'), z.string()),
      )
      .optional(),
    timezone: timeZone.default('UTC'),
    /** When true, `send` refuses an edition until an editor approved it (`tidings edition approve`). */
    requireApproval: z.boolean().default(false),
    /** Cron expression (node-cron syntax, 5 or 6 fields) in the newsletter's time zone: when `tidings schedule` sends. */
    schedule: cronExpression.optional(),
    /** The paces readers may choose (`[daily, weekly]`); the first is the default. Absent: one pace, as configured. */
    cadences: z.array(cadenceSchema).min(1).optional(),
    /** `at-slot`: everyone at the slot; `subscriber-local`: each reader at the slot's wall time in their own zone. */
    deliver: z.enum(['at-slot', 'subscriber-local']).default('at-slot'),
    /** Build the draft this long before the slot (default 2h with requireApproval, else 0). */
    prepareAhead: optionalDuration,
    /** How long after the slot an unapproved draft may still wait for approval. */
    approvalDeadline: duration('1h'),
    /** What happens to a draft still unapproved at approvalDeadline. */
    onApprovalTimeout: z.enum(['send', 'skip']).default('skip'),
    /** How late a slot missed while the scheduler was down may still go out. */
    catchUp: duration('1h'),
    /** Who gets the approval email (defaults to the global `editors`). */
    editors: emailAddresses.optional(),
    /** The sender's postal address, shown in the footer (CAN-SPAM and friends). */
    postalAddress: z.string().default(''),
    /** When true, anyone may join at `/s/<id>` (double opt-in by email) and add it on the preferences page. */
    signup: z.boolean().default(false),
    /** When true, sent editions are listed at `/archive/<id>` and in its Atom feed, and mails carry List-Archive. */
    public: z.boolean().default(false),
    /**
     * `aggregate`: article links go through `/c/<signed edition and article>` and clicks are
     * counted per edition, article, section and source, with no reader identity
     * (docs/operations.md, "Aggregate clicks"). `off`: links go straight to the article.
     */
    analytics: z.enum(['aggregate', 'off']).default('off'),
    summary: z
      .strictObject({
        maxWords: z.number().int().min(10).max(400).optional(),
        maxSentences: z.number().int().min(1).max(10).optional(),
      })
      .optional(),
  })
  .transform((newsletter) => ({
    ...newsletter,
    prepareAhead: newsletter.prepareAhead ?? (newsletter.requireApproval ? 2 * 3_600_000 : 0),
  }));

const smtpTransport = z.strictObject({
  type: z.literal('smtp'),
  /** smtp(s)://user:pass@host:port — keep it in the environment: `${SMTP_URL}`. */
  url: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL'),
  /**
   * `builtin`: Tidings' own client (pipelined envelope, one write per message, AUTH PLAIN
   * or LOGIN). `nodemailer`: nodemailer's pool, for servers that need more (other AUTH
   * mechanisms). Both classify failures the same way.
   */
  client: z.enum(['builtin', 'nodemailer']).default('builtin'),
  maxConnections: z.number().int().min(1).max(50).default(5),
  maxMessages: z.number().int().min(1).default(100),
  /** Messages per second across the pool (token bucket). */
  rateLimit: z.number().positive().default(20),
  tls: z.strictObject({ rejectUnauthorized: z.boolean().default(true) }).prefault({}),
  dkim: z
    .strictObject({
      domain: z.string().min(1),
      selector: z.string().min(1),
      keyFile: z.string().min(1),
      /** Signatures expire this long after signing (DKIM x=); receivers then ignore them. */
      expiry: duration('7d'),
    })
    .optional(),
  /** The envelope sender; digests use VERP on it (`bounces+<signed id>@domain`) so bounces name their delivery. */
  returnPath: z.string().optional(),
  /** Time to open the connection (TCP and TLS). */
  connectionTimeout: duration('60s'),
  /** Time to wait for the server's greeting once connected. */
  greetingTimeout: duration('60s'),
  /** Silence on an open connection, e.g. no reply after DATA: the message becomes ambiguous. */
  socketTimeout: duration('60s'),
});
const outboxTransport = z.strictObject({
  type: z.literal('outbox'),
  dir: z.string().default('outbox'),
  returnPath: z.string().optional(),
});

export const transportSchema = z.discriminatedUnion('type', [smtpTransport, outboxTransport]);

export const deliverySchema = z
  .strictObject({
    maxAttempts: z.number().int().min(1).max(20).default(5),
    backoffInitial: duration('1s'),
    backoffMax: duration('60s'),
    /** After this many failures in a row the run pauses: the server is probably down. */
    maxConsecutiveFailures: z.number().int().min(1).default(20),
    /** A slot further in the past than this is not sent without --force. */
    maxLateness: duration('6h'),
    /** Permanent rejections in a row, across editions, after which a subscriber is marked bounced. */
    bounceAfter: z.number().int().min(1).default(2),
  })
  .prefault({});
