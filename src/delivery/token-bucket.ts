/**
 * A token bucket in messages per second with a burst of one second's worth. When the
 * server throttles, `slowDown` halves the rate (down to a floor) for a cool-down
 * period, after which the configured rate comes back.
 */
export interface TokenBucketOptions {
  ratePerSecond: number;
  /** Monotonic milliseconds; defaults to performance.now (not the wall clock). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  coolDownMs?: number;
  minRatePerSecond?: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private rate: number;
  private slowUntil = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: TokenBucketOptions) {
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.rate = options.ratePerSecond;
    this.tokens = Math.max(1, options.ratePerSecond);
    this.last = this.now();
  }

  get currentRate(): number {
    return this.rate;
  }

  /** Waits for one token; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  slowDown(): void {
    const floor = this.options.minRatePerSecond ?? Math.min(1, this.options.ratePerSecond);
    this.rate = Math.max(floor, this.rate / 2);
    this.slowUntil = this.now() + (this.options.coolDownMs ?? 60_000);
    this.tokens = Math.min(this.tokens, 1);
  }

  private refill(): void {
    const now = this.now();
    if (this.slowUntil && now >= this.slowUntil) {
      this.rate = this.options.ratePerSecond;
      this.slowUntil = 0;
    }
    this.tokens = Math.min(Math.max(1, this.rate), this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  private async waitForToken(): Promise<void> {
    this.refill();
    while (this.tokens < 1) {
      await this.sleep(Math.ceil(((1 - this.tokens) / this.rate) * 1000));
      this.refill();
    }
    this.tokens -= 1;
  }
}
