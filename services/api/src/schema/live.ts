/**
 * Live updates (实时更新) over server-sent events: `projectionChanged` when a read model has applied
 * more of the log, `logHead` when the log grows. Clients use them to know when to re-query.
 *
 * One feed per app (created in app.ts and handed to resolvers on the context as `live`) watches
 * the sources only while someone is subscribed, and fans each change out to every subscriber.
 * Projection positions are read with `projector.status()` after each append to the log, then, while
 * a projection is behind, each time this process's projector commits a batch (the runtime's
 * `waitForBatch`); a projector in another process is polled every 200 ms instead. Several batches
 * committed between two reads arrive as one change with the latest position.
 */
import type { Head } from '@yingpan/event-store';
import type { Context } from '../context.ts';
import { builder } from './builder.ts';
import { requestError } from '../errors.ts';

/** A projection's position after it committed more of the log. */
export interface ProjectionChange {
  name: string;
  position: number;
}

/** What the feed reads: in the app, the runtime's projector and event store. */
export interface LiveSources {
  projections(): Promise<{ name: string; position: number; headPosition: number; failure: unknown }[]>;
  head(): Promise<Head>;
  waitForAppend(position: number, timeoutMs: number, signal: AbortSignal): Promise<void>;
  /** The projector's batches in this process, when it runs here (see Runtime.projectorBatches). */
  batches?: {
    count(): number;
    wait(after: number, timeoutMs: number, signal: AbortSignal): Promise<void>;
  };
}

/** An eager, cancel-safe async iterator: it queues from the moment it is created. */
class Subscriber<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private closed = false;

  constructor(
    private readonly accepts: (value: T) => boolean,
    private readonly onClose: (subscriber: Subscriber<T>) => void,
  ) {}

  push(value: T): void {
    if (this.closed || !this.accepts(value)) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
    } else {
      // A client that stops reading keeps only the newest changes.
      if (this.queue.length >= 1000) this.queue.shift();
      this.queue.push(value);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      this.queue.length = 0;
      this.waiting?.({ value: undefined, done: true });
      this.waiting = null;
      this.onClose(this);
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/** How a topic watches its source: read the state, wait until it may have changed, tell what changed. */
interface Watch<S, T> {
  read(): Promise<S>;
  wait(state: S, signal: AbortSignal): Promise<void>;
  changes(before: S, after: S): T[];
}

const RETRY_MS = 1000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** A source watched while it has subscribers: the first one starts the watch, the last one stops it. */
class Topic<S, T> {
  private readonly subscribers = new Set<Subscriber<T>>();
  private watching: { abort: AbortController; ready: Promise<S> } | null = null;

  constructor(private readonly watch: Watch<S, T>) {}

  /**
   * A subscriber that receives every change from now on. Resolves once the watch has read its
   * first state (returned too), so nothing committed after it resolves can be missed.
   */
  async subscribe(accepts: (value: T) => boolean = () => true): Promise<{ subscriber: Subscriber<T>; state: S }> {
    const subscriber = new Subscriber<T>(accepts, (closed) => this.leave(closed));
    this.subscribers.add(subscriber);
    this.watching ??= this.start();
    try {
      return { subscriber, state: await this.watching.ready };
    } catch (error) {
      await subscriber.return();
      throw error;
    }
  }

  private start() {
    const abort = new AbortController();
    const { signal } = abort;
    const ready = this.watch.read();
    const loop = async () => {
      let state = await ready;
      while (!signal.aborted) {
        try {
          await this.watch.wait(state, signal);
          if (signal.aborted) return;
          const next = await this.watch.read();
          if (signal.aborted) return;
          for (const change of this.watch.changes(state, next)) for (const subscriber of this.subscribers) subscriber.push(change);
          state = next;
        } catch {
          // The database may be briefly away; the subscribers keep waiting and the watch retries.
          await sleep(RETRY_MS, signal);
        }
      }
    };
    const watching = { abort, ready };
    loop().catch(() => {
      // The first read failed: the waiting subscribers get the error, the next one starts afresh.
      if (this.watching === watching) this.watching = null;
    });
    return watching;
  }

  private leave(subscriber: Subscriber<T>): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0 && this.watching) {
      this.watching.abort.abort();
      this.watching = null;
    }
  }
}

type Positions = { head: number; positions: Map<string, number>; lagging: boolean; batches: number };

export interface LiveOptions {
  /** While a projection is behind the log: how often positions are read when no batch is heard of. */
  pollIntervalMs?: number;
  /** The longest wait for an append before reading again (covers a lost notification or a rebuild). */
  idleTimeoutMs?: number;
}

export function createLiveFeed(sources: LiveSources, options: LiveOptions = {}) {
  const { pollIntervalMs = 200, idleTimeoutMs = 5000 } = options;
  const projections = new Topic<Positions, ProjectionChange>({
    async read() {
      // Counted before reading, so a batch committed while the status is read still wakes the next wait.
      const batches = sources.batches?.count() ?? 0;
      const rows = await sources.projections();
      return {
        head: Math.max(0, ...rows.map((row) => row.headPosition)),
        positions: new Map(rows.map((row) => [row.name, row.position])),
        // A failed projection stays behind until retried; it is no reason to poll.
        lagging: rows.some((row) => !row.failure && row.position < row.headPosition),
        batches,
      };
    },
    wait(state, signal) {
      if (!state.lagging) return sources.waitForAppend(state.head, idleTimeoutMs, signal);
      return sources.batches ? sources.batches.wait(state.batches, pollIntervalMs, signal) : sleep(pollIntervalMs, signal);
    },
    changes: (before, after) =>
      [...after.positions].filter(([name, position]) => before.positions.get(name) !== position).map(([name, position]) => ({ name, position })),
  });
  const log = new Topic<Head, Head>({
    read: () => sources.head(),
    wait: (head, signal) => sources.waitForAppend(head.position, idleTimeoutMs, signal),
    changes: (before, after) => (after.position !== before.position ? [after] : []),
  });

  return {
    /** Changes of the named projections (all when `names` is empty); unknown names are refused. */
    async projectionChanged(names: readonly string[] = []) {
      const wanted = new Set(names);
      const { subscriber, state } = await projections.subscribe((change) => wanted.size === 0 || wanted.has(change.name));
      const unknown = names.filter((name) => !state.positions.has(name));
      if (unknown.length > 0) {
        await subscriber.return();
        throw requestError(
          'invalid-arguments',
          {
            en: `Unknown projection ${unknown.map((name) => `"${name}"`).join(', ')}; known: ${[...state.positions.keys()].join(', ')}.`,
            zh: `没有这些读模型：${unknown.join('、')}`,
          },
          { field: 'names' },
        );
      }
      return subscriber;
    },
    /** Each new head of the log. */
    async logHead() {
      return (await log.subscribe()).subscriber;
    },
  };
}

export type LiveFeed = ReturnType<typeof createLiveFeed>;

/** What app.ts adds to the Context (until context.ts declares it). */
export interface LiveContext {
  live?: LiveFeed;
}

function feedOf(context: Context): LiveFeed {
  const live = (context as Context & LiveContext).live;
  if (!live) throw new Error('live updates are not configured on this server');
  return live;
}

const ProjectionChangeRef = builder.objectRef<ProjectionChange>('ProjectionChange').implement({
  description: 'A read model (读模型) applied more of the event log; queries over it may now answer differently.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The projection, e.g. "training_stats".' }),
    position: t.exposeInt('position', { description: 'The log position it has now applied up to (inclusive).' }),
  }),
});

const LogHeadRef = builder.objectRef<Head>('LogHead').implement({
  description: 'The newest event of the log (事件日志).',
  fields: (t) => ({
    position: t.exposeInt('position', { description: 'Position of the last event.' }),
    hash: t.exposeString('hash', { description: 'Its hash, which chains every event before it.' }),
  }),
});

builder.subscriptionType({
  description: 'Live updates over server-sent events (Accept: text/event-stream); for signed-in callers.',
  authScopes: { signedIn: true },
});

builder.subscriptionFields((t) => ({
  projectionChanged: t.field({
    type: ProjectionChangeRef,
    description:
      'Emitted when a projection commits more of the log. Several batches close together arrive as one change with the newest position. Refetch the queries that read that model.',
    args: {
      names: t.arg.stringList({ description: 'Only these projections (e.g. ["training_stats"]); omitted or empty: all of them.' }),
    },
    subscribe: (_, { names }, context) => feedOf(context).projectionChanged(names ?? []),
    resolve: (change) => change,
  }),
  logHead: t.field({
    type: LogHeadRef,
    description: 'Emitted when the event log grows: its new last position and hash.',
    subscribe: (_, __, context) => feedOf(context).logHead(),
    resolve: (head) => head,
  }),
}));
