import { isLoopbackHost } from './http-url.ts';
/**
 * Where bounce reports are read from: a local Maildir (a path) or a remote IMAP mailbox
 * (`imaps://user@host[:port]/MAILBOX`, `imap://…`). Parsed once, from the command line
 * or `bounces.mailbox`, so a bad value fails before anything connects.
 */
export type MailboxLocation = { kind: 'maildir'; path: string } | ImapLocation;

export interface ImapLocation {
  kind: 'imap';
  /** The URL as given, for messages (it cannot hold a password: those are refused). */
  url: string;
  host: string;
  port: number;
  user: string;
  /** The mailbox to read, `INBOX` when the URL has no path. */
  mailbox: string;
  /**
   * How the connection is protected: `tls` (imaps://, TLS from the first byte),
   * `starttls` (imap:// to a remote host: the upgrade is required, never skipped) or
   * `cleartext` (imap:// to a loopback address only: a local server, nothing on the wire).
   */
  security: 'tls' | 'starttls' | 'cleartext';
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * A Maildir path, or an IMAP URL; the reason as a string when the value is neither. A
 * password in the URL is refused: it would end up in the configuration file, the shell
 * history and the process list (it comes from an environment variable instead).
 */
export function parseMailboxLocation(value: string): MailboxLocation | string {
  if (!URL_LIKE.test(value)) return { kind: 'maildir', path: value };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${JSON.stringify(value)} is not a valid URL`;
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (scheme !== 'imap' && scheme !== 'imaps')
    return `${scheme}:// is not a mailbox: give a Maildir path or an imaps://user@host/INBOX URL`;
  if (url.password)
    return 'the URL holds a password: remove it and set it in the environment (bounces.passwordEnv, default TIDINGS_BOUNCES_PASSWORD)';
  if (!url.hostname) return 'the URL names no host';
  if (!url.username) return 'the URL names no user (imaps://user@host/INBOX)';
  if (url.search || url.hash) return 'the URL cannot have a query or a fragment';
  const mailbox = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
  const loopback = isLoopbackHost(url.hostname);
  return {
    kind: 'imap',
    url: `${scheme}://${url.username}@${url.host}/${encodeURI(mailbox)}`,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : scheme === 'imaps' ? 993 : 143,
    user: decodeURIComponent(url.username),
    mailbox,
    security: scheme === 'imaps' ? 'tls' : loopback ? 'cleartext' : 'starttls',
  };
}

/** How a location is named in messages and logs: the path, or the URL (never with a password). */
export function describeMailboxLocation(location: MailboxLocation): string {
  return location.kind === 'maildir' ? location.path : location.url;
}
