/**
 * The live feed's watch, on sources the test drives: a projection behind the log is read again when
 * the projector in this process commits a batch, not on a timer.
 */
import { describe, expect, it } from 'vitest';
import { createLiveFeed, type LiveSources, type ProjectionChange } from '../src/schema/live.ts';

/** A log and one projection the test moves by hand, with a projector that counts its batches. */
function fakeSources(options: { withBatches: boolean }) {
  let head = 1;
  let applied = 1;
  let batches = 0;
  const batchWaiters = new Set<() => void>();
  const appendWaiters = new Set<() => void>();
  const sources: LiveSources = {
    projections: async () => [{ name: 'facts', position: applied, headPosition: head, failure: null }],
    head: async () => ({ position: head, hash: 'h'.repeat(64) }),
    waitForAppend: (position, timeoutMs, signal) =>
      new Promise<void>((resolve) => {
        if (head > position) return resolve();
        const done = () => {
          appendWaiters.delete(done);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        appendWaiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      }),
  };
  if (options.withBatches) {
    sources.batches = {
      count: () => batches,
      wait: (after, timeoutMs, signal) =>
        new Promise<void>((resolve) => {
          if (batches > after) return resolve();
          const done = () => {
            batchWaiters.delete(done);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(done, timeoutMs);
          batchWaiters.add(done);
          signal.addEventListener('abort', done, { once: true });
        }),
    };
  }
  return {
    sources,
    append() {
      head += 1;
      for (const wake of [...appendWaiters]) wake();
    },
    applyBatch() {
      applied = head;
      batches += 1;
      for (const wake of [...batchWaiters]) wake();
    },
  };
}

/** The next change, or 'none' if nothing arrives within `ms`. */
async function nextWithin(iterator: AsyncIterator<ProjectionChange>, ms: number): Promise<ProjectionChange | 'none'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'none'>((resolve) => (timer = setTimeout(() => resolve('none'), ms)));
  const result = await Promise.race([iterator.next().then((next) => next.value as ProjectionChange), timeout]);
  clearTimeout(timer);
  return result;
}

describe('the live feed', () => {
  it('hears a projection catch up from the projector’s batch, with no polling timer to wait for', async () => {
    const fake = fakeSources({ withBatches: true });
    // A poll interval of a minute: only the batch can bring the change within the test's wait.
    const feed = createLiveFeed(fake.sources, { pollIntervalMs: 60_000, idleTimeoutMs: 60_000 });
    const changes = await feed.projectionChanged(['facts']);
    try {
      fake.append(); // the log grows; the projection is now behind
      await new Promise((resolve) => setTimeout(resolve, 50));
      fake.applyBatch();
      expect(await nextWithin(changes, 2000)).toEqual({ name: 'facts', position: 2 });
    } finally {
      await changes.return!();
    }
  });

  it('falls back to polling when the projector runs in another process', async () => {
    const fake = fakeSources({ withBatches: false });
    const feed = createLiveFeed(fake.sources, { pollIntervalMs: 60_000, idleTimeoutMs: 60_000 });
    const changes = await feed.projectionChanged(['facts']);
    try {
      fake.append();
      await new Promise((resolve) => setTimeout(resolve, 50));
      fake.applyBatch(); // nobody tells the feed: it reads again only when the minute is up
      expect(await nextWithin(changes, 500)).toBe('none');
    } finally {
      await changes.return!();
    }
  });
});
