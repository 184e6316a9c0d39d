// The local runtime's clock: the system clock, or a virtual one that stands still until
// POST /local/clock moves it (CLOCK=virtual).
import type { Clock } from '../../ports';

export class VirtualClock implements Clock {
  private current: number;
  constructor(start: number) {
    this.current = start;
  }
  now(): number {
    return this.current;
  }
  /** Moves time forward (never back: the SLA history must stay in order). */
  set(to: number): void {
    if (to < this.current)
      throw new RangeError(`the clock cannot go back from ${new Date(this.current).toISOString()}`);
    this.current = to;
  }
}
