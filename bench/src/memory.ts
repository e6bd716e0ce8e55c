/**
 * Memory of this Node.js process, sampled: resident set size (RSS: everything the process holds
 * in RAM: V8 heap, buffers, native code) and V8 heap in use. Peaks are kept between resets.
 * PostgreSQL's own memory is not counted (it is another process).
 */

export interface MemoryFigures {
  /** Resident set size, MiB. */
  rssMiB: number;
  /** V8 heap in use, MiB. */
  heapUsedMiB: number;
}

const MiB = 2 ** 20;

export function memoryNow(): MemoryFigures {
  const { rss, heapUsed } = process.memoryUsage();
  return { rssMiB: rss / MiB, heapUsedMiB: heapUsed / MiB };
}

/**
 * Samples every `intervalMs` on a timer (unref'd, so it never keeps the process alive). A busy
 * event loop delays samples, so a very short spike can be missed; heap peaks also depend on when
 * V8 collects.
 */
export class MemorySampler {
  private peakRss = 0;
  private peakHeap = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs = 25) {}

  start(): this {
    this.sample();
    this.timer ??= setInterval(() => this.sample(), this.intervalMs).unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  sample(): void {
    const now = memoryNow();
    this.peakRss = Math.max(this.peakRss, now.rssMiB);
    this.peakHeap = Math.max(this.peakHeap, now.heapUsedMiB);
  }

  /** The peaks since the last reset (including a sample taken now). */
  peak(): MemoryFigures {
    this.sample();
    return { rssMiB: this.peakRss, heapUsedMiB: this.peakHeap };
  }

  /** Starts a new peak from the current figures; returns the peaks until now. */
  reset(): MemoryFigures {
    const peak = this.peak();
    this.peakRss = 0;
    this.peakHeap = 0;
    this.sample();
    return peak;
  }
}
