import { TidingsError } from '../core/errors.ts';

export type TransportErrorCode =
  | 'TRANSPORT_TEMPORARY'
  | 'TRANSPORT_THROTTLED'
  | 'TRANSPORT_PERMANENT'
  | 'TRANSPORT_AMBIGUOUS';

/**
 * A failed send, classified so the engine decides from data: temporary (retry with
 * backoff), throttled (slow down, retry), permanent (record, never retry), ambiguous
 * (the server may have accepted it: leave the row ambiguous, never retry). The SMTP
 * reply code and text are kept for the ledger.
 */
export class TransportError extends TidingsError {
  declare readonly code: TransportErrorCode;
  readonly responseCode: number | null;
  readonly response: string;
  /** True when the server refused this recipient's address (RCPT stage): bounce material. */
  readonly recipientRejected: boolean;

  constructor(
    code: TransportErrorCode,
    message: string,
    details: {
      responseCode?: number | null;
      response?: string;
      recipientRejected?: boolean;
      where?: string;
      cause?: unknown;
    },
  ) {
    // Only temporary and throttled failures are retryable: a permanent refusal is final and an
    // ambiguous outcome may already be in the reader's mailbox.
    super(code, message, {
      retryable: code === 'TRANSPORT_TEMPORARY' || code === 'TRANSPORT_THROTTLED',
      where: details.where,
      cause: details.cause,
    });
    this.responseCode = details.responseCode ?? null;
    this.response = details.response ?? message;
    this.recipientRejected = details.recipientRejected ?? false;
  }
}

const THROTTLE_TEXT = /rate|throttl|too many|try again later|slow down/i;
/** Stages before any message is offered: a refusal there is about the connection or the login, never the message. */
const SESSION_STAGE = /^(GREETING|EHLO|HELO|STARTTLS|AUTH)\b/;

/** What nodemailer (or any SMTP client) puts on its errors. */
interface SmtpErrorShape {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

/**
 * How far the message got before the error, as the SMTP client saw it: the error alone
 * cannot always say whether the final `.` had gone out (nodemailer reports every
 * socket-level failure with `command: 'CONN'` whatever the stage). `messageComplete` is
 * true once the whole message and its terminating `.` were handed to the connection:
 * the server may have it.
 */
export interface SmtpStage {
  messageComplete: boolean;
}

/**
 * Maps an SMTP client error. A refusal before the message (greeting, EHLO, STARTTLS,
 * AUTH) is temporary whatever its code. Otherwise a clear reply decides: 5xx → permanent; 421 and 450–454
 * with rate/throttling words → throttled; other 4xx → temporary. Without a reply (the
 * connection dropped, timed out, or answered nonsense): before the end of DATA the
 * server cannot have the message → temporary (safe to retry); after it the server may
 * have accepted it → ambiguous, never retried.
 */
export function classifySmtpError(
  error: unknown,
  where?: string,
  stage: SmtpStage = { messageComplete: false },
): TransportError {
  if (error instanceof TransportError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SmtpErrorShape;
  const responseCode =
    typeof shape.responseCode === 'number' && shape.responseCode >= 200 && shape.responseCode < 600
      ? shape.responseCode
      : null;
  const response = (shape.response ?? shape.message ?? 'unknown error').trim();
  const command = (shape.command ?? '').toUpperCase();
  const details = { responseCode, response, where, cause: error };
  if (responseCode !== null && responseCode >= 500 && SESSION_STAGE.test(command)) {
    // A wrong password or a server refusing connections fails every message alike: retried
    // (and the run pauses after too many in a row), never recorded as this reader's permanent failure.
    return new TransportError(
      'TRANSPORT_TEMPORARY',
      `the server refused the session at ${command}: ${response}`,
      details,
    );
  }
  if (responseCode !== null && responseCode >= 500) {
    const recipientRejected = command.startsWith('RCPT') || shape.code === 'EENVELOPE';
    return new TransportError('TRANSPORT_PERMANENT', `rejected permanently: ${response}`, {
      ...details,
      recipientRejected,
    });
  }
  if (responseCode !== null && responseCode >= 400) {
    const throttled =
      (responseCode === 421 || (responseCode >= 450 && responseCode <= 454)) && THROTTLE_TEXT.test(response);
    if (throttled) return new TransportError('TRANSPORT_THROTTLED', `throttled: ${response}`, details);
    return new TransportError('TRANSPORT_TEMPORARY', `temporary failure: ${response}`, details);
  }
  // No usable reply (a 2xx/3xx in an error is a protocol mix-up, not an answer about the message).
  const what = `${shape.code ?? 'no code'}${command && command !== 'CONN' ? ` at ${command}` : ''}`;
  if (stage.messageComplete) {
    return new TransportError(
      'TRANSPORT_AMBIGUOUS',
      `no reply after the end of DATA (${what}): ${response}; the server may have accepted the message`,
      details,
    );
  }
  return new TransportError('TRANSPORT_TEMPORARY', `connection error (${what}): ${response}`, details);
}
