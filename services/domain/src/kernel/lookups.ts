/**
 * Reads another stream's current state for a command that depends on it (a rule like "the act's
 * date lies within the person's mandate"). The result is handed to the decider inside the
 * command, so the decider itself never does I/O.
 */
import type { EventStore } from '@yingpan/event-store';
import type { Decider } from './decider.ts';
import type { Event } from './messages.ts';
import type { EventRegistry } from './registry.ts';

export class Lookups {
  constructor(
    readonly store: EventStore,
    private readonly registry: EventRegistry,
  ) {}

  /** The folded state of a stream and its version (0 when it does not exist). */
  async state<E extends Event, S>(decider: Pick<Decider<never, E, S>, 'initialState' | 'evolve'>, streamId: string): Promise<{ state: S; version: number }> {
    const events = await this.store.readStream(streamId);
    const state = events.reduce((current, event) => decider.evolve(current, this.registry.read<E>(event)), decider.initialState());
    return { state, version: events.at(-1)?.streamVersion ?? 0 };
  }

  async exists(streamId: string): Promise<boolean> {
    return (await this.store.streamVersion(streamId)) > 0;
  }
}
