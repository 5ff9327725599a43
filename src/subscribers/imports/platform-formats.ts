import { cell, readBoolean, splitTags, type ImportStatus, type PlatformFormat } from './import-record.ts';

/**
 * The documented export columns of each platform (docs/operations.md, "Imports and
 * exports", lists them with the documentation page). Columns not named here are ignored:
 * exports carry merge fields, payment and tracking columns Tidings has no use for.
 */

const joinName = (...parts: (string | null)[]) => parts.filter(Boolean).join(' ') || null;

/**
 * Mailchimp "Export your audience": one file per section (subscribed, unsubscribed,
 * cleaned); the section shows in which time column is filled (UNSUB_TIME, CLEAN_TIME).
 */
const mailchimp: PlatformFormat = {
  describe: 'Mailchimp audience export (subscribed_, unsubscribed_ or cleaned_members_export_*.csv)',
  required: [['email address']],
  read(row) {
    const status: ImportStatus = cell(row, 'clean_time')
      ? 'cleaned'
      : cell(row, 'unsub_time')
        ? 'unsubscribed'
        : 'subscribed';
    const first = cell(row, 'first name');
    return {
      email: cell(row, 'email address') ?? '',
      name: joinName(first, cell(row, 'last name')),
      firstName: first,
      status,
      statusWord: status,
      tags: splitTags(cell(row, 'tags')),
      timezone: cell(row, 'timezone'),
    };
  },
};

/** Substack "Export your subscriber list": email_list.*.csv; email_disabled marks a reader who turned mail off. */
const substack: PlatformFormat = {
  describe: 'Substack subscriber export (email_list.*.csv)',
  required: [['email']],
  read(row) {
    const disabled = readBoolean(row.email_disabled);
    if (disabled === null) return { problem: `email_disabled "${row.email_disabled}" is not true or false` };
    return {
      email: cell(row, 'email') ?? '',
      name: cell(row, 'name'),
      firstName: null,
      status: disabled ? 'unsubscribed' : 'subscribed',
      statusWord: disabled ? 'email_disabled' : 'subscribed',
      tags: [],
      timezone: null,
    };
  },
};

const BUTTONDOWN_TYPES: Readonly<Record<string, ImportStatus>> = {
  regular: 'subscribed',
  premium: 'subscribed',
  trialed: 'subscribed',
  gifted: 'subscribed',
  churning: 'subscribed',
  churned: 'subscribed',
  past_due: 'subscribed',
  paused: 'paused',
  unactivated: 'unconfirmed',
  unpaid: 'unconfirmed',
  spammy: 'unconfirmed',
  unsubscribed: 'unsubscribed',
  removed: 'unsubscribed',
  undeliverable: 'bounced',
  complained: 'complained',
};

/** Buttondown "Exporting your subscribers": subscriber_type (type in newer exports) says the status. */
const buttondown: PlatformFormat = {
  describe: 'Buttondown subscriber export (subscribers.csv)',
  required: [['email', 'email_address']],
  read(row) {
    const word = (cell(row, 'subscriber_type') ?? cell(row, 'type') ?? 'regular').toLowerCase();
    const status = BUTTONDOWN_TYPES[word];
    if (!status) return { problem: `unknown subscriber type "${word}"` };
    return {
      email: cell(row, 'email') ?? cell(row, 'email_address') ?? '',
      name: null,
      firstName: null,
      status,
      statusWord: word,
      tags: splitTags(cell(row, 'tags')),
      timezone: null,
    };
  },
};

/** listmonk subscriber export: uuid, email, name, attributes, status (enabled | disabled | blocklisted). */
const listmonk: PlatformFormat = {
  describe: 'listmonk subscribers export (subscribers.csv)',
  required: [['email']],
  read(row) {
    const word = (cell(row, 'status') ?? 'enabled').toLowerCase();
    const status: ImportStatus | undefined = (
      { enabled: 'subscribed', disabled: 'unsubscribed', blocklisted: 'complained' } as const
    )[word as 'enabled'];
    if (!status) return { problem: `unknown status "${word}" (enabled, disabled or blocklisted)` };
    return {
      email: cell(row, 'email') ?? '',
      name: cell(row, 'name'),
      firstName: null,
      status,
      statusWord: word,
      tags: [],
      timezone: null,
    };
  },
};

/** Ghost "Members → Export": subscribed_to_emails false is an unsubscribe; labels are comma-separated. */
const ghost: PlatformFormat = {
  describe: 'Ghost members export (members.*.csv)',
  required: [['email']],
  read(row) {
    const subscribed = readBoolean(row.subscribed_to_emails ?? 'true');
    if (subscribed === null)
      return { problem: `subscribed_to_emails "${row.subscribed_to_emails}" is not true or false` };
    const disabled = readBoolean(row.email_disabled) === true;
    const status: ImportStatus = disabled ? 'bounced' : subscribed ? 'subscribed' : 'unsubscribed';
    return {
      email: cell(row, 'email') ?? '',
      name: cell(row, 'name'),
      firstName: null,
      status,
      statusWord: disabled ? 'email_disabled' : status,
      tags: splitTags(cell(row, 'labels')),
      timezone: null,
    };
  },
};

export const PLATFORM_FORMATS = { mailchimp, substack, buttondown, listmonk, ghost } as const;
export type PlatformName = keyof typeof PLATFORM_FORMATS;
export const IMPORT_SOURCES = [...(Object.keys(PLATFORM_FORMATS) as PlatformName[]), 'csv'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];
