import { SmtpSession, type SmtpSessionOptions, type SmtpSubmission, type SubmissionStage } from './smtp-session.ts';
import type { SmtpReply } from './smtp-replies.ts';

export interface SmtpSessionPoolOptions extends SmtpSessionOptions {
  /** Connections open at once. */
  maxConnections: number;
  /** Messages per connection before it is closed and replaced. */
  maxMessages: number;
}

/** Opens a session (SmtpSession.open; tests may count or fail openings). */
export type OpenSession = (options: SmtpSessionOptions, signal?: AbortSignal) => Promise<SmtpSession>;

/**
 * Up to `maxConnections` SMTP sessions, opened when needed and reused for
 * `maxMessages` messages each. A broken session is never handed out again; a session
 * that broke while idle (the server timed it out) is replaced before the message is
 * offered, so an idle timeout costs a reconnect, not a failed attempt.
 */
export class SmtpSessionPool {
  private readonly idle: SmtpSession[] = [];
  /** Sessions carrying a message now: abort() ends them too. */
  private readonly busy = new Set<SmtpSession>();
  private readonly aborting = new AbortController();
  private readonly queue: (() => void)[] = [];
  private open = 0;
  private closed = false;
  private advertised8BitMime = false;

  constructor(
    private readonly options: SmtpSessionPoolOptions,
    private readonly openSession: OpenSession = SmtpSession.open,
  ) {}

  /** Whether the server offered 8BITMIME (false until a connection said so). */
  get eightBitMime(): boolean {
    return this.advertised8BitMime;
  }

  async submit(message: SmtpSubmission, stage: SubmissionStage): Promise<SmtpReply> {
    const session = await this.acquire(false);
    const reused = session.sent > 0;
    try {
      return await session.send(message, stage);
    } catch (error) {
      // A kept connection the server had already closed fails before any reply: nothing
      // reached the server, so one more try on a new connection costs no attempt.
      if (!reused || stage.messageComplete || (error as { responseCode?: number }).responseCode !== undefined)
        throw error;
    } finally {
      this.release(session);
    }
    const fresh = await this.acquire(true);
    try {
      return await fresh.send(message, stage);
    } finally {
      this.release(fresh);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.queue.splice(0)) wake();
    await Promise.all(this.idle.splice(0).map((session) => session.quit()));
  }

  /**
   * Ends every connection now, opening, idle or carrying a message (a shutdown out of
   * time). A message cut before its final dot fails as never sent, one after it as
   * ambiguous: the stage decides, as for any dropped connection.
   */
  abort(): void {
    this.closed = true;
    this.aborting.abort();
    for (const wake of this.queue.splice(0)) wake();
    for (const session of [...this.idle.splice(0), ...this.busy]) session.destroy();
  }

  /** An idle session, else a new one while there is room, else the next one released. `fresh`: a new one only. */
  private async acquire(fresh: boolean): Promise<SmtpSession> {
    for (;;) {
      if (this.closed) throw new Error('the SMTP pool is closed');
      const session = fresh && this.open < this.options.maxConnections ? undefined : this.idle.pop();
      if (session) {
        if (session.usable && !fresh) return this.hold(session);
        // Broken while idle, or a kept one retired to make room for a fresh one.
        this.open--;
        void session.quit();
        continue;
      }
      if (this.open < this.options.maxConnections) {
        this.open++;
        try {
          const opened = await this.openSession(this.options, this.aborting.signal);
          this.advertised8BitMime = opened.eightBitMime;
          return this.hold(opened);
        } catch (error) {
          this.open--;
          this.queue.shift()?.();
          throw error;
        }
      }
      await new Promise<void>((wake) => this.queue.push(wake));
    }
  }

  private hold(session: SmtpSession): SmtpSession {
    this.busy.add(session);
    return session;
  }

  private release(session: SmtpSession): void {
    this.busy.delete(session);
    if (!this.closed && session.usable && session.sent < this.options.maxMessages) {
      this.idle.push(session);
    } else {
      this.open--;
      void session.quit();
    }
    this.queue.shift()?.();
  }
}
