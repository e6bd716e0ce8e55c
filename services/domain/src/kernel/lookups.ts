/**
 * Reads another stream's current state for a command that depends on it (a rule like "the act's
 * date lies within the person's mandate"). The result is handed to the decider inside the
 * command, so the decider itself never does I/O.
 */
import type { EventStore } from '@yingpan/event-store';
import type { Decider } from './decider.ts';
import type { Event } from './messages.ts';
import { loadState, type InFlightAppends } from './handler.ts';
import type { EventRegistry } from './registry.ts';
import type { StateCache } from './state-cache.ts';

export class Lookups {
  constructor(
    readonly store: EventStore,
    private readonly registry: EventRegistry,
    private readonly cache?: StateCache,
    /** The bus's appends in flight: a lookup reads a stream once they have landed, as the log holds it. */
    private readonly inFlight?: InFlightAppends,
    /** Told of every stream a lookup reads. */
    private readonly onRead?: (streamId: string) => void,
  ) {}

  /** The same lookups, telling `onRead` of every stream they read (the bus: does a command look at its own stream?). */
  watching(onRead: (streamId: string) => void): Lookups {
    return new Lookups(this.store, this.registry, this.cache, this.inFlight, onRead);
  }

  /** The folded state of a stream and its version (0 when it does not exist). */
  async state<E extends Event, S>(
    decider: Pick<Decider<never, E, S>, 'initialState' | 'evolve' | 'annotations'>,
    streamId: string,
  ): Promise<{ state: S; version: number }> {
    this.onRead?.(streamId);
    await this.inFlight?.settled(streamId);
    const { state, version } = await loadState(this.store, this.registry, decider, streamId, this.cache);
    return { state, version };
  }

  /**
   * The state of a stream as this process last folded it, without reading the log (undefined when
   * it has none): for starting a lookup that depends on it early. Never decide on it: it may be behind.
   */
  cached<E extends Event, S>(decider: Pick<Decider<never, E, S>, 'initialState' | 'evolve' | 'annotations'>, streamId: string): S | undefined {
    this.onRead?.(streamId);
    return this.cache?.get<S>(decider, streamId)?.state;
  }

  async exists(streamId: string): Promise<boolean> {
    this.onRead?.(streamId);
    await this.inFlight?.settled(streamId);
    return (await this.store.streamVersion(streamId)) > 0;
  }
}
