import { Worker } from 'node:worker_threads';
import type { ParseLimits } from '../../config/schema.ts';
import type { ArticleDraft } from '../../core/article.ts';
import { SourceError } from '../../core/errors.ts';
import type { PageJob, PageJobResult } from './page-job.ts';

/** What extracting one page gives: the draft and what the budget changed on the way. */
export interface ExtractedPage {
  draft: ArticleDraft;
  warnings: string[];
}

/**
 * Extracts pages within a budget of their own (`parse` in the configuration). The
 * bounding pre-pass and Readability run in a worker thread that is terminated when a
 * page takes longer than `parse.timeout` or needs more heap than `parse.maxMemory`,
 * so the fetch timeout plus the parse timeout bound a page source's whole time, and
 * one page cannot take the process's memory or stack with it.
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
      resourceLimits: { maxOldGenerationSizeMb: Math.max(16, Math.round(limits.maxMemory / 2 ** 20)) },
      stdout: false,
      stderr: false,
    });
    // An idle worker must not keep the command alive; it is ref'ed while it works.
    started.unref();
    return started;
  };

  const stopWorker = async () => {
    const stopping = worker;
    worker = null;
    if (stopping) await stopping.terminate();
  };

  const run = (html: string, options: { url: string | null; name: string }): Promise<ExtractedPage> =>
    new Promise<ExtractedPage>((resolve, reject) => {
      const current = (worker ??= startWorker());
      const job: PageJob = {
        id: nextId++,
        html,
        url: options.url,
        name: options.name,
        budget: { maxDepth: limits.maxDepth, maxElements: limits.maxElements },
      };
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
          if (result.ok) resolve({ draft: result.draft, warnings: budgetWarnings(result, limits) });
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
            fail('SOURCE_TOO_COMPLEX', `parsing the page needed more than ${formatMegabytes(limits.maxMemory)} of memory (parse.maxMemory); stopped`);
          } else fail('SOURCE_PARSE', `the page parser failed: ${error.message}`);
        }, false);
      const onExit = (code: number) => finish(() => fail('SOURCE_PARSE', `the page parser stopped unexpectedly (exit ${code})`), false);
      const timer = setTimeout(
        () => finish(() => fail('SOURCE_PARSE_TIMEOUT', `parsing the page took longer than ${formatDuration(limits.timeout)} (parse.timeout); stopped`), false),
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
      const result = queue.then(() => run(html, options));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      await queue;
      await stopWorker();
    },
  };
}

function budgetWarnings(result: Extract<PageJobResult, { ok: true }>, limits: ParseLimits): string[] {
  if (result.flattened === 0) return [];
  return [
    `elements nested ${result.depth} levels deep; ${result.flattened} element(s) below ${limits.maxDepth} levels (parse.maxDepth) were flattened into their ancestors`,
  ];
}

function formatMegabytes(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MB`;
}

function formatDuration(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
