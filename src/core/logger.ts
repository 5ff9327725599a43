import { createRequire } from 'node:module';
import pino from 'pino';

// pino-pretty only for a terminal: required on demand so piped runs do not load it.
const requireOnDemand = createRequire(import.meta.url);

/** The logging surface the code depends on; pino satisfies it, tests may pass a silent one. */
export type Logger = pino.Logger;

export interface LoggerOptions {
  level?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Human-readable lines (a terminal) instead of JSON lines. */
  pretty?: boolean;
  /** Where lines go; defaults to stderr so that command output on stdout stays clean. */
  destination?: NodeJS.WritableStream;
  /**
   * Applied to message strings of readable (pretty) lines, which reach a terminal as they
   * are; JSON lines escape control characters themselves.
   */
  sanitize?: (text: string) => string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  if (options.pretty) {
    // In-thread and synchronous, so log lines and command output appear in order.
    const pinoPretty = requireOnDemand('pino-pretty') as typeof import('pino-pretty');
    const pretty = pinoPretty({
      destination: 2,
      sync: true,
      colorize: true,
      singleLine: true,
      translateTime: 'HH:MM:ss',
      ignore: 'pid,hostname',
    });
    const sanitize = options.sanitize;
    const hooks: pino.LoggerOptions['hooks'] = sanitize
      ? {
          logMethod(args, method) {
            const clean = args.map((arg: unknown) => (typeof arg === 'string' ? sanitize(arg) : arg)) as typeof args;
            method.apply(this, clean);
          },
        }
      : undefined;
    return pino({ level, base: undefined, hooks }, pretty);
  }
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  return pino(
    { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime },
    destination as pino.DestinationStream,
  );
}

export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
