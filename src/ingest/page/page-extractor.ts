import { Worker } from 'node:worker_threads';
import type { ParseLimits } from '../../config/schema.ts';
import type { ArticleDraft } from '../../core/article.ts';
import { SourceError } from '../../core/errors.ts';
import { boundHtml, type BoundedHtml } from './bound-html.ts';
import type { PageJob, PageJobResult } from './page-job.ts';

/** What extracting one page gives: the draft and what the budget changed on the way. */
export interface ExtractedPage {
  draft: ArticleDraft;
  warnings: string[];
}

/**
 * Extracts pages within a budget of their own (`parse` in the configuration). A
 * linear pre-pass (bound-html.ts) fails a page with too many elements at once and
 * flattens, strips and cuts the rest to a bounded size; Readability then runs in a
 * worker thread that is terminated when a page takes longer than `parse.timeout` or
 * needs more heap than `parse.maxMemory`. So the fetch timeout plus the parse budget
 * bound a page source's whole time, and one page cannot take the process's memory or
 * stack with it.
 */
export interface PageExtractor {
  extract(html: string, options: { url: string | null; name: string }): Promise<ExtractedPage>;
  /** Stops the worker; the extractor starts a new one if used again. */
  close(): Promise<void>;
}

const WORKER_ENTRY = new URL('./page-worker-entry.js', import.meta.url);

export function createPageExtractor(limits: ParseLimits): PageExtractor {
  let worker: Worker | null = null;
  let nextId = 1;
  // One page at a time: a second caller waits for the first page's outcome.
  let queue: Promise<unknown> = Promise.resolve();

  const startWorker = (): Worker => {
    const started = new Worker(WORKER_ENTRY, {
      // The young generation is kept small too: V8's default semi-spaces add tens of MB
      // of resident memory on top of the old-generation budget.
      resourceLimits: {
        maxOldGenerationSizeMb: Math.max(16, Math.round(limits.maxMemory / 2 ** 20)),
        maxYoungGenerationSizeMb: 8,
      },
      stdout: false,
      stderr: false,
    });
    // An idle worker must not keep the command alive; it is ref'ed while it works.
    started.unref();
    // A job listens for its own errors; one between jobs must not crash the command
    // (an 'error' event without a listener is thrown), and the next job starts afresh.
    started.on('error', () => {
      if (worker === started) worker = null;
    });
    return started;
  };

  const stopWorker = async () => {
    const stopping = worker;
    worker = null;
    if (stopping) await stopping.terminate();
  };

  const run = (bounded: BoundedHtml, options: { url: string | null; name: string }): Promise<ExtractedPage> =>
    new Promise<ExtractedPage>((resolve, reject) => {
      worker ??= startWorker();
      const current = worker;
      const job: PageJob = { id: nextId++, html: bounded.html, url: options.url, name: options.name };
      let settled = false;
      const finish = (outcome: () => void, keepWorker: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        current.off('message', onMessage);
        current.off('error', onError);
        current.off('exit', onExit);
        if (keepWorker) current.unref();
        else if (worker === current) void stopWorker();
        outcome();
      };
      const fail = (code: ConstructorParameters<typeof SourceError>[0], message: string) =>
        reject(new SourceError(code, message, { where: options.name }));

      const onMessage = (result: PageJobResult) => {
        if (result.id !== job.id) return;
        finish(() => {
          if (result.ok) resolve({ draft: result.draft, warnings: budgetWarnings(bounded, limits) });
          else {
            const where = result.where ?? undefined;
            const prefix = where ? `${where}: ` : '';
            const message = result.message.startsWith(prefix) ? result.message.slice(prefix.length) : result.message;
            reject(new SourceError(result.code, message, { where: where ?? options.name }));
          }
        }, true);
      };
      const onError = (error: Error & { code?: string }) =>
        finish(() => {
          if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
            fail(
              'SOURCE_TOO_COMPLEX',
              `parsing the page needed more than ${formatMegabytes(limits.maxMemory)} of memory (parse.maxMemory); stopped`,
            );
          } else fail('SOURCE_PARSE', `the page parser failed: ${error.message}`);
        }, false);
      const onExit = (code: number) =>
        finish(() => fail('SOURCE_PARSE', `the page parser stopped unexpectedly (exit ${code})`), false);
      const timer = setTimeout(
        () =>
          finish(
            () =>
              fail(
                'SOURCE_PARSE_TIMEOUT',
                `parsing the page took longer than ${formatDuration(limits.timeout)} (parse.timeout); stopped`,
              ),
            false,
          ),
        limits.timeout,
      );

      current.on('message', onMessage);
      current.on('error', onError);
      current.on('exit', onExit);
      current.ref();
      current.postMessage(job);
    });

  return {
    extract(html, options) {
      const result = queue.then(() => {
        // Linear and allocation-light: the main thread can afford it, and a page that
        // fails here never costs a worker's time or a copy of its markup.
        const bounded = boundHtml(html, limits, options.name);
        return run(bounded, options);
      });
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      await queue;
      await stopWorker();
    },
  };
}

function budgetWarnings(bounded: BoundedHtml, limits: ParseLimits): string[] {
  const warnings: string[] = [];
  if (bounded.flattened > 0) {
    warnings.push(
      `elements nested ${bounded.depth} levels deep; ${bounded.flattened} element(s) below ${limits.maxDepth} levels (parse.maxDepth) were flattened into their ancestors`,
    );
  }
  if (bounded.truncated) warnings.push(`the page was cut after ${limits.maxText} characters of text (parse.maxText)`);
  return warnings;
}

function formatMegabytes(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MB`;
}

function formatDuration(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
