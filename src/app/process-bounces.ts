import type { Clock } from '../core/clock.ts';
import { describeError, isTidingsError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { MAX_REPORT_BYTES, readFeedbackReport, type FeedbackReport } from '../delivery/bounce-report.ts';
import type { DeliveryEventKind, DeliveryEventStore } from '../delivery/delivery-events.ts';
import type { MailboxMessage, ReportMailbox } from '../delivery/report-mailbox.ts';
import { findVerpDelivery, parseVerpAddress, type VerpDelivery } from '../delivery/verp-address.ts';
import type { SubscriberStore } from '../subscribers/subscriber-store.ts';
import type { SubscriberService } from './subscribers/subscriber-service.ts';

export interface ProcessBouncesDeps {
  events: DeliveryEventStore;
  subscribers: Pick<SubscriberStore, 'recordHardBounce' | 'getById'>;
  /** A complaint ends every subscription and suppresses the address, as an operator would. */
  service: Pick<SubscriberService, 'unsubscribeByEmail' | 'addSuppression'>;
  /** transport.returnPath: the VERP addresses are read at it. */
  returnPath: string;
  /** web.secret: checks the VERP signature. */
  secret: string;
  /** delivery.bounceAfter: hard bounces in a row that mark a subscriber bounced. */
  bounceAfter: number;
  clock: Clock;
  logger: Logger;
  /** Called as each message is done, so a run that stops half-way has shown what it did. */
  onProcessed?: (item: ProcessedReport) => void;
  /** `folder`: where it was moved, as the mailbox names it. */
  onFailed?: (item: { file: string; reason: string }, folder: string) => void;
}

export interface ProcessedReport {
  file: string;
  /** What was done: 'hard-bounce' (and whether it marked the subscriber bounced), 'soft-bounce', 'complaint', 'ignored', 'seen before'. */
  outcome: DeliveryEventKind | 'ignored' | 'seen before';
  delivery: VerpDelivery | null;
  detail: string;
}

export interface BounceProcessReport {
  processed: ProcessedReport[];
  /** Moved to the failed folder: not a report, or no delivery of ours named in it. */
  failed: { file: string; reason: string }[];
  /** The mailbox's folders, as `.Processed/` (Maildir) or `Tidings/Processed/` (IMAP). */
  folders: { processed: string; failed: string };
}

/** The first address in the report that is a VERP address of ours with a valid signature for one of the subscriber's deliveries. */
async function findDelivery(deps: ProcessBouncesDeps, addresses: readonly string[]): Promise<VerpDelivery | string> {
  let sawToken = false;
  for (const address of addresses) {
    const token = parseVerpAddress(address, deps.returnPath);
    if (!token) continue;
    sawToken = true;
    const delivery = findVerpDelivery(token, await deps.events.editionIdsFor(token.subscriberId), deps.secret);
    if (delivery) return delivery;
  }
  return sawToken
    ? 'its VERP address matches no delivery (signed with another web.secret, a test copy, or forged)'
    : `no VERP address at ${deps.returnPath} in it (To, Delivered-To, the returned Return-Path or Original-Mail-From)`;
}

async function applyReport(
  deps: ProcessBouncesDeps,
  message: MailboxMessage,
  report: Exclude<FeedbackReport, { kind: 'malformed' }>,
  delivery: VerpDelivery,
): Promise<ProcessedReport> {
  const file = message.name;
  if (report.kind === 'not-a-failure')
    return { file, outcome: 'ignored', delivery, detail: `action ${report.action}: not a failure` };
  const at = deps.clock.now();
  const kind: DeliveryEventKind =
    report.kind === 'complaint' ? 'complaint' : report.severity === 'hard' ? 'hard-bounce' : 'soft-bounce';
  const status = report.kind === 'complaint' ? report.feedbackType : report.status;
  const diagnostic = report.kind === 'bounce' ? report.diagnostic : null;
  // Recorded first: a rerun after a crash finds the report and does not count it twice.
  const fresh = await deps.events.record({
    ...delivery,
    kind,
    status,
    detail: diagnostic,
    reportId: message.reportId,
    at,
  });
  if (!fresh) return { file, outcome: 'seen before', delivery, detail: `${kind} ${status} already recorded` };
  if (kind === 'hard-bounce') {
    const { bounced, hardBounces } = await deps.subscribers.recordHardBounce(
      delivery.subscriberId,
      at,
      deps.bounceAfter,
    );
    return {
      file,
      outcome: kind,
      delivery,
      detail: `${status}, ${hardBounces} in a row${bounced ? ': marked bounced' : ''}`,
    };
  }
  if (kind === 'complaint') {
    const subscriber = await deps.subscribers.getById(delivery.subscriberId);
    if (!subscriber || subscriber.status === 'erased')
      return { file, outcome: kind, delivery, detail: `${status}; the subscriber was erased before` };
    const ended = await deps.service.unsubscribeByEmail(subscriber.email);
    await deps.service.addSuppression(subscriber.email, `complaint (${status}) about ${delivery.editionId}`);
    return {
      file,
      outcome: kind,
      delivery,
      detail: `${status}: unsubscribed from ${ended.length ? ended.join(', ') : 'nothing (already)'} and suppressed`,
    };
  }
  return { file, outcome: kind, delivery, detail: `${status}${diagnostic ? ` ${diagnostic}` : ''}` };
}

/**
 * `tidings bounces process <mailbox>`: each message (a Maildir's `new/` and `cur/`, or an
 * IMAP folder) is read as a DSN or an ARF complaint, tied to its delivery by the VERP
 * address, acted on (hard bounce counted toward bounceAfter, soft bounce recorded,
 * complaint: unsubscribed and suppressed at once) and only then moved to the processed
 * folder; what cannot be read or tied to a delivery moves to the failed folder and is
 * listed with the reason. A store or mailbox failure (MAILBOX_FAILED: the connection
 * dropped) stops the run: the message at hand stays where it is for the next run, which
 * finds its report recorded and does not count it twice.
 */
export async function processBounces(deps: ProcessBouncesDeps, mailbox: ReportMailbox): Promise<BounceProcessReport> {
  const result: BounceProcessReport = { processed: [], failed: [], folders: mailbox.folders };
  for (const message of await mailbox.list()) {
    const file = message.name;
    let reason: string;
    try {
      const report = readFeedbackReport(await mailbox.read(message, MAX_REPORT_BYTES));
      if (report.kind === 'malformed') {
        reason = report.reason;
      } else {
        const delivery = await findDelivery(deps, report.addresses);
        if (typeof delivery === 'string') {
          reason = delivery;
        } else {
          const item = await applyReport(deps, message, report, delivery);
          await mailbox.move(message, 'processed');
          result.processed.push(item);
          deps.onProcessed?.(item);
          continue;
        }
      }
    } catch (error) {
      // A store or mailbox failure stops the run (the message stays for the next one); anything else is this message's problem.
      if (isTidingsError(error) && (error.code === 'STORE_FAILED' || error.code === 'MAILBOX_FAILED')) throw error;
      reason = `unreadable: ${describeError(error)}`;
    }
    deps.logger.warn({ file, reason }, 'bounce mailbox: message not processed');
    await mailbox.move(message, 'failed');
    result.failed.push({ file, reason });
    deps.onFailed?.({ file, reason }, mailbox.folders.failed);
  }
  return result;
}
