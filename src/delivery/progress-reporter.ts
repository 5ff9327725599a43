import type { SendProgress } from './send-types.ts';

export interface ProgressReporterOptions {
  stream: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** Monotonic milliseconds for throttling redraws (defaults to performance.now). */
  now?: () => number;
  /** Least time between two JSON lines (default 2000 ms) or two redraws (default 100 ms). */
  intervalMs?: number;
  editionId: string;
  /**
   * Off a terminal, each progress event goes here (the JSON log) instead of the stream,
   * so the command's output stays the summary alone.
   */
  log?: (event: Record<string, unknown>) => void;
}

export interface ProgressReporter {
  update(progress: SendProgress): void;
  /** The last state, always written, and the bar's line ended. */
  finish(progress: SendProgress): void;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Seconds left at the current rate, or null when it cannot be known. */
export function estimateRemaining(progress: SendProgress): number | null {
  if (progress.total === undefined || progress.elapsedMs <= 0 || progress.handled === 0) return null;
  const perSecond = progress.handled / (progress.elapsedMs / 1000);
  return Math.max(0, progress.total - progress.handled) / perSecond;
}

/** One line of the terminal bar: `[#####-----] 512/2000 25% · 41.3 msg/s · ETA 00:36 · 3 failed`. */
export function formatProgressBar(progress: SendProgress, width: number): string {
  const eta = estimateRemaining(progress);
  const tail =
    ` ${progress.handled}${progress.total !== undefined ? `/${progress.total}` : ''}` +
    (progress.total ? ` ${Math.floor((progress.handled / progress.total) * 100)}%` : '') +
    ` · ${progress.rate.toFixed(1)} msg/s · ETA ${eta === null ? '--:--' : formatDuration(eta)}` +
    ` · ${progress.accepted} accepted, ${progress.failed} failed, ${progress.skipped} skipped`;
  const barWidth = Math.max(10, Math.min(40, width - tail.length - 3));
  const filled = progress.total
    ? Math.round((Math.min(progress.handled, progress.total) / progress.total) * barWidth)
    : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${tail}`;
}

/**
 * Progress for `tidings send`: a redrawn bar with rate and ETA when the stream is a
 * terminal, JSON lines (one every few seconds) otherwise, so logs stay parseable.
 */
export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const now = options.now ?? (() => performance.now());
  const tty = Boolean(options.stream.isTTY);
  const interval = options.intervalMs ?? (tty ? 100 : 2000);
  let last = -Infinity;

  const write = (progress: SendProgress, final: boolean) => {
    if (tty) {
      const line = formatProgressBar(progress, options.stream.columns ?? 100);
      options.stream.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
      return;
    }
    const eta = estimateRemaining(progress);
    const event = {
      event: final ? 'send.done' : 'send.progress',
      edition: options.editionId,
      accepted: progress.accepted,
      failed: progress.failed,
      skipped: progress.skipped,
      alreadyDone: progress.alreadyDone,
      handled: progress.handled,
      total: progress.total ?? null,
      rate: Math.round(progress.rate * 10) / 10,
      etaSeconds: eta === null ? null : Math.round(eta),
    };
    if (options.log) options.log(event);
    else options.stream.write(`${JSON.stringify(event)}\n`);
  };

  return {
    update(progress) {
      const at = now();
      if (at - last < interval) return;
      last = at;
      write(progress, false);
    },
    finish(progress) {
      write(progress, true);
    },
  };
}
