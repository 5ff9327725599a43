/**
 * Renders once per segment: the first recipient of a segment starts the render, the
 * others await the same promise. Bounded (least recently used goes first) so that a
 * newsletter with very many segments cannot hold every rendering in memory.
 */
export class SegmentCache<T> {
  private readonly entries = new Map<string, Promise<T>>();
  rendered = 0;

  constructor(private readonly maxEntries: number) {}

  get(key: string, render: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert to mark it as the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    this.rendered++;
    const pending = render();
    this.entries.set(key, pending);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return pending;
  }

  get size(): number {
    return this.entries.size;
  }
}
