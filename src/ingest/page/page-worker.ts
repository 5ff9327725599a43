import { parentPort } from 'node:worker_threads';
import { isTidingsError } from '../../core/errors.ts';
import { extractPage } from './extract-page.ts';
import type { PageJob, PageJobResult } from './page-job.ts';

/**
 * Runs in a worker thread: Readability over one (already bounded) page at a time.
 * The parent terminates the thread when a page overruns its time or heap budget, so
 * nothing here needs to watch the clock.
 */
parentPort!.on('message', (job: PageJob) => {
  let result: PageJobResult;
  try {
    result = { id: job.id, ok: true, draft: extractPage(job.html, { url: job.url, name: job.name }) };
  } catch (error) {
    const tidings = isTidingsError(error);
    result = {
      id: job.id,
      ok: false,
      code: tidings ? error.code : 'SOURCE_PARSE',
      message: tidings ? error.message : `could not extract the article: ${(error as Error).message}`,
      where: tidings ? (error.where ?? null) : null,
    };
  }
  parentPort!.postMessage(result);
});
