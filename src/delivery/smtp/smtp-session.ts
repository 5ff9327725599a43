import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import { isLoopbackHost } from '../../core/http-url.ts';
import { dotStuff } from './dot-stuff.ts';
import { SmtpCommandError } from './smtp-command-error.ts';
import { parseExtensions, SmtpReplyParser, type SmtpReply } from './smtp-replies.ts';

export interface SmtpSessionOptions {
  host: string;
  port: number;
  /** TLS from the first byte (smtps://); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  auth?: { user: string; pass: string } | undefined;
  tls: { rejectUnauthorized: boolean };
  /** The name said in EHLO; defaults to this host's name when it is qualified. */
  name?: string;
  connectionTimeoutMs: number;
  greetingTimeoutMs: number;
  /** Silence on an open connection, including the wait for the reply after the final dot. */
  socketTimeoutMs: number;
}

/** One message on the wire: envelope and the complete CRLF message. */
export interface SmtpSubmission {
  from: string;
  to: string;
  raw: Buffer;
  /** Sent with BODY=8BITMIME (only when the server offers it). */
  eightBit: boolean;
}

/** How far a message got: once the terminating dot was handed to the socket, the server may have it. */
export interface SubmissionStage {
  messageComplete: boolean;
}

interface Waiter {
  command: string;
  resolve: (reply: SmtpReply) => void;
  reject: (error: Error) => void;
}

/** The EHLO name: the host name when it is fully qualified, else a literal (what most clients do). */
function defaultName(): string {
  const host = os.hostname();
  return host.includes('.') ? host : '[127.0.0.1]';
}

/**
 * One SMTP connection, written for throughput: the envelope and DATA go out in one
 * write when the server offers PIPELINING, and each message in one vectored write,
 * dot-stuffed by `indexOf` (dot-stuff.ts). Replies are matched to commands in order;
 * anything out of step, a timeout or a dropped connection breaks the session, and every
 * command still waiting fails with the stage it was at, so the caller can tell "never
 * sent" from "may have been accepted" (submission stage).
 */
export class SmtpSession {
  private socket!: net.Socket;
  private readonly parser = new SmtpReplyParser();
  private readonly waiters: Waiter[] = [];
  private broken: Error | null = null;
  private extensions = new Map<string, string>();
  /** Messages this session has carried (accepted or not): the pool retires it at maxMessages. */
  sent = 0;

  private constructor(private readonly options: SmtpSessionOptions) {}

  /**
   * Connects, reads the greeting, says EHLO, upgrades with STARTTLS when offered, logs in.
   * `signal` ends an opening that has not finished (a shutdown must not wait for a server
   * that never greets).
   */
  static async open(options: SmtpSessionOptions, signal?: AbortSignal): Promise<SmtpSession> {
    const session = new SmtpSession(options);
    if (signal?.aborted) throw new SmtpCommandError('connection closed by the client', 'ECONNECTION', 'CONN');
    const onAbort = () => session.destroy();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await session.handshake();
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    return session;
  }

  get usable(): boolean {
    return this.broken === null && !this.socket.destroyed;
  }

  get eightBitMime(): boolean {
    return this.extensions.has('8BITMIME');
  }

  /** Sends one message; resolves with the reply after the final dot, or throws SmtpCommandError. */
  async send(message: SmtpSubmission, stage: SubmissionStage): Promise<SmtpReply> {
    this.sent++;
    const body = this.eightBitMime && message.eightBit ? ' BODY=8BITMIME' : '';
    const mailLine = `MAIL FROM:<${message.from}>${body}\r\n`;
    const rcptLine = `RCPT TO:<${message.to}>\r\n`;
    let replies: [SmtpReply, SmtpReply, SmtpReply];
    if (this.extensions.has('PIPELINING')) {
      const pending = [this.expect('MAIL FROM'), this.expect('RCPT TO'), this.expect('DATA')] as const;
      this.socket.write(`${mailLine}${rcptLine}DATA\r\n`, 'latin1');
      // Every reply is read, failed or not, so the next command's reply stays in step.
      const settled = await Promise.allSettled(pending);
      const stages = ['MAIL FROM', 'RCPT TO', 'DATA'] as const;
      const inData = settled[2].status === 'fulfilled' && settled[2].value.code === 354;
      for (const [i, outcome] of settled.entries()) {
        // The first thing that went wrong speaks: a 421 to MAIL FROM before the server hung up says more than the hang-up.
        if (outcome.status === 'rejected') throw outcome.reason;
        if (outcome.value.code >= 400 || (i === 2 && outcome.value.code !== 354)) {
          await this.reset(inData);
          throw SmtpCommandError.fromReply(stages[i]!, outcome.value);
        }
      }
      replies = settled.map((s) => (s as PromiseFulfilledResult<SmtpReply>).value) as [SmtpReply, SmtpReply, SmtpReply];
    } else {
      const mail = await this.command(mailLine, 'MAIL FROM');
      const rcpt = mail.code === 250 ? await this.command(rcptLine, 'RCPT TO') : mail;
      const data = mail.code === 250 && rcpt.code < 300 ? await this.command('DATA\r\n', 'DATA') : rcpt;
      replies = [mail, rcpt, data];
    }
    const [mail, rcpt, data] = replies;
    if (mail.code !== 250 || rcpt.code >= 300 || data.code !== 354) {
      await this.reset(data.code === 354);
      const [command, reply] =
        mail.code !== 250 ? ['MAIL FROM', mail] : rcpt.code >= 300 ? ['RCPT TO', rcpt] : ['DATA', data];
      throw SmtpCommandError.fromReply(command, reply);
    }
    const final = this.expect('DATA');
    // From here on the server may end up with the message: any failure is ambiguous.
    stage.messageComplete = true;
    this.socket.cork();
    for (const piece of dotStuff(message.raw)) this.socket.write(piece);
    this.socket.uncork();
    const reply = await final;
    if (reply.code !== 250) throw SmtpCommandError.fromReply('DATA', reply);
    return reply;
  }

  /** Says QUIT and closes, without waiting long for a polite server. */
  async quit(): Promise<void> {
    if (!this.usable) return this.destroy();
    const timer = setTimeout(() => this.destroy(), 1000);
    try {
      await this.command('QUIT\r\n', 'QUIT');
    } catch {
      // Already closing: nothing is lost by a QUIT without an answer.
    } finally {
      clearTimeout(timer);
      this.socket.end();
    }
  }

  destroy(): void {
    this.fail(new SmtpCommandError('connection closed by the client', 'ECONNECTION', 'CONN'));
    this.socket?.destroy();
  }

  private async handshake(): Promise<void> {
    const { host, port, secure } = this.options;
    await this.connect(
      secure
        ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ...this.options.tls })
        : net.connect({ host, port }),
      secure,
    );
    const greeting = await this.withTimeout(this.expect('GREETING'), this.options.greetingTimeoutMs, 'GREETING');
    if (greeting.code !== 220) throw this.abandon(SmtpCommandError.fromReply('GREETING', greeting));
    await this.hello();
    if (!secure && this.extensions.has('STARTTLS')) {
      const reply = await this.command('STARTTLS\r\n', 'STARTTLS');
      if (reply.code !== 220) throw this.abandon(SmtpCommandError.fromReply('STARTTLS', reply));
      // The plain socket now only carries TLS records: its own idle timer would double the TLS socket's.
      this.socket.setTimeout(0);
      await this.connect(
        tls.connect({ socket: this.socket, servername: net.isIP(host) ? undefined : host, ...this.options.tls }),
        true,
      );
      await this.hello();
    }
    if (this.options.auth) await this.login(this.options.auth, secure || this.socket instanceof tls.TLSSocket);
  }

  /** Attaches to a socket once it is connected (or its TLS handshake is done), within connectionTimeout. */
  private connect(socket: net.Socket, secure: boolean): Promise<void> {
    this.socket = socket;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new SmtpCommandError(`no connection within ${this.options.connectionTimeoutMs} ms`, 'ETIMEDOUT', 'CONN'),
        );
      }, this.options.connectionTimeoutMs);
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.off('close', onClose);
        this.listen(socket);
        resolve();
      });
      const onError = (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new SmtpCommandError(error.message, error.code ?? 'ECONNECTION', secure ? 'STARTTLS' : 'CONN'));
      };
      // Destroyed while connecting (destroy(), a shutdown): fail now, not at connectionTimeout.
      const onClose = () =>
        onError(Object.assign(new Error('connection closed by the client'), { code: 'ECONNECTION' }));
      socket.once('error', onError);
      socket.once('close', onClose);
    });
  }

  private listen(socket: net.Socket): void {
    socket.setTimeout(this.options.socketTimeoutMs);
    // Every write is a whole command group or a whole message: nothing to gain from Nagle's
    // coalescing, and its wait for an ACK would hold back a message's last packet.
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (socket !== this.socket) return;
      let replies: SmtpReply[];
      try {
        replies = this.parser.push(chunk);
      } catch (error) {
        return this.fail(
          new SmtpCommandError(
            `the server broke the protocol: ${(error as Error).message}`,
            'EPROTOCOL',
            this.waiters[0]?.command ?? 'CONN',
          ),
        );
      }
      for (const reply of replies) {
        const waiter = this.waiters.shift();
        // An unasked reply (421 before closing an idle connection, say) ends the session.
        if (!waiter) return this.fail(new SmtpCommandError(`unexpected reply: ${reply.text}`, 'EPROTOCOL', 'CONN'));
        waiter.resolve(reply);
      }
    });
    socket.on('timeout', () =>
      this.fail(
        new SmtpCommandError(
          `no reply within ${this.options.socketTimeoutMs} ms`,
          'ETIMEDOUT',
          this.waiters[0]?.command ?? 'CONN',
        ),
      ),
    );
    socket.on('error', (error: NodeJS.ErrnoException) =>
      this.fail(new SmtpCommandError(error.message, error.code ?? 'ECONNECTION', this.waiters[0]?.command ?? 'CONN')),
    );
    socket.on('close', () => {
      if (socket === this.socket)
        this.fail(
          new SmtpCommandError('the server closed the connection', 'ECONNECTION', this.waiters[0]?.command ?? 'CONN'),
        );
    });
  }

  private async hello(): Promise<void> {
    const name = this.options.name ?? defaultName();
    let reply = await this.command(`EHLO ${name}\r\n`, 'EHLO');
    if (reply.code === 250) {
      this.extensions = parseExtensions(reply);
      return;
    }
    reply = await this.command(`HELO ${name}\r\n`, 'HELO');
    if (reply.code !== 250) throw this.abandon(SmtpCommandError.fromReply('HELO', reply));
    this.extensions = new Map();
  }

  private async login(auth: { user: string; pass: string }, encrypted: boolean): Promise<void> {
    // A password never crosses the network in the clear; loopback relays are the exception.
    if (!encrypted && !isLoopbackHost(this.options.host)) {
      throw this.abandon(
        new SmtpCommandError(
          `refusing to send the password unencrypted to ${this.options.host}: the server offered no STARTTLS (use smtps://)`,
          'ETLS',
          'AUTH',
        ),
      );
    }
    const methods = (this.extensions.get('AUTH') ?? '').split(' ');
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    let reply: SmtpReply;
    if (methods.includes('PLAIN') || !methods.includes('LOGIN')) {
      reply = await this.command(`AUTH PLAIN ${b64(`\0${auth.user}\0${auth.pass}`)}\r\n`, 'AUTH');
    } else {
      reply = await this.command('AUTH LOGIN\r\n', 'AUTH');
      if (reply.code === 334) reply = await this.command(`${b64(auth.user)}\r\n`, 'AUTH');
      if (reply.code === 334) reply = await this.command(`${b64(auth.pass)}\r\n`, 'AUTH');
    }
    if (reply.code !== 235)
      throw this.abandon(new SmtpCommandError(`login refused: ${reply.text}`, 'EAUTH', 'AUTH', reply.code, reply.text));
  }

  /** Back to a clean state after a refused envelope; a session that cannot get there is dropped. */
  private async reset(inData: boolean): Promise<void> {
    try {
      // A server that took DATA after refusing the envelope gets an empty message to no one.
      if (inData) await this.command('.\r\n', 'DATA');
      const reply = await this.command('RSET\r\n', 'RSET');
      if (reply.code !== 250) this.fail(SmtpCommandError.fromReply('RSET', reply));
    } catch {
      // Broken already: the refusal is still what the caller hears about, and the pool drops the session.
    }
  }

  private command(line: string, command: string): Promise<SmtpReply> {
    const reply = this.expect(command);
    this.socket.write(line, 'latin1');
    return reply;
  }

  private expect(command: string): Promise<SmtpReply> {
    if (this.broken)
      return Promise.reject(
        new SmtpCommandError(this.broken.message, (this.broken as SmtpCommandError).code ?? 'ECONNECTION', command),
      );
    return new Promise((resolve, reject) => this.waiters.push({ command, resolve, reject }));
  }

  private async withTimeout<T>(promise: Promise<T>, ms: number, command: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(this.abandon(new SmtpCommandError(`no reply within ${ms} ms`, 'ETIMEDOUT', command))),
        ms,
      );
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends a session that cannot be used, returning the error for the caller to throw. */
  private abandon(error: SmtpCommandError): SmtpCommandError {
    this.fail(error);
    this.socket.destroy();
    return error;
  }

  /** Breaks the session: every waiting command fails with the stage it was at. */
  private fail(error: SmtpCommandError): void {
    this.broken ??= error;
    for (const waiter of this.waiters.splice(0)) {
      waiter.reject(
        new SmtpCommandError(error.message, error.code, waiter.command, error.responseCode, error.response),
      );
    }
    this.socket?.destroy();
  }
}
