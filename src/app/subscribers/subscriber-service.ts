import type { SubscriberService, SubscriberServiceDeps } from './subscriber-types.ts';
import { describeToken, eraseByToken, resubscribeByToken, unsubscribeByToken } from './link-actions.ts';
import {
  addSuppression,
  exportByEmail,
  forgetByEmail,
  listSuppressions,
  removeSuppression,
  unsubscribeByEmail,
} from './operator-actions.ts';
import { addByOperator } from './operator-subscribe.ts';
import { getPreferences, savePreferences } from './preferences.ts';
import { ServiceCore } from './service-core.ts';
import { SignupDesk } from './signup.ts';
import { processUnsubscribeMail } from './unsubscribe-mail.ts';
import { WebEditions } from './web-editions.ts';

export type * from './subscriber-types.ts';

/**
 * The subscriber pages' application layer: everything `/u/`, `/p/`, `/s/`, `/e/` and
 * `/archive/` need, and the operator commands beneath `tidings subscribers` and
 * `tidings suppressions`. The web layer only translates HTTP to these calls and back;
 * every rule (tokens, who decides what, erasure, double opt-in) lives here.
 *
 * Errors are TidingsErrors with stable codes the web layer maps to pages:
 * - TOKEN_INVALID (400): tampered, truncated, foreign or wrong-purpose token.
 * - TOKEN_EXPIRED (400/410): a signup confirmation older than 7 days.
 * - NOT_FOUND (404): unknown newsletter, edition not sent, archive not public, signup off.
 * - INPUT_INVALID (400): a field failed validation; `where` names the field.
 */

export function createSubscriberService(deps: SubscriberServiceDeps): SubscriberService {
  const core = new ServiceCore(deps);
  const signups = new SignupDesk(core);
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
    unsubscribeByEmail: (email, newsletterId) => unsubscribeByEmail(core, email, newsletterId),
    forgetByEmail: (email) => forgetByEmail(core, email),
    exportByEmail: (email) => exportByEmail(core, email),
    listSuppressions: () => listSuppressions(core),
    addSuppression: (email, reason) => addSuppression(core, email, reason),
    removeSuppression: (email) => removeSuppression(core, email),
    addByOperator: (newsletterId, input, options) => addByOperator(core, signups, newsletterId, input, options),
    processUnsubscribeMail: (maildir) => processUnsubscribeMail(core, maildir),
    drain: () => signups.drain(),
    sendQueuedMail: () => signups.sendQueued(),
  };
}
