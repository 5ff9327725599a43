/**
 * How long a stop may take. The first SIGTERM/SIGINT begins it; `shutdownTimeout` later
 * `expired` aborts: transports end their connections (a message in flight fails as never
 * sent, or as ambiguous after its final dot), the signup mail queue stops and leaves its
 * mail queued for the next process, and the command returns. It stays below systemd's
 * TimeoutStopSec, so the process exits on its own rather than being killed mid-send.
 */
export class ShutdownBudget {
  readonly #expired = new AbortController();
  #timer: NodeJS.Timeout | undefined;

  constructor(readonly timeoutMs: number) {}

  /** Starts the budget (the first signal); later calls change nothing. */
  begin(): void {
    if (this.#timer || this.#expired.signal.aborted) return;
    this.#timer = setTimeout(() => this.#expired.abort(), this.timeoutMs);
    // The budget alone never keeps a process alive.
    this.#timer.unref();
  }

  get begun(): boolean {
    return this.#timer !== undefined || this.#expired.signal.aborted;
  }

  /** Aborts once the budget is spent: whatever still runs gives up now. */
  get expired(): AbortSignal {
    return this.#expired.signal;
  }

  /** Resolves once `work` settles, or once the budget is spent; true when the work finished. */
  async within(work: Promise<unknown>): Promise<boolean> {
    if (this.#expired.signal.aborted) return false;
    let onExpired: (() => void) | undefined;
    const expired = new Promise<false>((resolve) => {
      onExpired = () => resolve(false);
      this.#expired.signal.addEventListener('abort', onExpired, { once: true });
    });
    try {
      return await Promise.race([
        work.then(
          () => true,
          () => true,
        ),
        expired,
      ]);
    } finally {
      this.#expired.signal.removeEventListener('abort', onExpired!);
    }
  }
}
