import { webhookDeliveriesTable } from '../rows/webhook-rows.ts';

/**
 * Versioned schema. Each migration runs once, in order, in its own transaction;
 * `PRAGMA user_version` records how far a file has come.
 * Area owners: 1 articles (ingest), 2 editions, 3 subscribers, 4 deliveries, 5 send leases,
 * 6 subscriber lifecycle, 7 scheduler, 8 source fetch state, 9 editor desk,
 * 10 delivery events and reader fields, 11 page cache (full text), 13 model-written summaries,
 * 14 ambiguous resolutions (deliveries), 15 desk login throttles, 16 edition audience (an
 * edition is queued whole or visibly not), 17 store heartbeat and queued signup mail, 19 webhook deliveries, 27 cadence of a signup request.
 * Keep the array in version order.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'articles',
    sql: `
      CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        url TEXT,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        description TEXT,
        summary TEXT,
        published_at TEXT,
        categories TEXT NOT NULL DEFAULT '[]',
        -- 'source' when a label or the source default gave a configured category,
        -- 'classifier' when the classifier assigned it, 'none' when nothing did.
        category_origin TEXT NOT NULL DEFAULT 'none',
        source TEXT NOT NULL,
        author TEXT,
        image_url TEXT,
        language TEXT,
        content_hash TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX articles_published ON articles (published_at);
      CREATE INDEX articles_hash ON articles (content_hash);
      CREATE TABLE article_categories (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        category TEXT NOT NULL,
        PRIMARY KEY (article_id, category)
      );
      CREATE INDEX article_categories_category ON article_categories (category, article_id);
      CREATE TABLE summary_cache (
        content_hash TEXT NOT NULL,
        version TEXT NOT NULL,
        summary TEXT NOT NULL,
        PRIMARY KEY (content_hash, version)
      );
    `,
  },
  {
    version: 2,
    name: 'editions',
    sql: `
      CREATE TABLE editions (
        id TEXT PRIMARY KEY,               -- newsletter/slot
        newsletter_id TEXT NOT NULL,
        slot TEXT NOT NULL,                -- ISO 8601 with the newsletter's offset
        slot_utc TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'draft',  -- draft | approved | sending | sent | skipped
        status_reason TEXT,
        intro TEXT,
        built_at TEXT NOT NULL,
        approved_at TEXT,
        approved_by TEXT,
        UNIQUE (newsletter_id, slot_utc)
      );
      CREATE TABLE edition_articles (
        edition_id TEXT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
        article_id TEXT NOT NULL,
        category TEXT NOT NULL,
        position INTEGER NOT NULL,
        pinned INTEGER NOT NULL DEFAULT 0,
        excluded INTEGER NOT NULL DEFAULT 0,
        title_override TEXT,
        summary_override TEXT,
        -- The article as it was when the edition was built: the edition's content is frozen.
        snapshot TEXT NOT NULL,
        PRIMARY KEY (edition_id, article_id)
      );
      CREATE INDEX edition_articles_article ON edition_articles (article_id);
    `,
  },
  {
    version: 3,
    name: 'subscribers',
    sql: `
      CREATE TABLE subscribers (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,        -- lower-cased addr-spec
        name TEXT,
        locale TEXT,
        timezone TEXT,
        status TEXT NOT NULL DEFAULT 'active',  -- active | paused | bounced
        -- 'file' while the lists decide; 'store' once the subscriber or a bounce changed it.
        status_origin TEXT NOT NULL DEFAULT 'file',
        hard_bounces INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE subscriptions (
        subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
        newsletter_id TEXT NOT NULL,
        categories TEXT,                   -- JSON array subset, NULL = all of the newsletter's
        status TEXT NOT NULL DEFAULT 'active', -- active | unsubscribed | removed (gone from the files)
        origin TEXT NOT NULL DEFAULT 'file',   -- who last decided the status: file | subscriber
        categories_origin TEXT NOT NULL DEFAULT 'file', -- who chose the categories: file | subscriber
        updated_at TEXT NOT NULL,
        PRIMARY KEY (newsletter_id, subscriber_id)
      );
      CREATE INDEX subscriptions_subscriber ON subscriptions (subscriber_id);
    `,
  },
  {
    version: 4,
    name: 'deliveries',
    sql: `
      CREATE TABLE deliveries (
        edition_id TEXT NOT NULL,
        subscriber_id INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending', -- pending | sending | accepted | failed | skipped
        segment TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_at TEXT,
        finished_at TEXT,
        message_id TEXT,
        response TEXT,
        error_code TEXT,
        reason TEXT,
        retryable INTEGER NOT NULL DEFAULT 0,  -- a failed row the next run sends again (4xx, connection)
        PRIMARY KEY (edition_id, subscriber_id)
      );
      CREATE INDEX deliveries_status ON deliveries (edition_id, status);
      CREATE INDEX deliveries_subscriber ON deliveries (subscriber_id, status);
      -- Articles a subscriber received in an accepted delivery ("never seen twice").
      CREATE TABLE received_articles (
        subscriber_id INTEGER NOT NULL,
        article_id TEXT NOT NULL,
        edition_id TEXT NOT NULL,
        PRIMARY KEY (subscriber_id, article_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'send leases',
    sql: `
      -- One row per edition being sent: who sends it and until when the claim holds without
      -- a heartbeat. A crashed run's lease expires; a second send of the edition is refused meanwhile.
      CREATE TABLE send_leases (
        edition_id TEXT PRIMARY KEY,
        holder TEXT NOT NULL,              -- unique per run: host, pid and a random tag
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        acquired_at TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'subscriber lifecycle',
    sql: `
      -- What a subscriber set on the preferences page wins over the files: 'subscriber' keeps locale and time zone.
      ALTER TABLE subscribers ADD COLUMN profile_origin TEXT NOT NULL DEFAULT 'file';
      ALTER TABLE subscribers ADD COLUMN paused_until TEXT;   -- YYYY-MM-DD (UTC): no mail before that day
      ALTER TABLE subscribers ADD COLUMN erased_at TEXT;      -- set on erasure; the row is then a tombstone
      -- Addresses never to be added or mailed again: a SHA-256 of the normalized address, never the address.
      CREATE TABLE suppressions (
        address_hash TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) WITHOUT ROWID;
      -- Double opt-in requests; rows are purged once expired.
      CREATE TABLE signup_requests (
        id INTEGER PRIMARY KEY,
        newsletter_id TEXT NOT NULL,
        email TEXT NOT NULL,
        name TEXT,
        categories TEXT,                   -- JSON array, NULL = all
        locale TEXT,
        ip_hash TEXT,
        kind TEXT NOT NULL,                -- confirm | already (which mail was sent)
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        confirmed_at TEXT
      );
      CREATE INDEX signup_requests_email ON signup_requests (email, created_at);
      CREATE INDEX signup_requests_ip ON signup_requests (ip_hash, created_at);
      -- One row per unsubscribe that changed something; edition_id from the signed link (NULL when unknown).
      CREATE TABLE unsubscribe_events (
        id INTEGER PRIMARY KEY,
        subscriber_id INTEGER NOT NULL,
        newsletter_id TEXT NOT NULL,
        edition_id TEXT,
        channel TEXT NOT NULL,             -- web | one-click | mail | preferences | operator
        at TEXT NOT NULL
      );
      CREATE INDEX unsubscribe_events_edition ON unsubscribe_events (edition_id);
      CREATE INDEX unsubscribe_events_subscriber ON unsubscribe_events (subscriber_id);
    `,
  },
  {
    version: 7,
    name: 'scheduler',
    sql: `
      -- One scheduler per store: the holder renews expires_at with each heartbeat.
      CREATE TABLE scheduler_lease (
        name TEXT PRIMARY KEY,             -- 'scheduler'
        holder TEXT NOT NULL,              -- host:pid:random of the process holding it
        acquired_at TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      -- What the scheduler decided and did, per newsletter and slot (tidings schedule --list).
      CREATE TABLE schedule_events (
        id INTEGER PRIMARY KEY,
        newsletter_id TEXT NOT NULL,
        edition_id TEXT NOT NULL,
        kind TEXT NOT NULL,                -- prepared | editors-notified | sent | skipped | missed | waiting | failed
        detail TEXT,
        at TEXT NOT NULL
      );
      CREATE INDEX schedule_events_newsletter ON schedule_events (newsletter_id, id);
      CREATE INDEX schedule_events_edition ON schedule_events (edition_id, kind);
      CREATE TABLE scheduler_state (
        key TEXT PRIMARY KEY,              -- 'lastTickAt'
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'source fetch state',
    sql: `
      -- One row per configured source: validators for conditional GET and how fetching went.
      CREATE TABLE source_fetch_state (
        source TEXT PRIMARY KEY,
        location TEXT,                     -- the URL or path the validators belong to
        etag TEXT,
        last_modified TEXT,
        last_fetched_at TEXT,
        last_ok_at TEXT,
        last_failed_at TEXT,
        last_error TEXT,
        last_error_code TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        total_failures INTEGER NOT NULL DEFAULT 0
      );
    `,
  },
  {
    version: 9,
    name: 'editor desk',
    sql: `
      -- The name readers see for a source (config title, else the feed's or site's own name).
      ALTER TABLE articles ADD COLUMN source_title TEXT;
      -- Full-text search over the store for editors; kept in step with articles by triggers.
      CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content = 'articles', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
      END;
      CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
      END;
      CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
      END;
      INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
      ALTER TABLE editions ADD COLUMN approval_withdrawn_by TEXT;
      -- Articles or whole sources an editor keeps out of a newsletter's later editions.
      CREATE TABLE newsletter_blocks (
        newsletter_id TEXT NOT NULL,
        kind TEXT NOT NULL,                -- article | source
        value TEXT NOT NULL,               -- article id or configured source name
        blocked_by TEXT NOT NULL,
        blocked_at TEXT NOT NULL,
        PRIMARY KEY (newsletter_id, kind, value)
      );
      CREATE TABLE editors (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        email TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,                -- editor | admin
        password_hash TEXT NOT NULL,       -- scrypt$N$r$p$salt$hash
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE desk_sessions (
        id_hash TEXT PRIMARY KEY,          -- sha256 of the cookie value: a stolen file holds no usable id
        editor_id INTEGER NOT NULL REFERENCES editors (id) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL
      );
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        newsletter_id TEXT,
        edition_id TEXT,
        details TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_log_edition ON audit_log (edition_id, id);
    `,
  },
  {
    version: 10,
    name: 'delivery events, subscriber first name and languages',
    sql: `
      -- Bounces and complaints that came back after a delivery was accepted (tidings bounces process).
      CREATE TABLE delivery_events (
        id INTEGER PRIMARY KEY,
        edition_id TEXT NOT NULL,
        subscriber_id INTEGER NOT NULL,
        kind TEXT NOT NULL,                -- hard-bounce | soft-bounce | complaint
        status TEXT,                       -- 5.1.1, 4.2.2 (bounces) or abuse (complaints)
        detail TEXT,
        report_id TEXT NOT NULL,           -- the report's Maildir name: one report is counted once
        at TEXT NOT NULL,
        UNIQUE (report_id, edition_id, subscriber_id, kind)
      );
      CREATE INDEX delivery_events_edition ON delivery_events (edition_id, kind);
      -- From the subscriber files: what the greeting calls the reader, and the languages they read.
      ALTER TABLE subscribers ADD COLUMN first_name TEXT;
      ALTER TABLE subscribers ADD COLUMN languages TEXT;  -- JSON array of language tags; NULL = their locale's language
    `,
  },
  {
    version: 11,
    name: 'full-text page cache',
    sql: `
      -- Full text fetched for excerpt-only feed items, by URL, with the validators of the
      -- response so the next run fetches conditionally (a 304 reuses the text).
      CREATE TABLE page_cache (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        title TEXT,
        text TEXT NOT NULL,
        image_url TEXT,
        fetched_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 13,
    name: 'model-written summary cache',
    sql: `
      -- Summaries a language model wrote (summaries.llm), so the model is asked once per
      -- article version: keyed by the article's content hash, the model, and a hash of the
      -- prompt and options that shape the answer. Fallbacks are not cached (tried again).
      CREATE TABLE llm_summary_cache (
        content_hash TEXT NOT NULL,
        model TEXT NOT NULL,
        variant TEXT NOT NULL,             -- sha256 of the prompt and options
        summary TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (content_hash, model, variant)
      );
    `,
  },
  {
    version: 14,
    name: 'ambiguous resolutions',
    sql: `
      -- An operator's decision on an ambiguous row (tidings deliveries resolve): the mail
      -- server's log says it has the message (accepted) or not (back to pending, resent).
      -- Kept after the resend, so a sent edition still says who resolved what.
      ALTER TABLE deliveries ADD COLUMN resolution TEXT;
      ALTER TABLE deliveries ADD COLUMN resolved_by TEXT;
      ALTER TABLE deliveries ADD COLUMN resolved_at TEXT;
    `,
  },
  {
    version: 15,
    name: 'desk login throttles',
    sql: `
      -- Failed desk logins by (account, client address) with the time until which that
      -- address must wait (src/app/desk/desk-auth.ts): a stranger slows down only themselves.
      CREATE TABLE login_throttles (
        editor_id INTEGER NOT NULL REFERENCES editors (id) ON DELETE CASCADE,
        address TEXT NOT NULL,
        failures INTEGER NOT NULL,
        blocked_until TEXT,
        last_failure_at TEXT NOT NULL,
        PRIMARY KEY (editor_id, address)
      );
    `,
  },
  {
    version: 16,
    name: 'edition audience (queued whole or visibly not)',
    sql: `
      -- The readers an edition must reach, recorded when its send starts: bounded by the
      -- largest subscriber id then (listmonk's approach), so "everyone has a final row" is
      -- a question with an answer. NULL: not recorded yet (the next send records it).
      ALTER TABLE editions ADD COLUMN audience_max_id INTEGER;
      ALTER TABLE editions ADD COLUMN audience_total INTEGER;
      -- Every reader of the audience with an id up to this one has a ledger row: queuing
      -- resumes after it, whoever stopped (a killed send, a --limit).
      ALTER TABLE editions ADD COLUMN queued_through INTEGER NOT NULL DEFAULT 0;
      -- Why queuing stopped on purpose (send --limit): workers leave such an edition alone.
      ALTER TABLE editions ADD COLUMN queue_held_by TEXT;
    `,
  },
  {
    version: 17,
    name: 'store heartbeat and queued signup mail',
    sql: `
      -- /healthz writes one row here: a store that cannot take a write is not healthy.
      CREATE TABLE store_heartbeats (
        name TEXT PRIMARY KEY,
        at TEXT NOT NULL
      );
      -- Confirmation mails are sent from the store, so a stop (or a crash) before the mail
      -- went out leaves it queued for the next process. Rows from before were handled then.
      ALTER TABLE signup_requests ADD COLUMN mail_status TEXT NOT NULL DEFAULT 'sent'; -- queued | sending | sent | failed
      ALTER TABLE signup_requests ADD COLUMN mail_claimed_at TEXT;
      CREATE INDEX signup_requests_mail ON signup_requests (mail_status, id);
    `,
  },
  {
    version: 18,
    name: 'json api tokens and idempotency keys',
    sql: `
      -- Bearer tokens of the JSON API (src/web/api/): only the SHA-256 of a token is kept.
      -- A name is unique among live tokens; a revoked token stays listed with its last use.
      CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL, -- JSON array
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
      );
      CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;
      -- The answer to a POST with an Idempotency-Key, per token, for 24 hours (status NULL: running).
      CREATE TABLE api_idempotency_keys (
        token_id INTEGER NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER,
        body TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (token_id, key)
      );
      CREATE INDEX api_idempotency_keys_created ON api_idempotency_keys (created_at);
    `,
  },
  {
    version: 19,
    name: 'webhook deliveries',
    sql: webhookDeliveriesTable('INTEGER PRIMARY KEY AUTOINCREMENT', 'TEXT'),
  },
  {
    version: 21,
    name: 'aggregate clicks and single-use approval links',
    sql: `
      -- Clicks on the /c/ links of newsletters with analytics: aggregate, one row per
      -- (edition, article, section); source and slot copied in for the 30-day reports.
      -- Nothing about the reader: no subscriber, address, user agent or click time.
      CREATE TABLE click_counts (
        edition_id TEXT NOT NULL,
        newsletter_id TEXT NOT NULL,
        slot_utc TEXT NOT NULL,
        article_id TEXT NOT NULL,
        section TEXT NOT NULL,
        source TEXT NOT NULL,
        clicks INTEGER NOT NULL DEFAULT 0,
        filtered INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (edition_id, article_id, section)
      );
      CREATE INDEX click_counts_slot ON click_counts (slot_utc);
      -- Buttons of the approval email that were used (each works once), by token hash.
      CREATE TABLE approval_links_used (
        token_hash TEXT PRIMARY KEY,
        edition_id TEXT NOT NULL,
        action TEXT NOT NULL,
        editor TEXT NOT NULL,
        used_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 25,
    name: 'language of full-text pages',
    sql: `
      -- A page fetched for full text declares its language (<html lang>); an item whose feed
      -- gives none takes the page's. Pages cached before keep null until they change.
      ALTER TABLE page_cache ADD COLUMN language TEXT;
    `,
  },
  {
    version: 26,
    name: 'reader cadence',
    sql: `
      -- A reader's pace within one newsletter (issue 26): NULL = the newsletter's first
      -- cadence. A change waits for the end of the current period: next_cadence applies to
      -- slots after next_cadence_after (ISO, UTC), both NULL when nothing is pending.
      ALTER TABLE subscriptions ADD COLUMN cadence TEXT;
      ALTER TABLE subscriptions ADD COLUMN next_cadence TEXT;
      ALTER TABLE subscriptions ADD COLUMN next_cadence_after TEXT;
      -- Who chose the cadence: 'file' (subscriber files) until the reader (or an operator
      -- in their name) changed it; then later syncs keep it, as with categories.
      ALTER TABLE subscriptions ADD COLUMN cadence_origin TEXT NOT NULL DEFAULT 'file';
    `,
  },
  {
    version: 27,
    name: 'cadence chosen at signup',
    sql: `
      -- The cadence a reader chose on the signup form (issue 26): stored with the request so
      -- the confirmation, possibly sent by another process, subscribes at that cadence.
      -- NULL: the newsletter's default (its first cadence).
      ALTER TABLE signup_requests ADD COLUMN cadence TEXT;
    `,
  },
];
