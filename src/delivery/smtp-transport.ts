import { readFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { systemClock, type Clock } from '../core/clock.ts';
import { TidingsError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { createDkimSigner, loadDkimKey, MIN_DKIM_BITS, type DkimSign } from './dkim-signer.ts';
import type { TransportConfig } from '../config/schema.ts';
import type { MailTransport, OutgoingMessage, SendReceipt } from './mail-transport.ts';
import { OutboxTransport } from './outbox-transport.ts';
import { TokenBucket } from './token-bucket.ts';
import { classifySmtpError } from './transport-error.ts';

export interface SmtpTransportOptions {
  url: string;
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
}

/** Per-message record of how far the message got, filled in by the stream plugin below. */
interface DataProbe {
  messageComplete: boolean;
}

const PROBE_KEY = 'tidingsDataProbe';

/**
 * SMTP through nodemailer's pool. The message is already complete MIME (see
 * message-builder.ts) and is handed over as `raw`, so nodemailer only streams it;
 * DKIM, when configured, signs it just before (dkim-signer.ts).
 */
export class SmtpTransport implements MailTransport {
  private readonly transporter;
  private readonly bucket: TokenBucket;
  private readonly where: string;
  private readonly sign: DkimSign | null;
  private advertised8BitMime = false;

  constructor(options: SmtpTransportOptions) {
    const url = new URL(options.url);
    this.where = `${url.protocol}//${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
    this.transporter = nodemailer.createTransport({
      pool: true,
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
      secure: url.protocol === 'smtps:',
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      maxConnections: options.maxConnections,
      maxMessages: options.maxMessages,
      tls: { rejectUnauthorized: options.tls.rejectUnauthorized },
      connectionTimeout: options.connectionTimeoutMs,
      greetingTimeout: options.greetingTimeoutMs,
      socketTimeout: options.socketTimeoutMs,
    });
    this.sign = options.dkim ? createDkimSigner({ expiresMs: 7 * 86_400_000, ...options.dkim }, options.clock ?? systemClock) : null;
    this.transporter.use('stream', (mail, done) => watchEndOfData(mail as unknown as PluginMail, done));
    this.bucket = new TokenBucket({ ratePerSecond: options.rateLimit });
  }

  async send(message: OutgoingMessage): Promise<SendReceipt> {
    await this.bucket.take();
    const probe: DataProbe = { messageComplete: false };
    try {
      // Unknown keys stay on the mail's data, where the stream plugin finds the probe.
      const raw = this.sign ? this.sign(message.raw, message.bodyHash?.()) : message.raw;
      // use8BitMime: nodemailer adds BODY=8BITMIME to MAIL FROM (when the server offers it).
      const envelope = message.eightBit ? { ...message.envelope, use8BitMime: true } : message.envelope;
      const mail = { envelope, raw, [PROBE_KEY]: probe } as SendMailOptions;
      const info = (await this.transporter.sendMail(mail)) as { response?: unknown; ehlo?: unknown };
      // The EHLO reply comes with every result: the first one tells whether 8-bit bodies may follow.
      if (Array.isArray(info.ehlo)) this.advertised8BitMime = info.ehlo.some((line) => /^8BITMIME\b/i.test(String(line)));
      return { messageId: message.messageId, response: String(info.response ?? '') };
    } catch (error) {
      throw classifySmtpError(error, this.where, probe);
    }
  }

  /** False until a message went through; a pool's connections all go to the same server. */
  get eightBitMime(): boolean {
    return this.advertised8BitMime;
  }

  slowDown(): void {
    this.bucket.slowDown();
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

/**
 * A nodemailer 'stream' plugin that tells when the terminating `.` may have gone out.
 * nodemailer pipes the stream returned by `createReadStream()` (after DKIM signing, the
 * last stage) into its DATA stream, which writes `.` only once that stream has ended.
 * So: an error before 'end' means the server cannot have a complete message (safe to
 * retry); after 'end' the server may have accepted it. The stream's own 'end' is used
 * because nodemailer reports socket errors with `command: 'CONN'` at every stage.
 */
interface PluginMail {
  data: Record<string, unknown>;
  message: unknown;
}

function watchEndOfData(mail: PluginMail, done: (error?: Error | null) => void): void {
  const probe = mail.data[PROBE_KEY] as DataProbe | undefined;
  const node = mail.message as { createReadStream: (...args: unknown[]) => NodeJS.ReadableStream };
  if (probe) {
    const create = node.createReadStream.bind(node);
    node.createReadStream = (...args: unknown[]) => {
      const stream = create(...args);
      stream.once('end', () => {
        probe.messageComplete = true;
      });
      return stream;
    };
  }
  done();
}

/**
 * The transport from the configuration. The DKIM key is read here, at start, so a
 * missing key fails before anything is claimed. `baseDir` resolves relative paths.
 */
export function createMailTransport(config: TransportConfig, baseDir: string, deps: { clock: Clock; logger?: Logger }): MailTransport {
  if (config.type === 'outbox') return new OutboxTransport(path.resolve(baseDir, config.dir));
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
      throw new TidingsError('CONFIG_INVALID', 'the DKIM key file is not a PEM private key', { where: `transport.dkim.keyFile (${keyFile})` });
    }
    const { bits } = loadDkimKey(privateKey, `transport.dkim.keyFile (${keyFile})`);
    if (bits < MIN_DKIM_BITS) {
      deps.logger?.warn({ keyFile, bits }, `the DKIM key has ${bits} bits: receivers expect at least ${MIN_DKIM_BITS} (tidings dkim keygen makes one)`);
    }
    dkim = { domain: config.dkim.domain, selector: config.dkim.selector, privateKey, expiresMs: config.dkim.expiry };
  }
  return new SmtpTransport({
    url: config.url,
    maxConnections: config.maxConnections,
    maxMessages: config.maxMessages,
    rateLimit: config.rateLimit,
    tls: config.tls,
    dkim,
    clock: deps.clock,
    connectionTimeoutMs: config.connectionTimeout,
    greetingTimeoutMs: config.greetingTimeout,
    socketTimeoutMs: config.socketTimeout,
  });
}
