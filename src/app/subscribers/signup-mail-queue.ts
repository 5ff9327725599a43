import { TidingsError, describeError } from '../../core/errors.ts';
import type { MailTransport, OutgoingMessage } from '../../delivery/mail-transport.ts';
import type { SignupMailOutcome, SignupRequest } from '../../subscribers/subscriber-lifecycle-store.ts';
import type { ServiceCore } from './service-core.ts';

/** How long a confirmation mail may take before it is given up on (logged). */
export const SIGNUP_MAIL_TIMEOUT_MS = 60_000;

/**
 * Confirmation mails, sent from the store one at a time, oldest first. A request is stored
 * with its mail queued; the mail is claimed, handed to a fresh transport, and marked sent
 * or failed. A stop out of time (`deps.abandon`) ends the mail in flight and puts it back
 * in the queue, where the next process finds it (`wake()` at start): a stop never loses a
 * confirmation, at worst one arrives twice. A mail claimed by a process that crashed is
 * taken again once it is twice the mail timeout old.
 */
export class SignupMailQueue {
  #running: Promise<void> | null = null;
  #more = false;
  #stopped = false;

  constructor(
    private readonly core: ServiceCore,
    private readonly messageFor: (request: SignupRequest) => Promise<OutgoingMessage>,
  ) {
    core.deps.abandon?.addEventListener('abort', () => (this.#stopped = true), { once: true });
  }

  /** There is mail to send (a new request, or a process starting): sends until the queue is empty. */
  wake(): void {
    this.#more = true;
    if (this.#stopped || this.#running) return;
    this.#running = this.#run()
      .catch((error: unknown) =>
        this.core.deps.logger.error({ error: describeError(error) }, 'signup mail queue failed: the mail stays queued'),
      )
      .finally(() => {
        this.#running = null;
        if (this.#more && !this.#stopped) this.wake();
      });
  }

  /** Resolves once nothing is being sent (the queue is empty, or a stop ended it). */
  async drain(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #run(): Promise<void> {
    const { deps } = this.core;
    const limit = deps.signupMailTimeoutMs ?? SIGNUP_MAIL_TIMEOUT_MS;
    while (this.#more && !this.#stopped) {
      this.#more = false;
      for (;;) {
        if (this.#stopped) return;
        const now = this.core.now();
        const request = await deps.store.subscribers.claimSignupMail(now, new Date(now.getTime() - 2 * limit));
        if (!request) break;
        await deps.store.subscribers.finishSignupMail(request.id, await this.#deliver(request, limit));
      }
    }
  }

  /** One mail through a fresh transport, within `limit`; a stop (`abandon`) ends it at once and requeues it. */
  async #deliver(request: SignupRequest, limit: number): Promise<SignupMailOutcome> {
    const { deps } = this.core;
    const log = { newsletter: request.newsletterId, kind: request.kind };
    let timer: NodeJS.Timeout | undefined;
    let onAbandon: (() => void) | undefined;
    let transport: MailTransport | undefined;
    try {
      const message = await this.messageFor(request);
      transport = deps.openTransport();
      const giveUp = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new TidingsError('TRANSPORT_TEMPORARY', `no answer from the mail server within ${limit} ms`)),
          limit,
        );
        onAbandon = () => reject(new TidingsError('TRANSPORT_TEMPORARY', 'stopping: left queued for the next start'));
        deps.abandon?.addEventListener('abort', onAbandon, { once: true });
      });
      await Promise.race([transport.send(message), giveUp]);
      deps.logger.info(log, 'signup mail sent');
      return 'sent';
    } catch (error) {
      if (this.#stopped) {
        deps.logger.warn(log, 'signup mail left queued: the process stopped before it went out');
        return 'queued';
      }
      deps.logger.error({ ...log, error: describeError(error) }, 'signup mail could not be sent');
      return 'failed';
    } finally {
      clearTimeout(timer);
      if (onAbandon) deps.abandon?.removeEventListener('abort', onAbandon);
      // A transport told to abort closes at once; a polite QUIT is bounded by the session.
      await transport?.close().catch(() => {});
    }
  }
}
