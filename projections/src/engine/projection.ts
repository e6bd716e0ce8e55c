/**
 * A projection turns events into the tables of one read model. It owns a PostgreSQL schema
 * (`rm_<name>`); its `tables` SQL is versioned with its code, so a change to either bumps
 * `version` and the engine rebuilds the model from position zero instead of migrating read data.
 */
import type { Queryable } from '@yingpan/db';
import type { Event, EventOfType, EventType } from '@yingpan/domain';
import type { StoredEvent } from '@yingpan/event-store';

/** An event as projections see it: today's shape (upcast), with its place in the log. */
export type ProjectedEvent<E extends Event = Event> = E & {
  position: number;
  streamId: string;
  metadata: StoredEvent['metadata'];
};

export interface Projection {
  /** Lower-case, e.g. "training_stats"; the schema is `rm_<name>`. */
  name: string;
  /** Bump when `tables` or `apply` change: the engine then rebuilds the model. */
  version: number;
  /** The event types it reads; others are skipped without being decoded. */
  handles: readonly string[];
  /**
   * DDL creating its tables inside `schema`. A rebuild fills them without their non-unique
   * indexes and creates those at the end; an index the model's own statements read by while it
   * is rebuilt carries the comment `READ_WHILE_REBUILDING` and is kept.
   */
  tables(schema: string): string;
  /** Applies one event inside the engine's transaction. */
  apply(tx: Queryable, schema: string, event: ProjectedEvent): Promise<void>;
  /**
   * Optional: applies a page of events (in order) with fewer statements. It must have the same
   * effect as `apply` on each in turn; when it throws, the engine replays the page one event at a
   * time to find and report the event at fault.
   */
  applyBatch?(tx: Queryable, schema: string, events: ProjectedEvent[]): Promise<void>;
}

/**
 * A projection whose handled events are typed from the domain's registry: a misspelt type in
 * `handles` does not compile, and `apply` receives exactly the events it handles, each one's `data`
 * narrowed by a `switch (event.type)` with no casts.
 */
export interface TypedProjection<T extends EventType> extends Omit<Projection, 'handles' | 'apply' | 'applyBatch'> {
  handles: readonly T[];
  apply(tx: Queryable, schema: string, event: ProjectedEvent<EventOfType<T>>): Promise<void>;
  applyBatch?(tx: Queryable, schema: string, events: ProjectedEvent<EventOfType<T>>[]): Promise<void>;
}

/** Declares a projection (see TypedProjection); the engine, which only passes it the events it handles, sees a `Projection`. */
export const defineProjection = <const T extends EventType>(projection: TypedProjection<T>): Projection => projection as unknown as Projection;

/** The comment on an index that a rebuild keeps while it fills the tables (see `Projection.tables`). */
export const READ_WHILE_REBUILDING = 'yingpan: read while rebuilding';

export const schemaOf = (projection: Pick<Projection, 'name'>) => `rm_${projection.name}`;
