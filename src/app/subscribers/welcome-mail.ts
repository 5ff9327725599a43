import type { TidingsConfig } from '../../config/schema.ts';
import type { Clock } from '../../core/clock.ts';
import { describeError, TidingsError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Ledger } from '../../delivery/ledger.ts';
import type { MailTransport, OutgoingMessage } from '../../delivery/mail-transport.ts';
import { editionViewPath, signEditionView, signSubscriberToken } from '../../delivery/subscriber-token.ts';
import { classifySmtpError, TransportError } from '../../delivery/transport-error.ts';
import type { EditionStore } from '../../editions/edition-store.ts';
import type { SubscriberStore } from '../../subscribers/subscriber-store.ts';
import { archiveUrlFor } from './public-urls.ts';
import { buildWelcomeMessage, findWelcomeTemplate, hasWelcomeTemplate } from './welcome-message.ts';

/** The ledger's key for a newsletter's welcome mails: one row per reader, ever. */
export const welcomeEditionId = (newsletterId: string) => `${newsletterId}/welcome`;

export interface WelcomeMailDeps {
  config: Pick<TidingsConfig, 'newsletters' | 'web'>;
  store: {
    ledger: Ledger;
    subscribers: Pick<SubscriberStore, 'getById'>;
    editions: Pick<EditionStore, 'listEditions'>;
  };
  clock: Clock;
  logger: Logger;
  secret: string;
  openTransport: () => MailTransport;
  /** [templates/, templates.dir]: the later folder wins. */
  templateDirs: readonly string[];
}

/**
 * Welcome mails go through the ledger like every edition: a pending row keyed
 * `<newsletter>/welcome` per reader, claimed (a conditional update) before the SMTP call
 * and recorded after it. So a reader gets it once, whether confirm is pressed twice or two
 * processes send at the same time; a row claimed and never recorded stays ambiguous.
 */
export class WelcomeMail {
  #chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: WelcomeMailDeps) {}

  /** Queues the welcome mail of one new subscription (when the newsletter has a template); true when queued. */
  async queue(subscriberId: number, newsletterId: string): Promise<boolean> {
    if (!hasWelcomeTemplate(this.deps.templateDirs, newsletterId)) return false;
    await this.deps.store.ledger.ensurePending(welcomeEditionId(newsletterId), [subscriberId]);
    return true;
  }

  /** Sends in the background, one run after another; `drain()` waits for them. */
  wake(newsletterIds?: readonly string[]): void {
    this.#chain = this.#chain
      .then(() => this.sendQueued(newsletterIds))
      .catch((error: unknown) =>
        this.deps.logger.error({ error: describeError(error) }, 'welcome mail failed: the rows stay pending'),
      );
  }

  async drain(): Promise<void> {
    await this.#chain;
  }

  /** Sends every pending welcome mail (temporary failures of earlier runs again); counts per outcome. */
  async sendQueued(newsletterIds?: readonly string[]): Promise<{ accepted: number; failed: number; skipped: number }> {
    const counts = { accepted: 0, failed: 0, skipped: 0 };
    const ids = newsletterIds ?? this.deps.config.newsletters.map((n) => n.id);
    for (const newsletterId of ids) {
      if (!hasWelcomeTemplate(this.deps.templateDirs, newsletterId)) continue;
      const editionId = welcomeEditionId(newsletterId);
      await this.deps.store.ledger.releaseRetryableFailures(editionId);
      const pending = await this.deps.store.ledger.list(editionId, 'pending');
      if (pending.length === 0) continue;
      const transport = this.deps.openTransport();
      try {
        for (const row of pending) counts[await this.#sendOne(transport, newsletterId, row.subscriberId)] += 1;
      } finally {
        await transport.close().catch(() => {});
      }
    }
    return counts;
  }

  async #sendOne(
    transport: MailTransport,
    newsletterId: string,
    subscriberId: number,
  ): Promise<'accepted' | 'failed' | 'skipped'> {
    const { ledger } = this.deps.store;
    const editionId = welcomeEditionId(newsletterId);
    let message: OutgoingMessage;
    try {
      message = await this.#message(newsletterId, subscriberId);
    } catch (error) {
      // Before the claim: the row stays pending for the next run, once the template is fixed.
      this.deps.logger.error({ newsletter: newsletterId, error: describeError(error) }, 'welcome mail not built');
      return 'failed';
    }
    const claim = await ledger.claim(editionId, subscriberId, this.deps.clock.now());
    if (!claim.claimed) return 'skipped';
    try {
      const receipt = await transport.send(message);
      await ledger.recordAccepted(editionId, subscriberId, this.deps.clock.now(), {
        messageId: receipt.messageId,
        response: receipt.response,
        segment: 'welcome',
        articleIds: [],
      });
      this.deps.logger.info({ newsletter: newsletterId, subscriber: subscriberId }, 'welcome mail accepted');
      return 'accepted';
    } catch (thrown) {
      const error = thrown instanceof TransportError ? thrown : classifySmtpError(thrown);
      const at = this.deps.clock.now();
      const record = { code: error.code, text: error.response || error.message, attempts: 1 };
      if (error.code === 'TRANSPORT_AMBIGUOUS') await ledger.recordAmbiguous(editionId, subscriberId, at, record);
      else await ledger.recordFailed(editionId, subscriberId, at, { ...record, retryable: error.retryable });
      this.deps.logger.warn({ newsletter: newsletterId, subscriber: subscriberId, code: error.code }, error.message);
      return 'failed';
    }
  }

  async #message(newsletterId: string, subscriberId: number): Promise<OutgoingMessage> {
    const { deps } = this;
    const newsletter = deps.config.newsletters.find((n) => n.id === newsletterId)!;
    const reader = (await deps.store.subscribers.getById(subscriberId))!;
    const locales = [reader.locale, newsletter.locale].filter((l): l is string => Boolean(l));
    const templateFile = findWelcomeTemplate(deps.templateDirs, newsletterId, locales);
    if (!templateFile) throw new TidingsError('TEMPLATE_INVALID', `no welcome template for ${newsletterId}`);
    const base = deps.config.web.baseUrl.replace(/\/+$/, '');
    const [latest] = (await deps.store.editions.listEditions(newsletterId, { statuses: ['sent'] })).sort(
      (a, b) => Date.parse(b.slot) - Date.parse(a.slot),
    );
    const token = (purpose: 'unsubscribe' | 'preferences') =>
      signSubscriberToken({ subscriberId, newsletterId, purpose }, deps.secret);
    return buildWelcomeMessage({
      templateFile,
      newsletter,
      to: { email: reader.email, name: reader.name, firstName: reader.firstName },
      latestEdition: latest
        ? {
            url: `${base}${editionViewPath(latest.id, newsletter.public ? undefined : signEditionView(latest.id, deps.secret))}`,
            slot: latest.slot,
          }
        : null,
      archiveUrl: archiveUrlFor(deps.config, newsletter) ?? null,
      unsubscribeUrl: `${base}/u/${token('unsubscribe')}`,
      preferencesUrl: `${base}/p/${token('preferences')}`,
      editionId: welcomeEditionId(newsletterId),
      subscriberId,
      at: deps.clock.now(),
    });
  }
}
