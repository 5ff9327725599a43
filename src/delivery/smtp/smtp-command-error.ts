import type { SmtpReply } from './smtp-replies.ts';

/**
 * An SMTP failure in the shape classifySmtpError reads: `command` says where it
 * happened (CONN, GREETING, EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO, DATA), and
 * `responseCode`/`response` carry the server's reply when there was one.
 */
export class SmtpCommandError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly command: string,
    readonly responseCode?: number,
    readonly response?: string,
  ) {
    super(message);
    this.name = 'SmtpCommandError';
  }

  static fromReply(command: string, reply: SmtpReply): SmtpCommandError {
    return new SmtpCommandError(`${command} answered ${reply.text}`, 'EPROTOCOL', command, reply.code, reply.text);
  }
}
