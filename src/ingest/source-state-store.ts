/**
 * What the store remembers about fetching each configured source: the HTTP validators
 * of its last complete response (so the next fetch can be conditional) and how its
 * recent attempts went (for scheduling, `status` and metrics). Keyed by source name.
 */
import type { HttpValidators } from './types.ts';

export interface SourceFetchState {
  source: string;
  /** The URL (or path) the validators belong to: a source pointed elsewhere starts over. */
  location: string | null;
  validators: HttpValidators;
  /** ISO times of the last attempt, the last success (200 or 304) and the last failure. */
  lastFetchedAt: string | null;
  lastOkAt: string | null;
  lastFailedAt: string | null;
  lastError: string | null;
  lastErrorCode: string | null;
  consecutiveFailures: number;
  /** Every failure since the state was first recorded (a Prometheus counter reads it). */
  totalFailures: number;
}

export interface SourceSuccess {
  location: string | null;
  /** The new validators, or null to keep the stored ones (a 304 answer repeats them). */
  validators: HttpValidators | null;
}

export interface SourceFailure {
  error: string;
  errorCode: string;
}

export interface SourceStateStore {
  listStates(): Promise<SourceFetchState[]>;
  getState(source: string): Promise<SourceFetchState | null>;
  /** Records a successful fetch; resets the failure streak. */
  recordSuccess(source: string, at: Date, success: SourceSuccess): Promise<void>;
  /** Records a failed fetch; the stored validators are left as they were. */
  recordFailure(source: string, at: Date, failure: SourceFailure): Promise<void>;
}
