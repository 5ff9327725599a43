/**
 * What the delivery engine needs from a transport. Implementations: OutboxTransport
 * (.eml files) and SmtpTransport (nodemailer pool). Errors are thrown as
 * TransportError so the engine decides retry/permanent from data.
 */
export interface OutgoingMessage {
  /** `<…@sender-domain>`, also written in the raw message's Message-ID header. */
  messageId: string;
  envelope: { from: string; to: string };
  /** The complete RFC 5322 message with CRLF line endings; 7-bit ASCII (bodies are base64). */
  raw: Buffer;
  /** Which edition it belongs to (the outbox writes one folder per edition). */
  editionId: string;
  subscriberId: number;
}

export interface SendReceipt {
  messageId: string;
  /** The server's reply, e.g. `250 2.0.0 Ok: queued as …`, or where the outbox wrote it. */
  response: string;
}

export interface MailTransport {
  send(message: OutgoingMessage): Promise<SendReceipt>;
  /** The server asked us to slow down: lower the send rate for a while. */
  slowDown?(): void;
  close(): Promise<void>;
}
