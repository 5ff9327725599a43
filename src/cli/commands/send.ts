import type { AppContext } from '../../app/context.ts';
import { runSend } from '../../app/run-send.ts';
import { runTestSend } from '../../app/run-test-send.ts';
import { UsageError } from '../../core/errors.ts';
import { armShutdownBackstop } from './shutdown-backstop.ts';

/**
 * SIGINT/SIGTERM stop claiming; messages in flight are finished and recorded, within
 * `shutdownTimeout` (ctx.shutdown): then the transports end their connections and what was
 * in flight is recorded as never sent or, past its final dot, ambiguous. A second signal
 * exits at once.
 */
export function stopOnSignals(ctx: AppContext): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const stop = (name: string) => () => {
    if (!controller.signal.aborted) {
      ctx.err(
        `${name}: finishing the messages in flight, then stopping (at most ${Math.round(ctx.config.shutdownTimeout / 1000)} s; again to force)`,
      );
      ctx.shutdown.begin();
      armShutdownBackstop(ctx);
    } else process.exit(130);
    controller.abort();
  };
  const onInt = stop('SIGINT');
  const onTerm = stop('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

const kebab = (flag: string) => `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export interface SendFlags {
  at?: string;
  dryRun?: boolean;
  limit?: string;
  resendAmbiguous?: boolean;
  force?: boolean;
  test?: string;
  subscriber?: string;
}

/** `tidings send`: a test copy, or the edition for the slot to every subscriber. */
export async function runSendCommand(ctx: AppContext, newsletter: string, flags: SendFlags): Promise<number> {
  if (flags.test !== undefined) {
    const ignored = (['dryRun', 'limit', 'resendAmbiguous', 'force'] as const).filter(
      (flag) => flags[flag] !== undefined,
    );
    if (ignored.length)
      throw new UsageError(
        `--test sends one copy outside the ledger: it cannot be combined with ${ignored.map(kebab).join(', ')}`,
      );
    return runTestSend(ctx, newsletter, { at: flags.at, to: flags.test, subscriber: flags.subscriber });
  }
  const limit = flags.limit === undefined ? undefined : Number(flags.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    throw new UsageError('--limit: must be a positive integer');
  const signals = stopOnSignals(ctx);
  try {
    const outcome = await runSend(ctx, newsletter, { ...flags, limit, signal: signals.signal });
    for (const line of outcome.lines) ctx.out(line);
    return outcome.exitCode;
  } finally {
    signals.release();
  }
}
