import { readFileSync } from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock } from '../core/clock.ts';
import { ConfigError, TidingsError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { createDkimSigner, loadDkimKey, MIN_DKIM_BITS, type DkimSign } from './dkim-signer.ts';
import type { TransportConfig } from '../config/schema.ts';
import type { MailTransport, OutgoingMessage, SendReceipt } from './mail-transport.ts';
import { OutboxTransport } from './outbox-transport.ts';
import { NodemailerClient } from './smtp/nodemailer-client.ts';
import { smtpEndpoint, type SmtpClient } from './smtp/smtp-client.ts';
import { SmtpSessionPool } from './smtp/smtp-session-pool.ts';
import type { SubmissionStage } from './smtp/smtp-session.ts';
import { TokenBucket } from './token-bucket.ts';
import { classifySmtpError } from './transport-error.ts';

export interface SmtpTransportOptions {
  url: string;
  /** `builtin` (default): pipelined, one write per message. `nodemailer`: its pool, for what builtin lacks. */
  client?: 'builtin' | 'nodemailer';
  maxConnections: number;
  maxMessages: number;
  /** Messages per second across the pool. */
  rateLimit: number;
  tls: { rejectUnauthorized: boolean };
  /** Signed by our own signer (t=, x=, over-signing): see dkim-signer.ts. `expiresMs` defaults to 7 days. */
  dkim?: { domain: string; selector: string; privateKey: string; expiresMs?: number } | undefined;
  /** The signing time of DKIM signatures (the composition root passes its clock). */
  clock?: Clock;
  /** Time to open the TCP (and TLS) connection, in ms. */
  connectionTimeoutMs: number;
  /** Time to wait for the server's greeting, in ms. */
  greetingTimeoutMs: number;
  /** Inactivity on an open connection, in ms: also how long a reply after DATA may take. */
  socketTimeoutMs: number;
  /** Aborted when the process must stop now (the shutdown budget is spent): see abort(). */
  abortSignal?: AbortSignal;
}

/**
 * SMTP delivery: the rate limit, DKIM signing and the classification of failures, over an
 * SMTP client (smtp/smtp-client.ts). The message is already complete MIME (see
 * segment-message-builder.ts); the client only puts it on the wire.
 */
export class SmtpTransport implements MailTransport {
  private readonly client: SmtpClient;
  private readonly bucket: TokenBucket;
  private readonly where: string;
  private readonly sign: DkimSign | null;
  private readonly abortSignal: AbortSignal | undefined;
  private readonly onAbort = () => this.abort();

  constructor(options: SmtpTransportOptions) {
    const endpoint = smtpEndpoint(options.url);
    this.where = `${endpoint.secure ? 'smtps' : 'smtp'}://${endpoint.host}:${endpoint.port}`;
    const clientOptions = {
      ...endpoint,
      maxConnections: options.maxConnections,
      maxMessages: options.maxMessages,
      tls: { rejectUnauthorized: options.tls.rejectUnauthorized },
      connectionTimeoutMs: options.connectionTimeoutMs,
      greetingTimeoutMs: options.greetingTimeoutMs,
      socketTimeoutMs: options.socketTimeoutMs,
    };
    this.client =
      options.client === 'nodemailer' ? new NodemailerClient(clientOptions) : new SmtpSessionPool(clientOptions);
    this.sign = options.dkim
      ? createDkimSigner({ expiresMs: 7 * 86_400_000, ...options.dkim }, options.clock ?? systemClock)
      : null;
    this.bucket = new TokenBucket({ ratePerSecond: options.rateLimit });
    this.abortSignal = options.abortSignal;
    if (this.abortSignal?.aborted) this.client.abort();
    this.abortSignal?.addEventListener('abort', this.onAbort, { once: true });
  }

  async send(message: OutgoingMessage): Promise<SendReceipt> {
    await this.bucket.take();
    const stage: SubmissionStage = { messageComplete: false };
    try {
      const raw = this.sign ? this.sign(message.raw, message.bodyHash?.()) : message.raw;
      const reply = await this.client.submit(
        { from: message.envelope.from, to: message.envelope.to, raw, eightBit: message.eightBit ?? false },
        stage,
      );
      return { messageId: message.messageId, response: reply.text };
    } catch (error) {
      throw classifySmtpError(error, this.where, stage);
    }
  }

  /** False until a message went through; a pool's connections all go to the same server. */
  get eightBitMime(): boolean {
    return this.client.eightBitMime;
  }

  slowDown(): void {
    this.bucket.slowDown();
  }

  async close(): Promise<void> {
    this.abortSignal?.removeEventListener('abort', this.onAbort);
    await this.client.close();
  }

  abort(): void {
    this.client.abort();
  }
}

/**
 * The transport from the configuration. The DKIM key is read here, at start, so a
 * missing key fails before anything is claimed. `baseDir` resolves relative paths.
 */
export function createMailTransport(
  config: TransportConfig,
  baseDir: string,
  deps: { clock: Clock; logger?: Logger; abortSignal?: AbortSignal },
): MailTransport {
  if (config.type === 'outbox') return new OutboxTransport(path.resolve(baseDir, config.dir));
  // Loaded for a command that sends nothing, with a variable of the transport unset.
  if (config.type === 'unavailable') throw new ConfigError(config.file, config.problems);
  let dkim: SmtpTransportOptions['dkim'];
  if (config.dkim) {
    const keyFile = path.resolve(baseDir, config.dkim.keyFile);
    let privateKey: string;
    try {
      privateKey = readFileSync(keyFile, 'utf8');
    } catch (error) {
      throw new TidingsError('CONFIG_INVALID', `cannot read the DKIM key: ${(error as Error).message}`, {
        where: `transport.dkim.keyFile (${keyFile})`,
        cause: error,
      });
    }
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) {
      throw new TidingsError('CONFIG_INVALID', 'the DKIM key file is not a PEM private key', {
        where: `transport.dkim.keyFile (${keyFile})`,
      });
    }
    const { bits } = loadDkimKey(privateKey, `transport.dkim.keyFile (${keyFile})`);
    if (bits < MIN_DKIM_BITS) {
      deps.logger?.warn(
        { keyFile, bits },
        `the DKIM key has ${bits} bits: receivers expect at least ${MIN_DKIM_BITS} (tidings dkim keygen makes one)`,
      );
    }
    dkim = { domain: config.dkim.domain, selector: config.dkim.selector, privateKey, expiresMs: config.dkim.expiry };
  }
  return new SmtpTransport({
    url: config.url,
    client: config.client,
    maxConnections: config.maxConnections,
    maxMessages: config.maxMessages,
    rateLimit: config.rateLimit,
    tls: config.tls,
    dkim,
    clock: deps.clock,
    connectionTimeoutMs: config.connectionTimeout,
    greetingTimeoutMs: config.greetingTimeout,
    socketTimeoutMs: config.socketTimeout,
    abortSignal: deps.abortSignal,
  });
}
