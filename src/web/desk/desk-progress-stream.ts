import { performance } from 'node:perf_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EditionProgress } from '../../app/edition-progress.ts';
import type { DeskDeps } from './desk-deps.ts';

/** One sample of the progress stream: the counts, the rate since the previous sample and the time left at it. */
function progressEvent(progress: EditionProgress, rate: number) {
  const { counts, status, audience, notYetQueued, inFlightAtWorkers, ambiguous } = progress;
  const remaining = counts.pending + counts.sending + notYetQueued;
  return {
    ...counts,
    status,
    audience,
    notYetQueued,
    inFlightAtWorkers,
    ambiguous,
    rate: Math.round(rate * 10) / 10,
    secondsLeft: rate > 0 ? Math.ceil(remaining / rate) : null,
  };
}

/**
 * Live progress of a send: the ledger's counts every second, with the rate between
 * samples and the time left at that rate, as server-sent events, until the send ends or
 * the client leaves. `streams` holds the open ones so the server can end them on close.
 */
export async function streamEditionProgress(
  deps: DeskDeps,
  editionId: string,
  request: FastifyRequest,
  reply: FastifyReply,
  streams: Set<FastifyReply>,
): Promise<void> {
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  streams.add(reply);
  let previous: { done: number; at: number } | null = null;
  const tick = async () => {
    const progress = await deps.ops.progress(editionId);
    const { counts } = progress;
    const done = counts.accepted + counts.failed + counts.skipped;
    const now = performance.now();
    const rate = previous && now > previous.at ? ((done - previous.done) * 1000) / (now - previous.at) : 0;
    previous = { done, at: now };
    reply.raw.write(`data: ${JSON.stringify(progressEvent(progress, rate))}\n\n`);
    if (progress.status !== 'sending' && !deps.sends.isRunning(editionId)) stop();
  };
  const timer = setInterval(() => void tick().catch(stop), 1000);
  function stop() {
    clearInterval(timer);
    streams.delete(reply);
    reply.raw.end();
  }
  request.raw.on('close', stop);
  await tick();
}
