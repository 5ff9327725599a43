import { describeToken, eraseByToken, resubscribeByToken, unsubscribeByToken } from './link-actions.ts';
import { getPreferences, savePreferences } from './preferences.ts';
import type { ServiceCore } from './service-core.ts';
import type { SignupDesk } from './signup.ts';
import type { ReaderService } from './subscriber-types.ts';
import { WebEditions } from './web-editions.ts';

/** The reader-facing service: link tokens, preferences, signup (with its mail queue) and the public archive. */
export function createReaderService(core: ServiceCore, signups: SignupDesk): ReaderService {
  const editions = new WebEditions(core);
  return {
    describeToken: (token, purpose) => describeToken(core, token, purpose),
    unsubscribe: (token, options) => unsubscribeByToken(core, token, options?.channel ?? 'web'),
    resubscribe: (token) => resubscribeByToken(core, token),
    getPreferences: (token) => getPreferences(core, token),
    savePreferences: (token, input) => savePreferences(core, token, input),
    erase: (token) => eraseByToken(core, token),
    requestSignup: (newsletterId, input, request) => signups.request(newsletterId, input, request),
    describeSignup: (token) => signups.describeConfirmation(token),
    confirmSignup: (token) => signups.confirm(token),
    editionForWeb: (editionId, viewKey) => editions.edition(editionId, viewKey),
    publicArchive: (newsletterId) => editions.archive(newsletterId),
    drain: () => signups.drain(),
    sendQueuedMail: () => signups.sendQueued(),
  };
}
