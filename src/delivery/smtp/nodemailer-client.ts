import type { SendMailOptions, Transporter } from 'nodemailer';
import type { SmtpClient } from './smtp-client.ts';
import type { SmtpSessionPoolOptions } from './smtp-session-pool.ts';
import type { SmtpSubmission, SubmissionStage } from './smtp-session.ts';

const STAGE_KEY = 'tidingsSubmissionStage';

/**
 * SMTP through nodemailer's pool (`transport.client: nodemailer`), for servers that need
 * what the built-in client leaves out (AUTH mechanisms other than PLAIN and LOGIN, say).
 * The message is complete MIME already and goes as `raw`, so nodemailer only streams it.
 */
export class NodemailerClient implements SmtpClient {
  /** nodemailer is loaded on the first message: a send with the built-in client never pays for it. */
  private transporter: Promise<Transporter> | null = null;
  private advertised8BitMime = false;

  constructor(private readonly options: SmtpSessionPoolOptions) {}

  private open(): Promise<Transporter> {
    this.transporter ??= import('nodemailer').then(({ default: nodemailer }) => {
      const { options } = this;
      const transporter = nodemailer.createTransport({
        pool: true,
        host: options.host,
        port: options.port,
        secure: options.secure,
        auth: options.auth,
        name: options.name,
        maxConnections: options.maxConnections,
        maxMessages: options.maxMessages,
        tls: { rejectUnauthorized: options.tls.rejectUnauthorized },
        connectionTimeout: options.connectionTimeoutMs,
        greetingTimeout: options.greetingTimeoutMs,
        socketTimeout: options.socketTimeoutMs,
      });
      transporter.use('stream', (mail, done) => watchEndOfData(mail as unknown as PluginMail, done));
      return transporter;
    });
    return this.transporter;
  }

  async submit(message: SmtpSubmission, stage: SubmissionStage): Promise<{ text: string }> {
    // use8BitMime: nodemailer adds BODY=8BITMIME to MAIL FROM (when the server offers it).
    const envelope = { from: message.from, to: message.to, ...(message.eightBit ? { use8BitMime: true } : {}) };
    // Unknown keys stay on the mail's data, where the stream plugin finds the stage.
    const mail = { envelope, raw: message.raw, [STAGE_KEY]: stage } as SendMailOptions;
    const info = (await (await this.open()).sendMail(mail)) as { response?: unknown; ehlo?: unknown };
    // The EHLO reply comes with every result: the first one tells whether 8-bit bodies may follow.
    if (Array.isArray(info.ehlo)) this.advertised8BitMime = info.ehlo.some((line) => /^8BITMIME\b/i.test(String(line)));
    return { text: String(info.response ?? '') };
  }

  get eightBitMime(): boolean {
    return this.advertised8BitMime;
  }

  async close(): Promise<void> {
    if (this.transporter) (await this.transporter).close();
  }

  /** nodemailer's pool has no harder stop than close(): its connections end, in flight or not. */
  abort(): void {
    void this.close().catch(() => {});
  }
}

/**
 * A nodemailer 'stream' plugin that tells when the terminating `.` may have gone out.
 * nodemailer pipes the stream returned by `createReadStream()` into its DATA stream,
 * which writes `.` only once that stream has ended. So: an error before 'end' means the
 * server cannot have a complete message (safe to retry); after 'end' it may have
 * accepted it. The stream's own 'end' is used because nodemailer reports socket errors
 * with `command: 'CONN'` at every stage.
 */
interface PluginMail {
  data: Record<string, unknown>;
  message: unknown;
}

function watchEndOfData(mail: PluginMail, done: (error?: Error | null) => void): void {
  const stage = mail.data[STAGE_KEY] as SubmissionStage | undefined;
  const node = mail.message as { createReadStream: (...args: unknown[]) => NodeJS.ReadableStream };
  if (stage) {
    const create = node.createReadStream.bind(node);
    node.createReadStream = (...args: unknown[]) => {
      const stream = create(...args);
      stream.once('end', () => {
        stage.messageComplete = true;
      });
      return stream;
    };
  }
  done();
}
