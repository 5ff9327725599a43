import { readFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { TidingsError } from '../core/errors.ts';
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
  dkim?: { domain: string; selector: string; privateKey: string } | undefined;
  /** Socket inactivity timeout in ms (nodemailer's default is 10 minutes). */
  socketTimeoutMs?: number;
  connectionTimeoutMs?: number;
}

/**
 * SMTP through nodemailer's pool. The message is already complete MIME (see
 * message-builder.ts) and is handed over as `raw`, so nodemailer only streams it;
 * DKIM, when configured, still signs it on the way out.
 */
export class SmtpTransport implements MailTransport {
  private readonly transporter;
  private readonly bucket: TokenBucket;
  private readonly where: string;

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
      socketTimeout: options.socketTimeoutMs,
      connectionTimeout: options.connectionTimeoutMs,
      dkim: options.dkim
        ? { domainName: options.dkim.domain, keySelector: options.dkim.selector, privateKey: options.dkim.privateKey }
        : undefined,
    });
    this.bucket = new TokenBucket({ ratePerSecond: options.rateLimit });
  }

  async send(message: OutgoingMessage): Promise<SendReceipt> {
    await this.bucket.take();
    try {
      const info = await this.transporter.sendMail({ envelope: message.envelope, raw: message.raw });
      return { messageId: message.messageId, response: String(info.response ?? '') };
    } catch (error) {
      throw classifySmtpError(error, this.where);
    }
  }

  slowDown(): void {
    this.bucket.slowDown();
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

/**
 * The transport from the configuration. The DKIM key is read here, at start, so a
 * missing key fails before anything is claimed. `baseDir` resolves relative paths.
 */
export function createMailTransport(config: TransportConfig, baseDir: string): MailTransport {
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
    dkim = { domain: config.dkim.domain, selector: config.dkim.selector, privateKey };
  }
  return new SmtpTransport({
    url: config.url,
    maxConnections: config.maxConnections,
    maxMessages: config.maxMessages,
    rateLimit: config.rateLimit,
    tls: config.tls,
    dkim,
  });
}
