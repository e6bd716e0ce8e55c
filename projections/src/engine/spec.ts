/**
 * Given events → expected rows: a read model's behaviour as a specification. `project(projection,
 * events)` validates each event against the registry (as the store does when it is written), applies
 * them to the projection's tables in a fresh in-memory PGlite, and answers a table's rows. When the
 * projection applies pages too (`applyBatch`), the events are applied a second time, as one page, in a
 * schema of their own, and the two must leave the same rows: the engine relies on that.
 *
 *   const model = await project(facts, [given('StationVisitRecorded', { ... }), given('RecordApproved', { ... })]);
 *   expect(await model.rows('record_versions', ['version', 'status'])).toEqual([...]);
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '@yingpan/db';
import { freshPglite } from '@yingpan/db/testing';
import { type EventOfType, type EventType, registry } from '@yingpan/domain';
import type { ProjectedEvent, Projection } from './projection.ts';

/** One event of a specification: its type and data, and where it lives (the stream defaults to `<stream type>:<a new id>`). */
export interface GivenEvent<T extends EventType = EventType> {
  type: T;
  data: EventOfType<T>['data'];
  streamId?: string;
  /** When the act happened (ISO); the day of the data's `date` when it has one, else the recording instant. */
  occurredAt?: string;
}

/** Any one event of a specification, its data that of its type. */
export type AnyGivenEvent = { [T in EventType]: GivenEvent<T> }[EventType];

/** An event for `project`, its data checked against the type's schema at compile time. */
export const given = <T extends EventType>(type: T, data: EventOfType<T>['data'], place: Omit<GivenEvent<T>, 'type' | 'data'> = {}): GivenEvent<T> => ({
  type,
  data,
  ...place,
});

export interface ProjectedModel {
  /** The rows of one of the model's tables, with the columns (or expressions) named — all when none are — ordered by them in turn. */
  rows<R = Record<string, unknown>>(table: string, columns?: readonly string[]): Promise<R[]>;
  /** Drops its tables. */
  close(): Promise<void>;
}

const RECORDER = { personId: '00000000-0000-4000-8000-000000000001', role: 'staff' };

function toProjected(events: readonly AnyGivenEvent[]): ProjectedEvent[] {
  const start = Date.parse('2026-01-01T00:00:00Z');
  return events.map((event, index) => {
    const definition = registry.get(event.type);
    const data = definition.schema.parse(event.data) as Record<string, unknown>;
    const recordedAt = new Date(start + index * 60_000).toISOString();
    const day = typeof data.date === 'string' ? `${data.date}T09:00:00+08:00` : recordedAt;
    return {
      type: event.type,
      data,
      position: index + 1,
      streamId: event.streamId ?? `${definition.stream}:${randomUUID()}`,
      metadata: { recordedBy: RECORDER, occurredAt: event.occurredAt ?? day, recordedAt, correlationId: randomUUID(), causationId: null },
    } as ProjectedEvent;
  });
}

async function build(db: Db, projection: Projection, schema: string, events: ProjectedEvent[], paged: boolean): Promise<void> {
  await db.exec(`CREATE SCHEMA ${schema}; ${projection.tables(schema)}`);
  await db.transaction(async (tx) => {
    if (paged && projection.applyBatch) await projection.applyBatch(tx, schema, events);
    else for (const event of events) await projection.apply(tx, schema, event);
  });
}

/** One in-memory PGlite per test file (starting one takes seconds); each specification has schemas of its own in it. */
let shared: Promise<Db> | undefined;
let specifications = 0;

/** Applies `events` to a fresh copy of `projection`'s tables (see the module's comment). */
export async function project(projection: Projection, events: readonly AnyGivenEvent[]): Promise<ProjectedModel> {
  shared ??= freshPglite();
  const db = await shared;
  const projected = toProjected(events).filter((event) => projection.handles.includes(event.type));
  const schema = `spec${++specifications}_${projection.name}`;
  const drop = () => db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_paged CASCADE`);
  const rows = async <R>(table: string, columns: readonly string[] = [], from = schema) => {
    const list = columns.length ? columns.join(', ') : '*';
    const order = columns.length ? ` ORDER BY ${columns.map((_, index) => index + 1).join(', ')}` : '';
    return (await db.query<R & object>(`SELECT ${list} FROM ${from}.${table}${order}`)).rows as R[];
  };
  try {
    await build(db, projection, schema, projected, false);
    if (projection.applyBatch) await build(db, projection, `${schema}_paged`, projected, true);
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    async rows<R>(table: string, columns: readonly string[] = []) {
      const one = await rows<R>(table, columns);
      if (projection.applyBatch) {
        const paged = await rows<R>(table, columns, `${schema}_paged`);
        if (JSON.stringify(paged) !== JSON.stringify(one))
          throw new Error(`${projection.name}.${table}: applying the events as one page left other rows than applying them one by one`);
      }
      return one;
    },
    close: drop,
  };
}
