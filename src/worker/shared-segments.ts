import type { Clock } from '../core/clock.ts';
import type { WorkQueue } from '../delivery/work-queue.ts';
import { SegmentCache } from '../delivery/segment-cache.ts';
import type { RenderedSegment } from '../render/render-types.ts';
import type { DeliveryPlan } from '../delivery/send-types.ts';

/**
 * A reservation older than this is taken to be a dead renderer's (a render takes well under
 * a second). Taking over a live one only costs a second render: the first stored copy wins.
 */
const STALE_RESERVATION_MS = 5_000;
/** How often a process waiting for another's render looks again. */
const WAIT_MS = 20;

/**
 * Segments rendered once per edition across workers (and a `tidings send` beside them):
 * the first process to need a segment reserves it, renders and stores it; the others
 * wait for the stored one (and each reads it once, then keeps it). Processes that start
 * together thus render different segments side by side instead of all of them each. If
 * two stored copies ever race, the first stored wins and both send it, so every reader of
 * a segment gets the same bytes.
 */
export class SharedSegments {
  private readonly cache = new SegmentCache<RenderedSegment>(64);
  rendered = 0;
  reused = 0;

  constructor(
    private readonly queue: WorkQueue,
    private readonly editionId: string,
    private readonly workerId: string,
    private readonly clock: Clock,
  ) {}

  get(segmentKey: string, render: () => Promise<RenderedSegment>): Promise<RenderedSegment> {
    return this.cache.get(segmentKey, async () => {
      for (;;) {
        const turn = await this.queue.reserveSegment(
          this.editionId,
          segmentKey,
          this.workerId,
          this.clock.now(),
          STALE_RESERVATION_MS,
        );
        if (turn === 'wait') {
          await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
          continue;
        }
        if (turn !== 'render') {
          this.reused++;
          return JSON.parse(turn.rendered) as RenderedSegment;
        }
        return this.renderReserved(segmentKey, render);
      }
    });
  }

  private async renderReserved(segmentKey: string, render: () => Promise<RenderedSegment>): Promise<RenderedSegment> {
    let fresh: RenderedSegment;
    try {
      fresh = await render();
    } catch (error) {
      // Nobody should wait for a render that failed: the next to need the segment tries it.
      await this.queue.abandonSegment(this.editionId, segmentKey, this.workerId).catch(() => {});
      throw error;
    }
    this.rendered++;
    const kept = await this.queue.saveSegment(
      this.editionId,
      segmentKey,
      JSON.stringify(fresh),
      this.workerId,
      this.clock.now(),
    );
    return JSON.parse(kept) as RenderedSegment;
  }
}

/** A plan function whose renders go through the shared segments (a worker's, or a `tidings send` beside workers). */
export function withSharedRenders<R>(
  plan: (recipient: R) => Promise<DeliveryPlan>,
  segments: SharedSegments,
): (recipient: R) => Promise<DeliveryPlan> {
  return async (recipient) => {
    const planned = await plan(recipient);
    if ('skip' in planned) return planned;
    return { ...planned, render: () => segments.get(planned.segmentKey, planned.render) };
  };
}
