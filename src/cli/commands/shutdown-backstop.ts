import type { AppContext } from '../../app/context.ts';

/**
 * The budget is spent: transports are ending their connections and the work records what
 * it had in flight. Should something still hold on (a store that does not answer), the
 * process exits anyway a little later, before the service manager's kill.
 */
export function armShutdownBackstop(ctx: AppContext): void {
  const onExpired = () => {
    ctx.err(
      `shutdownTimeout (${Math.round(ctx.config.shutdownTimeout / 1000)} s) spent: abandoning the work in flight`,
    );
    setTimeout(() => {
      ctx.err('still not stopped 10 s after shutdownTimeout: exiting now (rows left sending are ambiguous)');
      process.exit(1);
    }, 10_000).unref();
  };
  ctx.shutdown.expired.addEventListener('abort', onExpired, { once: true });
}
