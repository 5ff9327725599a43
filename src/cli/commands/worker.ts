import type { AppContext } from '../../app/context.ts';
import { runWorkerFromContext } from '../../app/run-worker-from-context.ts';
import { UsageError } from '../../core/errors.ts';
import { stopOnSignals } from './send.ts';

export interface WorkerFlags {
  newsletter?: string;
  concurrency?: string;
  untilIdle?: boolean;
}

/** `tidings worker`: SIGTERM/SIGINT finish the messages in flight, hand the rest back, and exit 0. */
export async function runWorkerCommand(ctx: AppContext, flags: WorkerFlags): Promise<number> {
  const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0 && concurrency <= 100)) {
    throw new UsageError('--concurrency: must be an integer from 1 to 100');
  }
  const signals = stopOnSignals(ctx);
  try {
    const summary = await runWorkerFromContext(ctx, {
      newsletterId: flags.newsletter,
      concurrency,
      untilIdle: flags.untilIdle,
      signal: signals.signal,
    });
    ctx.out(
      `worker stopped: ${summary.accepted} accepted, ${summary.failed} failed, ${summary.skipped} skipped, ` +
        `${summary.ambiguousThisRun} ambiguous in ${summary.batches} batches (segments: ${summary.segmentsRendered} rendered, ${summary.segmentsReused} reused)`,
    );
    return summary.failed || summary.ambiguousThisRun ? 1 : 0;
  } finally {
    signals.release();
  }
}
