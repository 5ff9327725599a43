import type { EditionFeedbackCounts } from './delivery-events.ts';

/** Gmail's limit for bulk senders: complaints above 0.3% of delivered mail hurt placement. */
export const COMPLAINT_RATE_LIMIT = 0.003;

export interface FeedbackRates extends EditionFeedbackCounts {
  /** Shares of the accepted deliveries (null before anything was accepted). */
  bounceRate: number | null;
  complaintRate: number | null;
}

/** Hard bounces and complaints as shares of what the servers accepted (`tidings status`, the desk). */
export function feedbackRates(counts: EditionFeedbackCounts | undefined, accepted: number): FeedbackRates {
  const c = counts ?? { hardBounces: 0, softBounces: 0, complaints: 0 };
  return {
    ...c,
    bounceRate: accepted ? c.hardBounces / accepted : null,
    complaintRate: accepted ? c.complaints / accepted : null,
  };
}

export const formatPercent = (rate: number | null) => (rate === null ? '-' : `${(rate * 100).toFixed(2)}%`);

export const isAboveComplaintLimit = (rates: FeedbackRates) =>
  rates.complaintRate !== null && rates.complaintRate > COMPLAINT_RATE_LIMIT;
