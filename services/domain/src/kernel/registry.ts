/**
 * Every event type's schema and version. Events are validated against today's schema when they
 * are written, and older stored versions are upcast step by step when they are read, so the
 * deciders and projections only ever see the current shape.
 */
import type { NewEvent, StoredEvent } from '@yingpan/event-store';
import type { z } from 'zod';
import type { Event } from './messages.ts';

export interface EventDefinition<Type extends string = string, Data extends object = object> {
  type: Type;
  /** The current schema version. */
  version: number;
  schema: z.ZodType<Data>;
  /** `upcast[n]` turns version-n data into version n+1. */
  upcast?: Record<number, (data: Record<string, unknown>) => Record<string, unknown>>;
  /** One line for the event catalogue. */
  description: string;
  /** The stream category it is written to, e.g. "activity" for `activity:<id>`. */
  stream: string;
  /**
   * True when the event creates a reviewable record of an act: its data has a `recordId` and a
   * `declared` flag (declared by the deputy: pending review; recorded by staff: approved on entry).
   * Review and correction events (src/review) point at that `recordId`.
   */
  record?: boolean;
  /**
   * True for an event written on another area's stream that says something *about* a record there
   * without changing it (an evidence file attached: src/evidence). The stream's own decider never
   * sees it — its rules do not depend on it — only deciders that declare `annotations` fold it.
   */
  annotation?: boolean;
}

export function defineEvent<Type extends string, Data extends object>(definition: EventDefinition<Type, Data>): EventDefinition<Type, Data> {
  return definition;
}

export type EventOf<D> = D extends EventDefinition<infer T, infer Data> ? Event<T, Data> : never;

export class UnknownEventError extends Error {
  constructor(type: string) {
    super(`Unknown event type ${type}`);
  }
}

export class EventRegistry {
  private readonly definitions = new Map<string, EventDefinition>();

  register(...definitions: EventDefinition[]): this {
    for (const definition of definitions) {
      if (this.definitions.has(definition.type)) throw new Error(`Event type ${definition.type} is defined twice`);
      this.definitions.set(definition.type, definition);
    }
    return this;
  }

  all(): EventDefinition[] {
    return [...this.definitions.values()];
  }

  /** Is `type` an annotation (see EventDefinition.annotation)? False for a type it does not know. */
  isAnnotation(type: string): boolean {
    return this.definitions.get(type)?.annotation === true;
  }

  has(type: string): boolean {
    return this.definitions.has(type);
  }

  get(type: string): EventDefinition {
    const definition = this.definitions.get(type);
    if (!definition) throw new UnknownEventError(type);
    return definition;
  }

  /** Today's shape of a stored event, upcast from whatever version it was written in. */
  read<E extends Event>(stored: Pick<StoredEvent, 'type' | 'schemaVersion' | 'data'>): E {
    const definition = this.get(stored.type);
    // Today's version was validated against today's schema when it was written: no need to parse again.
    if (stored.schemaVersion === definition.version) return { type: stored.type, data: stored.data } as E;
    let data = stored.data as Record<string, unknown>;
    for (let version = stored.schemaVersion; version < definition.version; version++) {
      const step = definition.upcast?.[version];
      if (!step) throw new Error(`No upcaster for ${stored.type} from version ${version}`);
      data = step(data);
    }
    return { type: stored.type, data: definition.schema.parse(data) } as E;
  }

  /** Validates a new event's data against today's schema and stamps its version. */
  toNew(event: Event, id: string, metadata: NewEvent['metadata']): NewEvent {
    const definition = this.get(event.type);
    return { id, type: event.type, schemaVersion: definition.version, data: definition.schema.parse(event.data), metadata };
  }
}
