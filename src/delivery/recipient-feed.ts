import type { DeliveryRecipient } from './send-types.ts';

/**
 * Hands recipients to concurrent workers one at a time while reading the stream in
 * small batches; `onBatch` sees each batch before any of it is handed out (its ledger
 * rows made pending in one transaction, what planning needs read at once). Only one
 * batch is held at once, so memory does not grow with the list.
 */
export class RecipientFeed<R extends DeliveryRecipient> {
  private readonly iterator: AsyncIterator<R>;
  private buffer: R[] = [];
  private index = 0;
  private done = false;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    recipients: AsyncIterable<R>,
    private readonly batchSize: number,
    private readonly onBatch: ((batch: readonly R[]) => Promise<void>) | null,
  ) {
    this.iterator = recipients[Symbol.asyncIterator]();
  }

  /** The next recipient, or null at the end of the list. Safe to call from several workers. */
  next(): Promise<R | null> {
    const turn = this.lock.then(() => this.take());
    this.lock = turn.catch(() => undefined);
    return turn;
  }

  /** Stops reading (the source's `return` runs, closing a cursor or a file). */
  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.iterator.return?.();
    }
  }

  private async take(): Promise<R | null> {
    if (this.index >= this.buffer.length) {
      if (this.done) return null;
      await this.fill();
      if (this.index >= this.buffer.length) return null;
    }
    const recipient = this.buffer[this.index]!;
    this.buffer[this.index++] = undefined as unknown as R;
    return recipient;
  }

  private async fill(): Promise<void> {
    const batch: R[] = [];
    while (batch.length < this.batchSize) {
      const step = await this.iterator.next();
      if (step.done) {
        this.done = true;
        break;
      }
      batch.push(step.value);
    }
    if (batch.length && this.onBatch) await this.onBatch(batch);
    this.buffer = batch;
    this.index = 0;
  }
}
