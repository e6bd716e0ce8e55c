/**
 * Folded stream states kept between commands, so a command reads only the events appended since
 * the cached version instead of the whole stream. Entries are keyed by decider and stream and
 * evicted least-recently-used. States are immutable values (evolve returns a new state), so a
 * cached state can be shared safely.
 */
import type { StoredEvent } from '@yingpan/event-store';
import { Set as PersistentSet } from 'immutable';

export interface CachedState<S> {
  version: number;
  state: S;
  /**
   * The command ids already handled on the stream (for idempotent retries); ids, not events, keep
   * the cache small. A persistent set: the state a command's append will lead to (handler.ts,
   * `ahead`) adds its id in O(log n) beside the cached entry's, instead of copying the stream's
   * every id.
   */
  commandIds: PersistentSet<string>;
}

/** Each decider (or evolve function) gets a number, so that two deciders of one stream do not share entries. */
const folderIds = new WeakMap<object, number>();
let lastFolderId = 0;
const folderId = (folder: object) => {
  if (!folderIds.has(folder)) folderIds.set(folder, ++lastFolderId);
  return folderIds.get(folder)!;
};

export class StateCache {
  private readonly entries = new Map<string, CachedState<unknown>>();

  constructor(private readonly capacity = 20_000) {}

  get<S>(folder: object, streamId: string): CachedState<S> | undefined {
    const key = `${folderId(folder)}\u0000${streamId}`;
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry as CachedState<S> | undefined;
  }

  set<S>(folder: object, streamId: string, entry: CachedState<S>): void {
    const key = `${folderId(folder)}\u0000${streamId}`;
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets every state (e.g. after a database failover: what was read from the old primary may not have survived). */
  clear(): void {
    this.entries.clear();
  }
}

/** Folds `events` onto `from` (or the initial state), indexing their command ids. */
export function advance<S>(
  from: CachedState<S> | undefined,
  initial: () => S,
  evolve: (state: S, event: StoredEvent) => S,
  events: readonly StoredEvent[],
): CachedState<S> {
  let state = from?.state ?? initial();
  let commandIds = from?.commandIds ?? PersistentSet<string>();
  for (const event of events) {
    state = evolve(state, event);
    if (event.metadata.commandId) commandIds = commandIds.add(event.metadata.commandId);
  }
  return { version: events.at(-1)?.streamVersion ?? from?.version ?? 0, state, commandIds };
}
