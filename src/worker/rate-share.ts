import type { MailTransport, OutgoingMessage, SendReceipt } from '../delivery/mail-transport.ts';
import { TokenBucket } from '../delivery/token-bucket.ts';

/**
 * The rate limit held across workers: each worker sends at rate / live workers, the count
 * coming from the workers' heartbeats. A worker that dies stops counting once its
 * heartbeat expires, and the others speed up at their next heartbeat. Without a rate
 * (null) messages pass straight through.
 */
export class RateShareTransport implements MailTransport {
  private bucket: TokenBucket | null = null;
  private share = 0;

  constructor(
    private readonly inner: MailTransport,
    private readonly ratePerSecond: number | null,
  ) {
    this.setWorkers(1);
  }

  /** This worker's share of the rate, in messages per second (Infinity without a limit). */
  get rate(): number {
    return this.ratePerSecond === null ? Infinity : this.share;
  }

  setWorkers(liveWorkers: number): void {
    if (this.ratePerSecond === null) return;
    const share = this.ratePerSecond / Math.max(1, liveWorkers);
    if (share === this.share) return;
    this.share = share;
    this.bucket = new TokenBucket({ ratePerSecond: share, minRatePerSecond: Math.min(share, 0.1) });
  }

  async send(message: OutgoingMessage): Promise<SendReceipt> {
    await this.bucket?.take();
    return this.inner.send(message);
  }

  slowDown(): void {
    this.bucket?.slowDown();
    this.inner.slowDown?.();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
