import { rootCertificates } from 'node:tls';
import { ImapFlow, type FetchMessageObject } from 'imapflow';
import { TidingsError } from '../core/errors.ts';
import type { ImapLocation } from '../core/mailbox-location.ts';
import type { MailboxMessage, ReportMailbox } from './report-mailbox.ts';

export interface ImapMailboxOptions {
  location: ImapLocation;
  password: string;
  /** Where the password came from, named when the login is refused. */
  passwordEnv: string;
  /** A PEM CA trusted besides Node's bundled ones (bounces.tlsCa: a private CA, a test server). */
  ca?: string;
  /** bounces.timeout: to connect, for the greeting, and for any silence on the open connection. */
  timeoutMs: number;
}

/** The folders processed and failed messages move to, under one parent so they stay together. */
const FOLDERS = { processed: ['Tidings', 'Processed'], failed: ['Tidings', 'Failed'] } as const;
/** No server of ours sends literals this large in a listing; a larger one is a broken or hostile server. */
const MAX_LITERAL = 32 * 1024 * 1024;

interface ImapMessage extends MailboxMessage {
  uid: number;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|EPROTO|ERR_SSL|ERR_TLS/;

/** The reason an imapflow (or socket, or TLS) error gives, in words that say what to check. */
function explain(error: unknown, options: ImapMailboxOptions): { reason: string; retryable: boolean } {
  const err = error as {
    message?: string;
    code?: string;
    authenticationFailed?: boolean;
    responseText?: string;
    serverResponseCode?: string;
  };
  const code = err.code ?? '';
  const seconds = `${options.timeoutMs / 1000}s`;
  if (err.authenticationFailed && err.serverResponseCode === 'UNAVAILABLE') {
    return {
      reason: `the server could not check the login now (${err.responseText ?? 'UNAVAILABLE'})`,
      retryable: true,
    };
  }
  if (err.authenticationFailed) {
    return {
      reason: `login refused for ${options.location.user}${err.responseText ? ` (${err.responseText})` : ''}: check the user in the URL and $${options.passwordEnv}`,
      retryable: false,
    };
  }
  if (code === 'ECONNREFUSED')
    return { reason: 'connection refused (is the server up, is the port right?)', retryable: true };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { reason: `host ${options.location.host} not found`, retryable: code === 'EAI_AGAIN' };
  if (
    code === 'CONNECT_TIMEOUT' ||
    code === 'GREETING_TIMEOUT' ||
    code === 'ETIMEOUT' ||
    code === 'ETIMEDOUT' ||
    /timeout/i.test(err.message ?? '')
  ) {
    return { reason: `the server did not answer within ${seconds} (bounces.timeout)`, retryable: true };
  }
  if (TLS_CODES.test(code)) {
    return {
      reason: `TLS failed: ${err.message ?? code}${/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code) ? ' (a private CA goes in bounces.tlsCa)' : ''}`,
      retryable: false,
    };
  }
  if (
    code === 'NoConnection' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ClosedAfterConnectText' ||
    code === 'ClosedAfterConnectTLS'
  ) {
    return { reason: 'the server closed the connection', retryable: true };
  }
  const text = err.responseText ? `${err.message}: ${err.responseText}` : (err.message ?? String(error));
  return { reason: code ? `${text} (${code})` : text, retryable: false };
}

/**
 * A remote mailbox over IMAP (imapflow), opened and logged into at once, so a wrong
 * password or an unreachable server fails before anything is read. Messages are named by
 * UID; a report counts once by its Message-ID (or, without one, by UIDVALIDITY and UID),
 * so a rerun after a dropped connection finds what it recorded. Moved messages are
 * marked seen and go to `Tidings/Processed` and `Tidings/Failed`, created when first needed.
 */
export async function openImapReportMailbox(options: ImapMailboxOptions): Promise<ReportMailbox> {
  const { location } = options;
  // What ended the connection (a socket timeout, a reset), emitted as an event; the command
  // that was waiting only learns that the connection is gone (NoConnection).
  let connectionError: unknown = null;
  const fail = (what: string, error: unknown): TidingsError => {
    if (error instanceof TidingsError) return error;
    const lost = (error as { code?: string }).code === 'NoConnection' && connectionError !== null;
    const { reason, retryable } = explain(lost ? connectionError : error, options);
    return new TidingsError('MAILBOX_FAILED', `${what}: ${reason}`, { where: location.url, retryable, cause: error });
  };
  const client = new ImapFlow({
    host: location.host,
    port: location.port,
    secure: location.security === 'tls',
    // STARTTLS is required for a remote imap:// (a server that does not offer it is refused), never tried on loopback.
    doSTARTTLS: location.security === 'starttls' ? true : location.security === 'cleartext' ? false : undefined,
    auth: { user: location.user, pass: options.password },
    tls: {
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      ...(options.ca ? { ca: [...rootCertificates, options.ca] } : {}),
    },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    maxLiteralSize: MAX_LITERAL,
    maxResponseSize: MAX_LITERAL * 2,
  });
  // Kept for the message; without a listener the event would crash the process.
  client.on('error', (error: unknown) => {
    connectionError ??= error;
  });

  try {
    await client.connect();
  } catch (error) {
    client.close();
    throw fail('cannot connect', error);
  }
  let uidValidity: bigint;
  try {
    uidValidity = (await client.mailboxOpen(location.mailbox)).uidValidity;
  } catch (error) {
    client.close();
    throw fail(`cannot open mailbox ${location.mailbox}`, error);
  }

  const created = new Set<string>();
  const guard = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw fail(what, error);
    }
  };

  return {
    folders: { processed: `${FOLDERS.processed.join('/')}/`, failed: `${FOLDERS.failed.join('/')}/` },
    list: () =>
      guard('cannot list the messages', async () => {
        if (!client.mailbox || client.mailbox.exists === 0) return [];
        const found: FetchMessageObject[] = await client.fetchAll('1:*', { uid: true, envelope: true });
        return found
          .sort((a, b) => a.uid - b.uid)
          .map(
            (m): ImapMessage => ({
              uid: m.uid,
              name: `uid ${m.uid}`,
              // Without a Message-ID: the message's IMAP URL (RFC 5092 style), unique across mailboxes.
              reportId: m.envelope?.messageId || `${location.url};UIDVALIDITY=${uidValidity}/;UID=${m.uid}`,
            }),
          );
      }),
    read: (message, maxBytes) =>
      guard(`cannot read ${message.name}`, async () => {
        const { uid } = message as ImapMessage;
        const fetched = await client.fetchOne(
          String(uid),
          { uid: true, source: { start: 0, maxLength: maxBytes + 1 } },
          { uid: true },
        );
        // biome-ignore lint/complexity/useOptionalChain: fetchOne answers `false` for a gone message, and `false?.source` does not type.
        if (!fetched || !fetched.source)
          throw new TidingsError('MAILBOX_FAILED', `${message.name} is gone (deleted by another client?)`, {
            where: location.url,
            retryable: true,
          });
        return fetched.source;
      }),
    move: (message, to) =>
      guard(`cannot move ${message.name} to ${FOLDERS[to].join('/')}`, async () => {
        const { uid } = message as ImapMessage;
        const folder = [...FOLDERS[to]];
        if (!created.has(to)) {
          // Created with the server's own hierarchy separator; an existing folder is fine (ALREADYEXISTS).
          await client.mailboxCreate(folder);
          created.add(to);
        }
        await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        const moved = await client.messageMove(String(uid), folder, { uid: true });
        // imapflow answers false rather than throwing, for a refusal and a lost connection alike.
        if (!moved)
          throw client.usable
            ? new Error('the server refused to move it')
            : Object.assign(new Error('connection lost'), { code: 'NoConnection' });
      }),
    async close() {
      try {
        await client.logout();
      } catch {
        // Already gone (the error that ended the run says why); nothing is left to release.
      } finally {
        client.close();
      }
    },
  };
}
