import type { FastifyInstance } from 'fastify';
import type { Logger } from '../core/logger.ts';

/** Where signals come from: `process` in the CLI, an EventEmitter in tests. */
export interface SignalSource {
  on(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  off(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

export interface ListeningServer {
  /** The address it listens on, e.g. http://127.0.0.1:8080. */
  address: string;
  /** Resolves once the server has closed (after a signal or `close()`). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Listens, then waits. SIGTERM or SIGINT stop accepting connections and let requests
 * in flight finish (Fastify's close; at most `graceMs`, 10 s by default), then `closed`
 * resolves: the command exits 0.
 */
export async function listenUntilClosed(
  app: FastifyInstance,
  options: {
    host: string;
    port: number;
    logger: Logger;
    signals: SignalSource;
    graceMs?: number;
    onClosing?: () => void;
  },
): Promise<ListeningServer> {
  const graceMs = options.graceMs ?? 10_000;
  // Fastify logs "Server listening at …" itself.
  const address = await app.listen({ host: options.host, port: options.port });
  // The HTTP server emits 'close' once every connection has ended, however close was asked.
  const closed = new Promise<void>((resolve) => app.server.once('close', () => resolve()));
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    if (!closing) {
      options.onClosing?.();
      options.signals.off('SIGTERM', onSignal);
      options.signals.off('SIGINT', onSignal);
      // A keep-alive connection that served a request in flight stays open after its
      // response; close it as soon as it is idle, and every connection after the grace period.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => {
        options.logger.warn({ graceMs }, 'requests still running after the grace period: closing their connections');
        app.server.closeAllConnections();
      }, graceMs);
      closing = app
        .close()
        .then(() => closed)
        .finally(() => {
          clearInterval(sweep);
          clearTimeout(deadline);
        })
        .then(() => options.logger.info('web server closed'));
    }
    return closing;
  };
  const onSignal = () => {
    options.logger.info('signal received: finishing requests in flight, then closing');
    void close();
  };
  options.signals.on('SIGTERM', onSignal);
  options.signals.on('SIGINT', onSignal);
  return { address, closed: closed.then(() => closing ?? undefined), close };
}
