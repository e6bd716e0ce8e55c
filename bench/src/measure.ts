/** Timing: run operations on a few workers, record each one's latency and the total wall time. */

export interface Measurement {
  /** Operations run. */
  ops: number;
  /** Events handled, summed over the operations. */
  events: number;
  seconds: number;
  /** Wall time of each operation in ms, ascending. */
  latenciesMs: number[];
}

/**
 * Runs `op(0)` … `op(count - 1)` on `workers` concurrent workers and times them. Worker w runs
 * w, w + workers, w + 2·workers … in order, so work that must stay in order (appends to one stream
 * with exact expected versions) can be given to one worker by its index. `op` returns the number
 * of events it handled.
 */
export async function measure(count: number, workers: number, op: (index: number) => Promise<number>): Promise<Measurement> {
  const latenciesMs: number[] = [];
  let events = 0;
  const work = async (first: number) => {
    for (let index = first; index < count; index += workers) {
      const start = performance.now();
      const handled = await op(index); // not `events += await …`: that reads `events` before the await and loses updates
      latenciesMs.push(performance.now() - start);
      events += handled;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(workers, count) }, (_, w) => work(w)));
  const seconds = (performance.now() - start) / 1000;
  return { ops: count, events, seconds, latenciesMs: latenciesMs.sort((a, b) => a - b) };
}

/** The nearest-rank percentile (p in 0–100) of ascending values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const eventsPerSecond = (m: Measurement) => m.events / m.seconds;
