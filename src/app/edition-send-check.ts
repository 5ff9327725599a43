import type { NewsletterConfig } from '../config/schema.ts';
import { TidingsError } from '../core/errors.ts';
import type { Edition } from '../editions/edition.ts';

/** Whether an edition may be sent now by an editor (desk) or an API token: EDITION_STATE otherwise. */
export function checkSendable(edition: Edition, newsletter: NewsletterConfig): void {
  if (edition.status === 'skipped') throw new TidingsError('EDITION_STATE', 'a skipped edition is never sent');
  if (newsletter.requireApproval && edition.status !== 'approved' && edition.status !== 'sending')
    throw new TidingsError('EDITION_STATE', 'approve the edition before sending it');
}
