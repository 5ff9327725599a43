import {
  addSuppression,
  exportByEmail,
  forgetByEmail,
  listSuppressions,
  removeSuppression,
  unsubscribeByEmail,
} from './operator-actions.ts';
import type { ServiceCore } from './service-core.ts';
import type { OperatorService } from './subscriber-types.ts';
import { processUnsubscribeMail } from './unsubscribe-mail.ts';

/** The operator-facing service: suppressions, export, erasure and mailto unsubscribes. */
export function createOperatorService(core: ServiceCore): OperatorService {
  return {
    unsubscribeByEmail: (email, newsletterId) => unsubscribeByEmail(core, email, newsletterId),
    forgetByEmail: (email) => forgetByEmail(core, email),
    exportByEmail: (email) => exportByEmail(core, email),
    listSuppressions: () => listSuppressions(core),
    addSuppression: (email, reason) => addSuppression(core, email, reason),
    removeSuppression: (email) => removeSuppression(core, email),
    processUnsubscribeMail: (maildir) => processUnsubscribeMail(core, maildir),
  };
}
