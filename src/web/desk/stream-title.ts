import type { NewsletterConfig } from '../../config/schema.ts';

/**
 * A newsletter's name on the desk, with the cadence of its edition stream when it offers
 * several (`World · weekly`): each cadence has its own drafts and approvals, and an
 * editor must see which one they are curating.
 */
export function streamTitle(newsletter: Pick<NewsletterConfig, 'title' | 'cadence'>): string {
  const cadence = newsletter.cadence;
  return cadence && cadence.offered.length > 1 ? `${newsletter.title} · ${cadence.name}` : newsletter.title;
}
