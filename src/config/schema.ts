import { parseMailboxLocation } from '../delivery/mailbox-location.ts';
import { z } from 'zod';
import { parseDuration } from '../core/duration.ts';
import { parseCronExpression } from '../schedule/cron-expression.ts';

/**
 * The whole configuration in one place, with every default documented here and in
 * docs/configuration.md. Objects are strict: an unknown key is an error.
 */

const duration = (fallback: string) =>
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

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$/i;
const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
const size = (fallback: string) =>
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

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a slug: lowercase letters, digits and dashes');

const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/Berlin' },
);

export const categorySchema = z.strictObject({
  title: z.string().min(1),
  /** The title per locale (`ru`, `de`, `de-CH`…), for section headings; `title` where none fits. */
  titles: z.record(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a locale such as de or pt-BR'), z.string().min(1)).optional(),
  /** Source labels that mean this category (matched case- and accent-insensitively). */
  aliases: z.array(z.string()).default([]),
  /** Words that put an uncategorized article into this category; they win over the classifier. */
  keywords: z.array(z.string()).default([]),
});

const sourceBase = {
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a name of letters, digits, dots, dashes or underscores'),
  /** The name readers see; default: the feed's or site's own name. */
  title: z.string().trim().min(1).optional(),
  /** Categories given to every article of this source, besides its own labels. */
  categories: z.array(slug).default([]),
  enabled: z.boolean().default(true),
  /** How often the scheduler ingests this source (it is also ingested right before every edition). */
  every: duration('30m').refine((ms) => ms >= 1000, { message: 'must be at least 1s' }),
};

const feedSource = z
  .strictObject({
    ...sourceBase,
    type: z.literal('feed'),
    url: httpUrl.optional(),
    path: z.string().optional(),
    /** Fetch each item's page for its full text: when the item is shorter than `fullText.minWords` (auto), always, or never. */
    fullText: z.enum(['auto', 'always', 'never']).default('auto'),
  })
  .refine((s) => Boolean(s.url) !== Boolean(s.path), { message: 'a feed needs exactly one of url or path' });
const pageSource = z
  .strictObject({ ...sourceBase, type: z.literal('page'), url: httpUrl.optional(), path: z.string().optional() })
  .refine((s) => Boolean(s.url) !== Boolean(s.path), { message: 'a page needs exactly one of url or path' });
const folderSource = z.strictObject({ ...sourceBase, type: z.literal('folder'), path: z.string().min(1) });

export const sourceSchema = z.discriminatedUnion('type', [feedSource, pageSource, folderSource]);

export const fetchLimitsSchema = z
  .strictObject({
    maxBytes: size('10MB'),
    timeout: duration('30s'),
    maxRedirects: z.number().int().min(0).max(20).default(5),
    userAgent: z.string().default('Tidings/0.1 (+https://github.com/tidings)'),
    /**
     * Links found in feeds (full-text pages) may reach loopback, private and link-local
     * addresses. Off by default (SSRF); configured source URLs are never restricted.
     */
    allowPrivateNetworks: z.boolean().default(false),
  })
  .prefault({});

/** Full text for excerpt-only feed items (per source: `sources[].fullText`). */
export const fullTextSchema = z
  .strictObject({
    /** An item whose text has fewer words than this gets its page fetched (`fullText: auto`). */
    minWords: z.number().int().min(1).default(150),
    /** Pages fetched at once, across hosts. */
    maxConcurrent: z.number().int().min(1).max(32).default(4),
    /** Pause between two requests to the same host (robots.txt included). */
    perHostDelay: duration('1s'),
    /** The robots.txt product token looked for before `*`. */
    robotsAgent: z.string().regex(/^[A-Za-z_-]+$/).default('tidings'),
  })
  .prefault({});

/**
 * The budget of one page's parse (pre-pass and Readability, in a worker thread), on
 * top of the fetch timeout: a page over it fails its source, or is flattened.
 */
export const parseLimitsSchema = z
  .strictObject({
    /** Wall time for one page's parse; the worker is stopped past it (SOURCE_PARSE_TIMEOUT). */
    timeout: duration('20s'),
    /** Elements nested deeper than this are flattened into their ancestor at this depth. */
    maxDepth: z.number().int().min(8).max(1024).default(128),
    /** A page with more elements fails (SOURCE_TOO_COMPLEX) before any DOM is built. */
    maxElements: z.number().int().min(100).default(50_000),
    /** Characters of page text kept; the rest of a longer page is left out, with a warning. */
    maxText: z.number().int().min(1000).default(500_000),
    /** Heap of the parsing worker; a page that needs more fails (SOURCE_TOO_COMPLEX). */
    maxMemory: size('96MB'),
  })
  .prefault({});

/** The default instruction; `{maxWords}` is replaced by the newsletter's word budget. */
export const DEFAULT_LLM_PROMPT =
  'Summarize the news article below in at most {maxWords} words, in the language of the article. ' +
  'State the facts it reports; add nothing it does not say. Answer with the summary only: plain text, no title, no markup, no preamble.';

/**
 * Abstractive summaries from an OpenAI-compatible chat-completions endpoint (Ollama,
 * llama.cpp server, vLLM, a hosted API), used when an edition is built; the extractive
 * summary stands in whenever the model fails (docs/summaries.md). Absent: no model.
 */
export const llmSummarySchema = z.strictObject({
  /** Up to the API version, e.g. http://127.0.0.1:11434/v1 (Ollama); `/chat/completions` is appended. */
  baseUrl: httpUrl.refine((value) => !/^[a-z]+:\/\/[^/?#]*@/i.test(value), {
    message: 'must not hold credentials (user:password@): give the key as apiKey from the environment',
  }),
  model: z.string().trim().min(1),
  /**
   * Sent as `Authorization: Bearer …`; only as an environment reference (`${LLM_API_KEY}`),
   * checked in load-config.ts. Absent: no Authorization header (local servers need none).
   */
  apiKey: z.string().min(1).optional(),
  /** One request, from connect to the last byte of the answer. */
  timeout: duration('60s'),
  /** Requests in flight at once (a local model serves one or two well). */
  maxConcurrent: z.number().int().min(1).max(32).default(2),
  /** The instruction sent as the system message; `{maxWords}` becomes the word budget. */
  prompt: z.string().trim().min(1).default(DEFAULT_LLM_PROMPT),
  /** Characters of article text sent (the beginning of the article); small models have small contexts. */
  maxInputChars: z.number().int().min(500).max(200_000).default(12_000),
});

export const summarySchema = z
  .strictObject({
    maxWords: z.number().int().min(10).max(400).default(60),
    minSentences: z.number().int().min(1).max(10).default(2),
    maxSentences: z.number().int().min(1).max(10).default(3),
    /** Use the source's own description when it is a real summary (see docs/configuration.md). */
    preferSourceDescription: z.boolean().default(true),
    llm: llmSummarySchema.optional(),
  })
  .prefault({});

/** Near-duplicate stories from different sources, collapsed when an edition is built. */
export const dedupeSchema = z
  .strictObject({
    /** Jaccard similarity of title+lead word shingles at which two articles are one story; 1 keeps only near-identical ones. */
    threshold: z.number().gt(0).max(1).default(0.5),
    /** Words of the lead (description, then text) compared besides the title. */
    leadWords: z.number().int().min(10).max(1000).default(80),
  })
  .prefault({});

export const classifierSchema = z
  .strictObject({
    /** Below this probability an article stays uncategorized rather than being forced into one. */
    minConfidence: z.number().min(0).max(1).default(0.5),
    /** The classifier needs at least this many labelled articles per category to predict it. */
    minExamples: z.number().int().min(1).default(3),
    /**
     * Most of the store's articles without a category the classifier self-trains on
     * (the newest). More costs fit time (about 0.3 s of CPU per 1000 on a 3000-article
     * store), 0 turns self-training off.
     */
    maxUnlabelled: z.number().int().min(0).max(20000).default(1000),
  })
  .prefault({});

const cronExpression = z.string().superRefine((text, ctx) => {
  const parsed = parseCronExpression(text);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
});

const optionalDuration = z
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

const emailAddresses = z.array(z.string().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'must be an email address such as editor@example.org'));

const newsletterSchema = z.strictObject({
  id: slug,
  title: z.string().min(1),
  description: z.string().default(''),
  categories: z.array(slug).min(1),
  /** `24h`, `7d`… or `since-last`: everything since the previous edition of this newsletter. */
  window: z.union([z.literal('since-last'), z.string().regex(/^\d+(ms|s|m|h|d|w)$/, 'must be a duration or since-last')]).default('24h'),
  maxArticles: z.number().int().min(1).max(100).default(15),
  perCategory: z.number().int().min(1).max(100).default(5),
  /** Thin-digest rule: with fewer articles than this the edition (or one subscriber's digest) is skipped. */
  minArticles: z.number().int().min(0).default(3),
  template: z.string().regex(/^[a-z0-9-]+$/).default('digest'),
  subject: z.string().default('{{newsletter.title}} · {{date}}'),
  preheader: z.string().default('{{topStory.title}}'),
  from: z.string().min(3),
  replyTo: z.string().optional(),
  locale: z.string().default('en'),
  /**
   * Which articles a reader gets by language: `subscriber` leaves out articles whose
   * known language differs from the reader's locale language; `any` sends all.
   */
  languages: z.enum(['subscriber', 'any']).default('subscriber'),
  /**
   * Locale strings for this newsletter only, over templates/locales: locale → key → text,
   * e.g. `{ de: { greeting: 'Moin %%{first_name}%%,' } }`. Keys must exist in the locale files.
   */
  strings: z
    .record(
      z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a locale such as de or pt-BR'),
      z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a locale key such as greeting'), z.string()),
    )
    .optional(),
  timezone: timeZone.default('UTC'),
  /** When true, `send` refuses an edition until an editor approved it (`tidings edition approve`). */
  requireApproval: z.boolean().default(false),
  /** Cron expression (node-cron syntax, 5 or 6 fields) in the newsletter's time zone: when `tidings schedule` sends. */
  schedule: cronExpression.optional(),
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
  summary: z
    .strictObject({
      maxWords: z.number().int().min(10).max(400).optional(),
      maxSentences: z.number().int().min(1).max(10).optional(),
    })
    .optional(),
}).transform((newsletter) => ({
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
const outboxTransport = z.strictObject({ type: z.literal('outbox'), dir: z.string().default('outbox'), returnPath: z.string().optional() });

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

export const webSchema = z
  .strictObject({
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
    /** mailto address for List-Unsubscribe. */
    unsubscribeMailto: z.string().optional(),
    /**
     * Behind a reverse proxy: trust X-Forwarded-For from it (true, a hop count, or the
     * proxy's addresses as "127.0.0.1,10.0.0.0/8"), so rate limits see the reader's address.
     */
    trustProxy: z.union([z.boolean(), z.number().int().min(1), z.string().min(1)]).default(false),
    rateLimit: z
      .strictObject({
        /** Requests per minute from one address, across every page. */
        perMinute: z.number().int().min(1).default(120),
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
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopback = host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1';
  return loopback ? 'direct' : 'proxy';
}
/** Where the SQLite store lives unless `store.path` says otherwise; its folder is the data folder. */
export const DEFAULT_STORE_PATH = 'data/tidings.db';

export const configSchema = z.strictObject({
  store: z
    .strictObject({
      /** The SQLite file, and with `url` the data folder's anchor (link secret, outcome journal). */
      path: z.string().optional(),
      /** `postgres://…` (usually `${DATABASE_URL}`): the store is that PostgreSQL database; unset: SQLite at `path`. */
      url: z
        .string()
        .regex(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
        .optional(),
      /** How long a writer waits for another process's write transaction before giving up. */
      busyTimeout: duration('30s'),
      /** PostgreSQL: connections in each process's pool. */
      poolSize: z.number().int().min(1).max(100).default(10),
    })
    .superRefine((store, ctx) => {
      // Both set would leave the reader guessing which store holds the data.
      if (store.url && store.path !== undefined && store.path !== DEFAULT_STORE_PATH) {
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'store.url and store.path name two different stores: keep one (store.path stays the data folder only at its default)' });
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
      passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as TIDINGS_BOUNCES_PASSWORD').default('TIDINGS_BOUNCES_PASSWORD'),
      /** A PEM file with a CA to trust for the IMAP server besides the bundled ones (a private CA). */
      tlsCa: z.string().min(1).optional(),
      /** IMAP: time to connect, for the greeting, and for any silence on the open connection. */
      timeout: duration('60s'),
    })
    .superRefine((bounces, ctx) => {
      if (bounces.mailbox && bounces.maildir) ctx.addIssue({ code: 'custom', path: ['maildir'], message: 'set bounces.mailbox or its older name bounces.maildir, not both' });
      const value = bounces.mailbox ?? bounces.maildir;
      const location = value === undefined ? null : parseMailboxLocation(value);
      if (typeof location === 'string') ctx.addIssue({ code: 'custom', path: [bounces.mailbox ? 'mailbox' : 'maildir'], message: location });
      else if (location?.kind === 'imap' && bounces.maildir) ctx.addIssue({ code: 'custom', path: ['maildir'], message: 'an IMAP URL goes in bounces.mailbox' });
    })
    .transform(({ maildir, mailbox, ...rest }) => ({ ...rest, mailbox: mailbox ?? maildir }))
    .prefault({}),
  /** Article images in the email: `proxy` (through `/img/`), `direct` (the site's URL) or `none`; default: defaultImageMode. */
  images: imageModeSchema.optional(),
}).transform((config) => ({ ...config, images: config.images ?? defaultImageMode(config.web.baseUrl) }));

export type TidingsConfig = z.output<typeof configSchema>;
export type CategoryConfig = z.output<typeof categorySchema>;
export type SourceConfig = z.output<typeof sourceSchema>;
/** `allowPrivateNetworks` is read by the full-text fetch only, so callers of fetchResource may leave it out. */
export type FetchLimits = Omit<z.output<typeof fetchLimitsSchema>, 'allowPrivateNetworks'> & { allowPrivateNetworks?: boolean };
export type ParseLimits = z.output<typeof parseLimitsSchema>;
export type SummaryOptions = z.output<typeof summarySchema>;
export type LlmSummaryOptions = z.output<typeof llmSummarySchema>;
export type ClassifierOptions = z.output<typeof classifierSchema>;
export type DedupeOptions = z.output<typeof dedupeSchema>;
export type FullTextOptions = z.output<typeof fullTextSchema>;
export type NewsletterConfig = z.output<typeof newsletterSchema>;
export type TransportConfig = z.output<typeof transportSchema>;
export type DeliveryOptions = z.output<typeof deliverySchema>;
export type WebConfig = z.output<typeof webSchema>;
export type DeskConfig = z.output<typeof deskSchema>;
export type ImageModeConfig = z.output<typeof imageModeSchema>;
