import type { PgMigration } from '../pg-migrations.ts';

/**
 * Text compared and sorted byte by byte, like SQLite's BINARY collation: ids, ISO times
 * and names then order the same in both stores whatever the database's locale is (a
 * locale collation ignores punctuation such as `-` and `:` at first level).
 */
const T = 'TEXT COLLATE "C"';

/**
 * Case and accent folding for the search index, as SQLite's `unicode61 remove_diacritics 2`
 * tokenizer does it: Latin, Greek and Cyrillic letters fold to lower case, and Latin letters also
 * lose their accents (`Café`, `CAFE`, `cafe` are one word; Cyrillic `ё` and Greek `ή`
 * stay distinct from `е` and `η`, as in SQLite). Built from Unicode's own case mappings
 * and canonical decompositions, so it needs no extension (`unaccent`), does not depend on
 * the database's locale, and a plain `translate` is IMMUTABLE, as a generated column requires.
 */
function foldingPairs(): { from: string; to: string } {
  let from = '';
  let to = '';
  const latin: [number, number][] = [
    [0x41, 0x5a],
    [0xc0, 0x24f],
    [0x1e00, 0x1eff],
  ];
  const other: [number, number][] = [
    [0x370, 0x3ff],
    [0x400, 0x52f],
    [0x1f00, 0x1fff],
  ];
  for (const [ranges, strip] of [
    [latin, true],
    [other, false],
  ] as const) {
    for (const [start, end] of ranges) {
      for (let code = start; code <= end; code++) {
        const char = String.fromCodePoint(code);
        const base = strip ? char.normalize('NFD').replace(/\p{M}/gu, '') : char;
        const folded = base.toLowerCase();
        if (folded.length === 1 && folded !== char && /\p{L}/u.test(char)) {
          from += char;
          to += folded;
        }
      }
    }
  }
  return { from, to };
}
const FOLD = foldingPairs();

/**
 * Articles, editions, audit log, editors, source fetch state, page cache: the tables of
 * sqlite migrations 1, 2, 8, 9 and 11 with the same table and column names, so that
 * `tidings store copy` moves rows column by column. Times stay ISO 8601 text and flags
 * stay 0/1 integers, as in SQLite: values read back exactly as they were written. JSON
 * columns (categories, snapshot, details) are text for the same reason.
 * What SQLite does with virtual tables and rowids is done here with a generated
 * tsvector column (search) and identity columns (editors, audit_log, block order).
 */
export const CONTENT_SCHEMA: PgMigration = {
  version: 1,
  name: 'content',
  sql: `
    CREATE FUNCTION tidings_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT translate(value, '${FOLD.from}', '${FOLD.to}') $$;
    CREATE TABLE articles (
      id ${T} PRIMARY KEY,
      url ${T},
      title ${T} NOT NULL,
      text ${T} NOT NULL,
      description ${T},
      summary ${T},
      published_at ${T},
      categories ${T} NOT NULL DEFAULT '[]',
      category_origin ${T} NOT NULL DEFAULT 'none',
      source ${T} NOT NULL,
      source_title ${T},
      author ${T},
      image_url ${T},
      language ${T},
      content_hash ${T} NOT NULL,
      first_seen_at ${T} NOT NULL,
      updated_at ${T} NOT NULL,
      -- The editor's search (sqlite: articles_fts): titles weigh more than text.
      search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', tidings_fold(title)), 'A') || setweight(to_tsvector('simple', tidings_fold(text)), 'B')
      ) STORED
    );
    CREATE INDEX articles_published ON articles (published_at);
    CREATE INDEX articles_effective_time ON articles ((COALESCE(published_at, first_seen_at)));
    CREATE INDEX articles_hash ON articles (content_hash);
    CREATE INDEX articles_search ON articles USING GIN (search);
    CREATE TABLE article_categories (
      article_id ${T} NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
      category ${T} NOT NULL,
      PRIMARY KEY (article_id, category)
    );
    CREATE INDEX article_categories_category ON article_categories (category, article_id);
    CREATE TABLE summary_cache (
      content_hash ${T} NOT NULL,
      version ${T} NOT NULL,
      summary ${T} NOT NULL,
      PRIMARY KEY (content_hash, version)
    );

    CREATE TABLE editions (
      id ${T} PRIMARY KEY,
      newsletter_id ${T} NOT NULL,
      slot ${T} NOT NULL,
      slot_utc ${T} NOT NULL,
      status ${T} NOT NULL DEFAULT 'draft',
      status_reason ${T},
      intro ${T},
      built_at ${T} NOT NULL,
      approved_at ${T},
      approved_by ${T},
      approval_withdrawn_by ${T},
      UNIQUE (newsletter_id, slot_utc)
    );
    CREATE TABLE edition_articles (
      edition_id ${T} NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
      article_id ${T} NOT NULL,
      category ${T} NOT NULL,
      position INTEGER NOT NULL,
      pinned INTEGER NOT NULL DEFAULT 0,
      excluded INTEGER NOT NULL DEFAULT 0,
      title_override ${T},
      summary_override ${T},
      snapshot ${T} NOT NULL,
      PRIMARY KEY (edition_id, article_id)
    );
    CREATE INDEX edition_articles_article ON edition_articles (article_id);
    CREATE TABLE newsletter_blocks (
      newsletter_id ${T} NOT NULL,
      kind ${T} NOT NULL,
      value ${T} NOT NULL,
      blocked_by ${T} NOT NULL,
      blocked_at ${T} NOT NULL,
      -- Insertion order (sqlite: rowid): blocks are listed in the order they were made.
      seq INTEGER GENERATED BY DEFAULT AS IDENTITY,
      PRIMARY KEY (newsletter_id, kind, value)
    );

    CREATE TABLE editors (
      id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      name ${T} NOT NULL UNIQUE,
      email ${T} NOT NULL UNIQUE,
      role ${T} NOT NULL,
      password_hash ${T} NOT NULL,
      failed_logins INTEGER NOT NULL DEFAULT 0,
      locked_until ${T},
      created_at ${T} NOT NULL
    );
    CREATE TABLE desk_sessions (
      id_hash ${T} PRIMARY KEY,
      editor_id INTEGER NOT NULL REFERENCES editors (id) ON DELETE CASCADE,
      csrf_token ${T} NOT NULL,
      created_at ${T} NOT NULL,
      last_seen_at ${T} NOT NULL
    );
    CREATE TABLE audit_log (
      id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      at ${T} NOT NULL,
      actor ${T} NOT NULL,
      action ${T} NOT NULL,
      newsletter_id ${T},
      edition_id ${T},
      details ${T} NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_log_edition ON audit_log (edition_id, id);

    CREATE TABLE source_fetch_state (
      source ${T} PRIMARY KEY,
      location ${T},
      etag ${T},
      last_modified ${T},
      last_fetched_at ${T},
      last_ok_at ${T},
      last_failed_at ${T},
      last_error ${T},
      last_error_code ${T},
      consecutive_failures INTEGER NOT NULL DEFAULT 0,
      total_failures INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE page_cache (
      url ${T} PRIMARY KEY,
      etag ${T},
      last_modified ${T},
      title ${T},
      text ${T} NOT NULL,
      image_url ${T},
      fetched_at ${T} NOT NULL
    );
    CREATE TABLE llm_summary_cache (
      content_hash ${T} NOT NULL,
      model ${T} NOT NULL,
      variant ${T} NOT NULL,
      summary ${T} NOT NULL,
      created_at ${T} NOT NULL,
      PRIMARY KEY (content_hash, model, variant)
    );
  `,
};
