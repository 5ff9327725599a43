import { TidingsError } from '../core/errors.ts';

export type TransportErrorCode = 'TRANSPORT_TEMPORARY' | 'TRANSPORT_THROTTLED' | 'TRANSPORT_PERMANENT';

/**
 * A failed send, classified so the engine decides from data: temporary (retry with
 * backoff), throttled (slow down, retry), permanent (record, never retry). The SMTP
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
    details: { responseCode?: number | null; response?: string; recipientRejected?: boolean; where?: string; cause?: unknown },
  ) {
    super(code, message, { retryable: code !== 'TRANSPORT_PERMANENT', where: details.where, cause: details.cause });
    this.responseCode = details.responseCode ?? null;
    this.response = details.response ?? message;
    this.recipientRejected = details.recipientRejected ?? false;
  }
}

const THROTTLE_TEXT = /rate|throttl|too many|try again later|slow down/i;

/** What nodemailer (or any SMTP client) puts on its errors. */
interface SmtpErrorShape {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

/**
 * Maps an SMTP client error: 421 and 450–454 with rate/throttling words → throttled;
 * other 4xx and connection errors (no reply code) → temporary; 5xx → permanent.
 */
export function classifySmtpError(error: unknown, where?: string): TransportError {
  if (error instanceof TransportError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SmtpErrorShape;
  const responseCode = typeof shape.responseCode === 'number' ? shape.responseCode : null;
  const response = (shape.response ?? shape.message ?? 'unknown error').trim();
  const command = (shape.command ?? '').toUpperCase();
  const details = { responseCode, response, where, cause: error };
  if (responseCode !== null && responseCode >= 500) {
    const recipientRejected = command.startsWith('RCPT') || shape.code === 'EENVELOPE';
    return new TransportError('TRANSPORT_PERMANENT', `rejected permanently: ${response}`, { ...details, recipientRejected });
  }
  const throttled =
    responseCode !== null && (responseCode === 421 || (responseCode >= 450 && responseCode <= 454)) && THROTTLE_TEXT.test(response);
  if (throttled) return new TransportError('TRANSPORT_THROTTLED', `throttled: ${response}`, details);
  const label = responseCode !== null ? `temporary failure: ${response}` : `connection error (${shape.code ?? 'no code'}): ${response}`;
  return new TransportError('TRANSPORT_TEMPORARY', label, details);
}
