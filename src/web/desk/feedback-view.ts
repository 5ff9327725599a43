import type { EditionFeedbackCounts } from '../../delivery/delivery-events.ts';
import { feedbackRates, formatPercent, isAboveComplaintLimit } from '../../delivery/feedback-rates.ts';

/**
 * An edition's bounces and complaints as the desk shows them (list and edition page):
 * null when none came back, so the templates print nothing for quiet editions.
 */
export function feedbackView(counts: EditionFeedbackCounts | undefined, accepted: number) {
  const rates = feedbackRates(counts, accepted);
  if (!rates.hardBounces && !rates.softBounces && !rates.complaints) return null;
  return {
    hardBounces: rates.hardBounces,
    softBounces: rates.softBounces,
    complaints: rates.complaints,
    bounceRate: formatPercent(rates.bounceRate),
    complaintRate: formatPercent(rates.complaintRate),
    complaintWarning: isAboveComplaintLimit(rates),
  };
}
