interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * One statement for many rows: requests that arrive while the previous statement is on
 * its way to the server (or in the same turn of the event loop) travel together in the
 * next one, as the SQLite ledger's group commit does (src/store/sqlite/group-commit.ts).
 * With one request at a time nothing waits; under load the round trips (and the server's
 * commits) are shared. Each caller's promise settles only once its own statement has
 * returned, so a claim is still committed before its SMTP call.
 *
 * If a shared statement fails, nothing of it was written (one statement is atomic); each
 * request then runs alone, so only the one that fails is refused.
 */
export class StatementBatch<I, O> {
  private queue: Waiting<I, O>[] = [];
  private running = false;

  constructor(
    /** Runs the inputs as one statement; returns one output per input, in order. */
    private readonly runMany: (inputs: I[]) => Promise<O[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const outputs = await this.runMany(batch.map((w) => w.input));
        batch.forEach((w, i) => {
          w.resolve(outputs[i]!);
        });
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        else for (const waiting of batch) await this.runAlone(waiting);
      }
    }
    this.running = false;
  }

  private async runAlone(waiting: Waiting<I, O>): Promise<void> {
    try {
      waiting.resolve((await this.runMany([waiting.input]))[0]!);
    } catch (error) {
      waiting.reject(error);
    }
  }
}
