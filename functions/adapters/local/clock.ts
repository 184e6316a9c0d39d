// The local runtime's clock: the system clock, or a virtual one that stands still until
// POST /local/clock moves it (CLOCK=virtual). With a data directory the virtual clock's time is
// kept in a file, so a restart goes on from where it stood instead of going back.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../../ports';

export class VirtualClock implements Clock {
  private current: number;
  /**
   * Starts at `start`, or where the clock kept in `file` stood if that is later: time never goes
   * back, not across a restart either (tickets made after it would sort before older ones).
   */
  constructor(
    start: number,
    private readonly file: string | null = null,
  ) {
    const kept = file ? keptTime(file) : null;
    this.current = kept !== null && kept > start ? kept : start;
    this.keep();
  }
  now(): number {
    return this.current;
  }
  /** Moves time forward (never back: the SLA history must stay in order). */
  set(to: number): void {
    if (to < this.current)
      throw new RangeError(`the clock cannot go back from ${new Date(this.current).toISOString()}`);
    this.current = to;
    this.keep();
  }

  private keep(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    // Written whole, then renamed: a crash mid-write leaves the time before, never half a file.
    writeFileSync(`${this.file}.tmp`, JSON.stringify({ now: new Date(this.current).toISOString() }));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

/** The time kept in `file`, or null when there is none (or it cannot be read as one). */
function keptTime(file: string): number | null {
  try {
    const { now } = JSON.parse(readFileSync(file, 'utf8')) as { now?: unknown };
    const at = typeof now === 'string' ? Date.parse(now) : Number.NaN;
    return Number.isFinite(at) ? at : null;
  } catch {
    return null;
  }
}
