import type { Clock } from '../core/clock.ts';
import type { WorkQueue } from '../delivery/work-queue.ts';
import { SegmentCache } from '../delivery/segment-cache.ts';
import type { RenderedSegment } from '../render/render-types.ts';

/**
 * Segments rendered once per edition across workers: the first worker to need a segment
 * renders and stores it; the others (and its own later batches) read the stored one. Two
 * workers may render the same segment at the same moment; the first stored copy wins and
 * both send it, so every reader of a segment gets the same bytes.
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
      const stored = await this.queue.loadSegment(this.editionId, segmentKey);
      if (stored !== null) {
        this.reused++;
        return JSON.parse(stored) as RenderedSegment;
      }
      const fresh = await render();
      this.rendered++;
      const kept = await this.queue.saveSegment(this.editionId, segmentKey, JSON.stringify(fresh), this.workerId, this.clock.now());
      return JSON.parse(kept) as RenderedSegment;
    });
  }
}
