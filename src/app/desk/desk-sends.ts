import { describeError } from '../../core/errors.ts';
import type { Edition } from '../../editions/edition.ts';
import type { AppContext } from '../context.ts';
import { runSend } from '../run-send.ts';
import { runTestSend } from '../run-test-send.ts';

/**
 * Sends started from the desk: the same app-layer send as `tidings send`, run in the
 * background of the server (the page follows it through server-sent events), one at a
 * time per edition; each start and end is audit-logged with the editor's name.
 */
export class DeskSends {
  readonly #ctx: AppContext;
  readonly #running = new Map<string, Promise<void>>();

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
  }

  isRunning(editionId: string): boolean {
    return this.#running.has(editionId);
  }

  async #log(actor: string, edition: Edition, action: string, details: Record<string, unknown>): Promise<void> {
    await this.#ctx.store.audit.record({
      at: this.#ctx.clock.now().toISOString(),
      actor,
      action,
      newsletterId: edition.newsletterId,
      editionId: edition.id,
      details,
    });
  }

  /** Starts the send unless one is running; resolves once it has started (not finished). */
  async start(edition: Edition, actor: string): Promise<boolean> {
    if (this.#running.has(edition.id)) return false;
    await this.#log(actor, edition, 'send', {});
    const done = runSend(this.#ctx, edition.newsletterId, { edition })
      .then((outcome) =>
        this.#log(actor, edition, 'send.finished', { exitCode: outcome.exitCode, summary: outcome.lines.join(' ') }),
      )
      .catch((error) => this.#log(actor, edition, 'send.failed', { error: describeError(error) }))
      .finally(() => this.#running.delete(edition.id));
    this.#running.set(edition.id, done);
    return true;
  }

  /** One `[TEST]` copy to any address, the ledger untouched (as `tidings send --test`). */
  async sendTest(
    edition: Edition,
    actor: string,
    to: string,
    subscriber?: string,
  ): Promise<{ ok: boolean; message: string }> {
    try {
      const lines: string[] = [];
      const ctx = { ...this.#ctx, out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
      const code = await runTestSend(ctx, edition.newsletterId, {
        edition,
        to,
        subscriber: subscriber || undefined,
      });
      await this.#log(actor, edition, 'send.test', { to, subscriber: subscriber || null, ok: code === 0 });
      return { ok: code === 0, message: lines.join(' ') };
    } catch (error) {
      await this.#log(actor, edition, 'send.test', { to, ok: false, error: describeError(error) });
      return { ok: false, message: describeError(error) };
    }
  }

  /** Waits for every running send (server shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
  }
}
