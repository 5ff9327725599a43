import { createOperatorService } from './operator-service.ts';
import { createReaderService } from './reader-service.ts';
import { ServiceCore } from './service-core.ts';
import { SignupDesk } from './signup.ts';
import type { OperatorService, ReaderService, SubscriberService, SubscriberServiceDeps } from './subscriber-types.ts';

export type * from './subscriber-types.ts';

/**
 * The subscribers' application layer, split by audience: the reader-facing service
 * (reader-service.ts) behind the subscriber and public pages, the operator-facing one
 * (operator-service.ts) behind `tidings subscribers` and `tidings suppressions`. The web
 * layer only translates HTTP to these calls and back; every rule (tokens, who decides
 * what, erasure, double opt-in) lives beneath them.
 *
 * Errors are TidingsErrors with stable codes the web layer maps to pages:
 * - TOKEN_INVALID (400): tampered, truncated, foreign or wrong-purpose token.
 * - TOKEN_EXPIRED (400/410): a signup confirmation older than 7 days.
 * - NOT_FOUND (404): unknown newsletter, edition not sent, archive not public, signup off.
 * - INPUT_INVALID (400): a field failed validation; `where` names the field.
 */
export function createSubscriberServices(deps: SubscriberServiceDeps): {
  readers: ReaderService;
  operators: OperatorService;
} {
  const core = new ServiceCore(deps);
  // One signup desk: the operator's double opt-in mails share the readers' queue and drain.
  const signups = new SignupDesk(core);
  return { readers: createReaderService(core, signups), operators: createOperatorService(core, signups) };
}

/** Both audiences in one object, over one core (the bounce processor and tests use it). */
export function createSubscriberService(deps: SubscriberServiceDeps): SubscriberService {
  const { readers, operators } = createSubscriberServices(deps);
  return { ...readers, ...operators };
}
