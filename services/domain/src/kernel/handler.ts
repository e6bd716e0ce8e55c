/**
 * Runs one command against one stream: read and fold the stream, decide, append with the exact
 * expected version. A concurrent writer's conflict is retried from a fresh read; a command whose
 * id is already in the stream returns its original events without deciding again.
 */
import { ConcurrencyError, type EventStore, type StoredEvent } from '@yingpan/event-store';
import type { Decider } from './decider.ts';
import { eventIdFor } from './ids.ts';
import type { Command, CommandContext, Event } from './messages.ts';
import type { EventRegistry } from './registry.ts';

export interface CommandOutcome {
  streamId: string;
  /** The events the command appended (or had appended, for a retry). */
  events: StoredEvent[];
  /** True when the command id had already been handled. */
  duplicate: boolean;
}

const MAX_ATTEMPTS = 5;

export async function handleCommand<C extends Command, E extends Event, S>(
  store: EventStore,
  registry: EventRegistry,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  context: CommandContext,
): Promise<CommandOutcome> {
  for (let attempt = 1; ; attempt++) {
    const stored = await store.readStream(streamId);
    const earlier = stored.filter((event) => event.metadata.commandId === context.commandId);
    if (earlier.length > 0) return { streamId, events: earlier, duplicate: true };

    const state = stored.reduce((current, event) => decider.evolve(current, registry.read<E>(event)), decider.initialState());
    const decided = decider.decide(command, state);
    if (decided.length === 0) return { streamId, events: [], duplicate: false };

    const version = stored.at(-1)?.streamVersion ?? 0;
    const metadata = {
      recordedBy: context.actor,
      occurredAt: context.occurredAt,
      correlationId: context.correlationId ?? context.commandId,
      causationId: context.commandId,
      commandId: context.commandId,
    };
    const events = decided.map((event, index) => registry.toNew(event, eventIdFor(context.commandId, streamId, index), metadata));
    try {
      const result = await store.append({ streamId, expectedVersion: version === 0 ? 'no_stream' : version, events });
      const appended = await store.readStream(streamId, { fromVersion: result.nextExpectedVersion - events.length + 1 });
      return { streamId, events: appended.filter((event) => event.metadata.commandId === context.commandId), duplicate: result.duplicate };
    } catch (error) {
      if (error instanceof ConcurrencyError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
  }
}
