/**
 * Versioned rows for the county's non-record entities (stations, deputy assignments, regulations,
 * opinions, suggestions, pairings): the write side shared by the county_registry and handover
 * projections. Like the act facts (facts/projection.ts), every change closes the entity's current
 * version and opens a new one, so each row says what was known about the entity from one log
 * position (and recording instant) until the next change. Each row also carries `status_on`, the
 * domain date the change took effect (registeredOn, assignedOn, endedOn …): the state of an entity
 * "at the end of day D" is its newest version with status_on <= D (see as-of.ts).
 *
 * Rows hold no voter personal data: an opinion's voter and its wording never enter them.
 */
import type { Queryable } from '@yingpan/db';
import type { ProjectedEvent } from '../engine/projection.ts';

/** DDL of an entity-versions table named `table` inside `schema`. */
export const entityVersionsTable = (schema: string, table = 'entity_versions') => `
  CREATE TABLE ${schema}.${table} (
    kind                text        NOT NULL,   -- station | assignment | regulation | opinion | suggestion | pairing
    entity_id           text        NOT NULL,
    version             integer     NOT NULL,
    event_type          text        NOT NULL,   -- the event that made this version
    status              text        NOT NULL,   -- the entity's status after that event
    status_on           date        NOT NULL,   -- the domain date the change took effect
    person_id           uuid,                   -- who is responsible: receiving deputy, lead deputy, mentor, manager …
    mandate_id          uuid,                   -- … and the mandate they act in
    station_id          uuid,
    township            text,
    data                jsonb       NOT NULL,   -- the rest of the entity's state (no voter personal data)
    valid_from_position bigint      NOT NULL,
    valid_from_at       timestamptz NOT NULL,
    valid_to_position   bigint,                 -- NULL: still the current version
    valid_to_at         timestamptz,
    PRIMARY KEY (kind, entity_id, version)
  );
  CREATE UNIQUE INDEX ON ${schema}.${table} (kind, entity_id) WHERE valid_to_position IS NULL;
  CREATE INDEX ON ${schema}.${table} (kind, status_on);
  CREATE INDEX ON ${schema}.${table} (person_id);
  CREATE INDEX ON ${schema}.${table} (station_id);`;

/** One change to an entity. Omitted fields keep their previous value; `data` is merged into the previous data. */
export interface EntityChange {
  kind: string;
  entityId: string;
  /** True for the event that creates the entity. */
  creates?: boolean;
  status: string;
  on: string;
  personId?: string | null;
  mandateId?: string | null;
  stationId?: string | null;
  township?: string | null;
  data?: Record<string, unknown>;
}

interface PreviousVersion {
  version: number;
  person_id: string | null;
  mandate_id: string | null;
  station_id: string | null;
  township: string | null;
  data: Record<string, unknown>;
}

/** Closes the entity's current version (if any) at this event and opens the next one. */
export async function recordChange(tx: Queryable, schema: string, event: ProjectedEvent, change: EntityChange, table = 'entity_versions'): Promise<void> {
  const { rows } = await tx.query<PreviousVersion>(
    `UPDATE ${schema}.${table} SET valid_to_position = $3, valid_to_at = $4
      WHERE kind = $1 AND entity_id = $2 AND valid_to_position IS NULL
      RETURNING version, person_id, mandate_id, station_id, township, data`,
    [change.kind, change.entityId, event.position, event.metadata.recordedAt],
  );
  const previous = rows[0];
  if (change.creates && previous) throw new Error(`${event.type} creates ${change.kind} ${change.entityId}, which already exists`);
  if (!change.creates && !previous) throw new Error(`${event.type} names ${change.kind} ${change.entityId}, which has no current version`);
  const keep = <K extends keyof EntityChange>(key: K, column: keyof PreviousVersion) => (key in change ? change[key] : (previous?.[column] ?? null));
  await tx.query(
    `INSERT INTO ${schema}.${table}
       (kind, entity_id, version, event_type, status, status_on, person_id, mandate_id, station_id, township, data, valid_from_position, valid_from_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      change.kind,
      change.entityId,
      (previous?.version ?? 0) + 1,
      event.type,
      change.status,
      change.on,
      keep('personId', 'person_id'),
      keep('mandateId', 'mandate_id'),
      keep('stationId', 'station_id'),
      keep('township', 'township'),
      JSON.stringify({ ...previous?.data, ...change.data }),
      event.position,
      event.metadata.recordedAt,
    ],
  );
}

/** The columns of a version row, in the order `recordChanges` builds them. */
const COLUMNS = [
  'kind',
  'entity_id',
  'version',
  'event_type',
  'status',
  'status_on',
  'person_id',
  'mandate_id',
  'station_id',
  'township',
  'data',
  'valid_from_position',
  'valid_from_at',
  'valid_to_position',
  'valid_to_at',
];
/** From this many new versions a page's are written with COPY (a rebuild); fewer in one INSERT. */
const COPY_FROM = 64;

interface OpenVersion extends PreviousVersion {
  /** Index into the rows being inserted, or null for a version already in the table. */
  pending: number | null;
}

/**
 * `recordChange` for a page of changes in three statements (read the current versions, close
 * those superseded, insert the new ones), with the same effect as calling it for each in turn.
 */
export async function recordChanges(
  tx: Queryable,
  schema: string,
  changes: readonly { event: ProjectedEvent; change: EntityChange }[],
  table = 'entity_versions',
): Promise<void> {
  if (changes.length === 0) return;
  const keyOf = (change: EntityChange) => `${change.kind}\u0000${change.entityId}`;
  const distinct = [...new Map(changes.map(({ change }) => [keyOf(change), change])).values()];
  const { rows } = await tx.query<PreviousVersion & { kind: string; entity_id: string }>(
    `SELECT kind, entity_id, version, person_id, mandate_id, station_id, township, data FROM ${schema}.${table}
      WHERE valid_to_position IS NULL AND (kind, entity_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [distinct.map((change) => change.kind), distinct.map((change) => change.entityId)],
  );
  const open = new Map<string, OpenVersion>(rows.map((row) => [`${row.kind}\u0000${row.entity_id}`, { ...row, pending: null }]));
  const closed: { kind: string; entityId: string; position: number; at: string }[] = [];
  const inserted: (unknown[] & { length: 15 })[] = [];
  for (const { event, change } of changes) {
    const key = keyOf(change);
    const previous = open.get(key);
    if (change.creates && previous) throw new Error(`${event.type} creates ${change.kind} ${change.entityId}, which already exists`);
    if (!change.creates && !previous) throw new Error(`${event.type} names ${change.kind} ${change.entityId}, which has no current version`);
    if (previous?.pending === null) closed.push({ kind: change.kind, entityId: change.entityId, position: event.position, at: event.metadata.recordedAt });
    else if (previous) {
      inserted[previous.pending]![13] = event.position;
      inserted[previous.pending]![14] = event.metadata.recordedAt;
    }
    const keep = <K extends keyof EntityChange>(name: K, column: keyof PreviousVersion) =>
      (name in change ? change[name] : (previous?.[column] ?? null)) as string | null;
    const next: OpenVersion = {
      version: (previous?.version ?? 0) + 1,
      person_id: keep('personId', 'person_id'),
      mandate_id: keep('mandateId', 'mandate_id'),
      station_id: keep('stationId', 'station_id'),
      township: keep('township', 'township'),
      data: { ...previous?.data, ...change.data },
      pending: inserted.length,
    };
    inserted.push([
      change.kind,
      change.entityId,
      next.version,
      event.type,
      change.status,
      change.on,
      next.person_id,
      next.mandate_id,
      next.station_id,
      next.township,
      JSON.stringify(next.data),
      event.position,
      event.metadata.recordedAt,
      null,
      null,
    ] as unknown[] & { length: 15 });
    open.set(key, next);
  }
  if (closed.length > 0) {
    await tx.query(
      `UPDATE ${schema}.${table} t SET valid_to_position = u.position, valid_to_at = u.at
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[]) u(kind, entity_id, position, at)
        WHERE t.kind = u.kind AND t.entity_id = u.entity_id AND t.valid_to_position IS NULL`,
      [closed.map((row) => row.kind), closed.map((row) => row.entityId), closed.map((row) => row.position), closed.map((row) => row.at)],
    );
  }
  if (inserted.length >= COPY_FROM) {
    await tx.copyFrom(`${schema}.${table}`, COLUMNS, inserted);
    return;
  }
  const column = (index: number) => inserted.map((row) => row[index]);
  await tx.query(
    `INSERT INTO ${schema}.${table} (${COLUMNS.join(', ')})
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::date[], $7::uuid[], $8::uuid[], $9::uuid[], $10::text[],
                          $11::jsonb[], $12::bigint[], $13::timestamptz[], $14::bigint[], $15::timestamptz[])`,
    Array.from({ length: 15 }, (_, index) => column(index)),
  );
}
