import { TidingsError } from '../../core/errors.ts';
import { verifyEditionView } from '../../delivery/subscriber-token.ts';
import { parseEditionId } from '../../editions/slot.ts';
import { editionViewPath } from '../../delivery/subscriber-token.ts';
import type { ServiceCore } from './service-core.ts';
import type { ArchiveEntry, PublicArchive, WebEdition } from './subscriber-types.ts';

/** Editions whose mails went out: only these have a web page (drafts stay private). */
const PUBLISHED = new Set(['sending', 'sent']);
/** The archive lists at most this many editions, newest first. */
export const ARCHIVE_LIMIT = 100;
const CACHE_LIMIT = 200;

/**
 * Sent editions as web pages. An edition is frozen once sent, so each is rendered once
 * per process (a bounded cache); the page is the whole edition for a reader of every
 * category, with no personal token or name.
 */
export class WebEditions {
  private readonly cache = new Map<string, Promise<WebEdition>>();

  constructor(private readonly core: ServiceCore) {}

  /**
   * A sent edition's page. A newsletter that is not public shows it only with the key of
   * the view-online link its emails carry (`viewKey`); without it, the same 404 as an
   * edition that does not exist.
   */
  async edition(editionId: string, viewKey?: string | null): Promise<WebEdition> {
    const parts = parseEditionId(String(editionId ?? ''));
    if (!parts) throw new TidingsError('NOT_FOUND', `no edition "${editionId}"`);
    const newsletter = this.core.deps.config.newsletters.find((n) => n.id === parts.newsletterId);
    if (newsletter && !newsletter.public && !verifyEditionView(editionId, viewKey, this.core.deps.secret)) {
      throw new TidingsError(
        'NOT_FOUND',
        `no sent edition "${editionId}" (not public: the link from the email is needed)`,
      );
    }
    const cached = this.cache.get(editionId);
    if (cached) return cached;
    const pending = this.render(editionId);
    this.cache.set(editionId, pending);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    pending.catch(() => this.cache.delete(editionId));
    return pending;
  }

  private async render(editionId: string): Promise<WebEdition> {
    const { deps } = this.core;
    const edition = await deps.store.editions.getEdition(editionId);
    const newsletter = edition ? deps.config.newsletters.find((n) => n.id === edition.newsletterId) : undefined;
    if (!edition || !newsletter || !PUBLISHED.has(edition.status))
      throw new TidingsError('NOT_FOUND', `no sent edition "${editionId}"`);
    const rendered = await deps.renderEditionForWeb(edition, newsletter);
    if (!rendered) throw new TidingsError('NOT_FOUND', `edition "${editionId}" has nothing to show`);
    const activity = (await deps.store.ledger.editions(newsletter.id)).find((e) => e.editionId === edition.id);
    return {
      id: edition.id,
      newsletter: { id: newsletter.id, title: newsletter.title },
      subject: rendered.subject,
      slot: edition.slot,
      sentAt: activity?.lastActivityAt ?? null,
      html: rendered.html,
      text: rendered.text,
      highlights: rendered.highlights,
      archivePublic: newsletter.public,
    };
  }

  async archive(newsletterId: string): Promise<PublicArchive> {
    const newsletter = this.core.deps.config.newsletters.find((n) => n.id === newsletterId);
    if (!newsletter?.public) throw new TidingsError('NOT_FOUND', `no public archive "${newsletterId}"`);
    const sent = (await this.core.deps.store.editions.listEditions(newsletter.id))
      .filter((e) => e.status === 'sent')
      .sort((a, b) => Date.parse(b.slot) - Date.parse(a.slot))
      .slice(0, ARCHIVE_LIMIT);
    const editions: ArchiveEntry[] = [];
    for (const edition of sent) {
      const page = await this.edition(edition.id);
      editions.push({
        id: edition.id,
        subject: page.subject,
        highlights: page.highlights,
        html: page.html,
        slot: edition.slot,
        sentAt: page.sentAt,
        path: editionViewPath(edition.id),
      });
    }
    return {
      newsletter: { id: newsletter.id, title: newsletter.title, description: newsletter.description },
      editions,
      updatedAt: editions[0] ? (editions[0].sentAt ?? editions[0].slot) : null,
    };
  }
}
