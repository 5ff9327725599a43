import {
  addSuppression,
  exportByEmail,
  forgetByEmail,
  listSuppressions,
  removeSuppression,
  unsubscribeByEmail,
} from './operator-actions.ts';
import { setCadenceByEmail } from './operator-cadence.ts';
import { addByOperator } from './operator-subscribe.ts';
import type { ServiceCore } from './service-core.ts';
import type { SignupDesk } from './signup.ts';
import type { OperatorService } from './subscriber-types.ts';
import { processUnsubscribeMail } from './unsubscribe-mail.ts';

/** The operator-facing service: suppressions, export, erasure and mailto unsubscribes. */
export function createOperatorService(core: ServiceCore, signups: SignupDesk): OperatorService {
  return {
    addByOperator: (newsletterId, input, options) => addByOperator(core, signups, newsletterId, input, options),
    unsubscribeByEmail: (email, newsletterId) => unsubscribeByEmail(core, email, newsletterId),
    forgetByEmail: (email) => forgetByEmail(core, email),
    setCadenceByEmail: (email, newsletterId, cadence) => setCadenceByEmail(core, email, newsletterId, cadence),
    exportByEmail: (email) => exportByEmail(core, email),
    listSuppressions: () => listSuppressions(core),
    addSuppression: (email, reason) => addSuppression(core, email, reason),
    removeSuppression: (email) => removeSuppression(core, email),
    processUnsubscribeMail: (maildir) => processUnsubscribeMail(core, maildir),
  };
}
