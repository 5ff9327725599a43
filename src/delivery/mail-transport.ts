/**
 * What the delivery engine needs from a transport. Implementations: OutboxTransport
 * (.eml files) and SmtpTransport (a pool of SMTP connections, smtp/). Errors are thrown as
 * TransportError so the engine decides retry/permanent from data.
 */
export interface OutgoingMessage {
  /** `<…@sender-domain>`, also written in the raw message's Message-ID header. */
  messageId: string;
  envelope: { from: string; to: string };
  /** The complete RFC 5322 message with CRLF line endings; 7-bit unless `eightBit`. */
  raw: Buffer;
  /** A body part is 8bit: the server must have advertised 8BITMIME (sent with BODY=8BITMIME). */
  eightBit?: boolean;
  /** The DKIM body hash (relaxed, sha256, base64) when the builder can compute it cheaply; else the signer does. */
  bodyHash?: () => string;
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
  /** The server advertised 8BITMIME (learned from the first reply; false until then and for files). */
  readonly eightBitMime?: boolean;
  /** The server asked us to slow down: lower the send rate for a while. */
  slowDown?(): void;
  close(): Promise<void>;
  /**
   * Ends every connection now (the shutdown budget is spent): each message in flight fails
   * as never sent, or as ambiguous once its final dot went out. Files have nothing to end.
   */
  abort?(): void;
}
