/**
 * One base class with a stable `code` and a `retryable` flag, so callers decide
 * what to do from data rather than from message text (BullMQ style). Every code is
 * documented in docs/operations.md ("Error codes"), with its exit code; a thrown value
 * that is not a TidingsError is printed as UNEXPECTED.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'USAGE'
  | 'SOURCE_FETCH'
  | 'SOURCE_TOO_LARGE'
  | 'SOURCE_TIMEOUT'
  | 'SOURCE_PARSE'
  | 'SOURCE_PARSE_TIMEOUT'
  | 'SOURCE_TOO_COMPLEX'
  | 'SOURCE_UNSAFE'
  | 'INPUT_INVALID'
  | 'TEMPLATE_INVALID'
  | 'RENDER_FAILED'
  | 'STORE_FAILED'
  | 'EDITION_NOT_FOUND'
  | 'EDITION_STATE'
  | 'SUBSCRIBERS_INVALID'
  | 'TRANSPORT_TEMPORARY'
  | 'TRANSPORT_PERMANENT'
  | 'TRANSPORT_THROTTLED'
  | 'TRANSPORT_AMBIGUOUS'
  | 'SEND_LEASE_HELD'
  | 'SEND_PAUSED'
  | 'SEND_TOO_LATE'
  | 'SCHEDULER_LEASE_HELD'
  /** A remote bounce mailbox (IMAP) could not be reached, logged into, read or sorted. */
  | 'MAILBOX_FAILED'
  /** The summary model (summaries.llm) failed or answered unusably; the extractive summary stands in. */
  | 'SUMMARY_MODEL_FAILED'
  /** A subscriber link's token was tampered with, truncated, signed elsewhere or meant for another page. */
  | 'TOKEN_INVALID'
  /** A signup confirmation link older than its 7 days. */
  | 'TOKEN_EXPIRED'
  /** The image proxy got something that is not a JPEG, PNG, GIF or WebP image (web: 502). */
  | 'IMAGE_INVALID'
  /** An unknown newsletter or subscriber, an edition not sent, an archive or signup that is not public. */
  | 'NOT_FOUND';

export class TidingsError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  /** Where the problem is: a file path with line, a URL, a config path. */
  readonly where: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { where?: string; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(options.where ? `${options.where}: ${message}` : message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.where = options.where;
  }
}

/** A configuration problem list: every issue at once, each with its path. */
export class ConfigError extends TidingsError {
  readonly problems: readonly string[];
  constructor(file: string, problems: readonly string[]) {
    super('CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`, { where: file });
    this.problems = problems;
  }
}

export class UsageError extends TidingsError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

export class SourceError extends TidingsError {}

export function isTidingsError(error: unknown): error is TidingsError {
  return error instanceof TidingsError;
}

/** A readable one-line reason for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
