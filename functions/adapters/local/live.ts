// The local runtime's live channel: events kept in a ring (the last MAX_KEPT, numbered), handed
// to every open server-sent-events stream; a stream that reconnects with Last-Event-ID gets what
// it missed, or `resync` when that is no longer kept (it reads everything again).
import type { Live, LiveEvent } from '../../ports';

const MAX_KEPT = 1000;

export interface Numbered {
  id: number;
  event: LiveEvent;
}

export class LocalLive implements Live {
  private next = 1;
  private readonly kept: Numbered[] = [];
  private readonly listeners = new Set<(e: Numbered) => void>();

  async publish(events: LiveEvent[]): Promise<void> {
    for (const event of events) {
      const numbered = { id: this.next++, event };
      this.kept.push(numbered);
      if (this.kept.length > MAX_KEPT) this.kept.shift();
      for (const listen of this.listeners) listen(numbered);
    }
  }

  /** What came after `lastId`, or null where some of it is no longer kept. */
  since(lastId: number): Numbered[] | null {
    if (lastId >= this.next - 1) return [];
    const first = this.kept[0]?.id ?? this.next;
    if (lastId + 1 < first) return null;
    return this.kept.filter((n) => n.id > lastId);
  }

  /** The id of the latest event (0: none yet). */
  get latest(): number {
    return this.next - 1;
  }

  subscribe(listen: (e: Numbered) => void): () => void {
    this.listeners.add(listen);
    return () => this.listeners.delete(listen);
  }
}
