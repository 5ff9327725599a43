import { parentPort } from 'node:worker_threads';
import { isTidingsError } from '../../core/errors.ts';
import { boundHtml } from './bound-html.ts';
import { extractPage } from './extract-page.ts';
import type { PageJob, PageJobResult } from './page-job.ts';

/**
 * Runs in a worker thread: the bounding pre-pass and Readability for one page at a
 * time. The parent terminates the thread when a page overruns its time budget, so
 * nothing here needs to watch the clock.
 */
parentPort!.on('message', (job: PageJob) => {
  let result: PageJobResult;
  try {
    const bounded = boundHtml(job.html, job.budget, job.name);
    const draft = extractPage(bounded.html, { url: job.url, name: job.name });
    result = { id: job.id, ok: true, draft, depth: bounded.depth, elements: bounded.elements, flattened: bounded.flattened };
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
