import type { SmtpSubmission, SubmissionStage } from './smtp-session.ts';

/**
 * What SmtpTransport needs from an SMTP client: submit one complete message and say how
 * far it got. Implementations: SmtpSessionPool (the built-in client, the default) and
 * NodemailerClient (`transport.client: nodemailer`). Both run the same conformance
 * tests (tests/delivery/smtp-faults.test.ts). A failure is thrown as the
 * client's own error; the transport classifies it with the stage (transport-error.ts).
 */
export interface SmtpClient {
  submit(message: SmtpSubmission, stage: SubmissionStage): Promise<{ text: string }>;
  /** The server advertised 8BITMIME (false until a connection said so). */
  readonly eightBitMime: boolean;
  close(): Promise<void>;
  /** Ends every connection now, messages in flight included (a shutdown out of time). */
  abort(): void;
}

/** Where to connect, from an smtp:// or smtps:// URL (credentials decoded). */
export function smtpEndpoint(url: string): {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
} {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'smtps:';
  // An IPv6 literal comes back bracketed; sockets want it bare.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port ? Number(parsed.port) : secure ? 465 : 587;
  const auth = parsed.username
    ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) }
    : undefined;
  return { host, port, secure, auth };
}
