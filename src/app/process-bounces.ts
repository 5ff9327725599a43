import { readFile } from 'node:fs/promises';
import { listMaildirMessages, moveMaildirMessage } from '../core/maildir.ts';
import path from 'node:path';
import type { Clock } from '../core/clock.ts';
import { describeError, isTidingsError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { readFeedbackReport, type FeedbackReport } from '../delivery/bounce-report.ts';
import type { DeliveryEventKind, DeliveryEventStore } from '../delivery/delivery-events.ts';
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
  /** Moved to `.Failed/cur/`: not a report, or no delivery of ours named in it. */
  failed: { file: string; reason: string }[];
}

/** The Maildir unique name without its `:2,flags` info: the same message keeps it when moved. */
function reportIdOf(file: string): string {
  return path.basename(file).split(':')[0]!;
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

async function applyReport(deps: ProcessBouncesDeps, file: string, report: Exclude<FeedbackReport, { kind: 'malformed' }>, delivery: VerpDelivery): Promise<ProcessedReport> {
  if (report.kind === 'not-a-failure') return { file, outcome: 'ignored', delivery, detail: `action ${report.action}: not a failure` };
  const at = deps.clock.now();
  const kind: DeliveryEventKind = report.kind === 'complaint' ? 'complaint' : report.severity === 'hard' ? 'hard-bounce' : 'soft-bounce';
  const status = report.kind === 'complaint' ? report.feedbackType : report.status;
  const diagnostic = report.kind === 'bounce' ? report.diagnostic : null;
  // Recorded first: a rerun after a crash finds the report and does not count it twice.
  const fresh = await deps.events.record({ ...delivery, kind, status, detail: diagnostic, reportId: reportIdOf(file), at });
  if (!fresh) return { file, outcome: 'seen before', delivery, detail: `${kind} ${status} already recorded` };
  if (kind === 'hard-bounce') {
    const { bounced, hardBounces } = await deps.subscribers.recordHardBounce(delivery.subscriberId, at, deps.bounceAfter);
    return { file, outcome: kind, delivery, detail: `${status}, ${hardBounces} in a row${bounced ? ': marked bounced' : ''}` };
  }
  if (kind === 'complaint') {
    const subscriber = await deps.subscribers.getById(delivery.subscriberId);
    if (!subscriber || subscriber.status === 'erased') return { file, outcome: kind, delivery, detail: `${status}; the subscriber was erased before` };
    const ended = await deps.service.unsubscribeByEmail(subscriber.email);
    await deps.service.addSuppression(subscriber.email, `complaint (${status}) about ${delivery.editionId}`);
    return { file, outcome: kind, delivery, detail: `${status}: unsubscribed from ${ended.length ? ended.join(', ') : 'nothing (already)'} and suppressed` };
  }
  return { file, outcome: kind, delivery, detail: `${status}${diagnostic ? ` ${diagnostic}` : ''}` };
}

/**
 * `tidings bounces process <Maildir>`: each message in `new/` and `cur/` is read as a
 * DSN or an ARF complaint, tied to its delivery by the VERP address, acted on (hard
 * bounce counted toward bounceAfter, soft bounce recorded, complaint: unsubscribed and
 * suppressed at once) and moved to `.Processed/cur/`; what cannot be read or tied to a
 * delivery moves to `.Failed/cur/` and is listed with the reason.
 */
export async function processBounces(deps: ProcessBouncesDeps, maildir: string): Promise<BounceProcessReport> {
  const result: BounceProcessReport = { processed: [], failed: [] };
  for (const file of await listMaildirMessages(maildir)) {
    let reason: string;
    try {
      const report = readFeedbackReport(await readFile(path.join(maildir, file)));
      if (report.kind === 'malformed') {
        reason = report.reason;
      } else {
        const delivery = await findDelivery(deps, report.addresses);
        if (typeof delivery === 'string') {
          reason = delivery;
        } else {
          result.processed.push(await applyReport(deps, file, report, delivery));
          await moveMaildirMessage(maildir, file, '.Processed');
          continue;
        }
      }
    } catch (error) {
      // A store failure stops the run (the message stays for the next one); anything else is this message's problem.
      if (isTidingsError(error) && error.code === 'STORE_FAILED') throw error;
      reason = `unreadable: ${describeError(error)}`;
    }
    deps.logger.warn({ file, reason }, 'bounce mailbox: message not processed');
    result.failed.push({ file, reason });
    await moveMaildirMessage(maildir, file, '.Failed');
  }
  return result;
}
