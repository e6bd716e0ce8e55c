/**
 * The baseline: a table with exactly the event log's columns and types and nothing else — no
 * primary key, no unique constraints, no indexes, no checks, no triggers — written with plain
 * INSERTs through the same `Db` (same pool, same driver, same server). What the store costs on top
 * of it is its own work: validation, the append lock, the idempotency and version look-ups, the
 * hash chain, six indexes, the NOTIFY and an explicit transaction per append.
 */
import { createHash } from 'node:crypto';
import type { Db } from '@yingpan/db';
import type { AppendRequest } from '@yingpan/event-store';

export const PLAIN_TABLE = 'bench.plain_events';
const COLUMNS = [
  'position',
  'event_id',
  'stream_id',
  'stream_version',
  'type',
  'schema_version',
  'data',
  'metadata',
  'occurred_at',
  'recorded_at',
  'prev_hash',
  'hash',
];

/** One row's values, in COLUMNS order. */
export type PlainRow = unknown[];

export async function createPlainTable(db: Db): Promise<void> {
  await db.exec(`CREATE SCHEMA IF NOT EXISTS bench;
    CREATE TABLE ${PLAIN_TABLE} (
      position bigint, event_id uuid, stream_id text, stream_version integer, type text, schema_version integer,
      data jsonb, metadata jsonb, occurred_at timestamptz, recorded_at timestamptz, prev_hash text, hash text)`);
}

/**
 * The rows the store would write for these requests, prepared before the clock starts: the
 * baseline only measures getting the bytes into PostgreSQL. The hashes are stand-ins of the same
 * length (computing the real chain is part of the store's cost).
 */
export function toPlainRows(requests: AppendRequest[], firstPosition: number): PlainRow[] {
  const recordedAt = new Date().toISOString();
  let position = firstPosition;
  return requests.flatMap((request) =>
    request.events.map((event, k) => {
      const { recordedBy, correlationId, causationId, commandId } = event.metadata;
      const hash = createHash('sha256').update(event.id).digest('hex');
      return [
        position++,
        event.id,
        request.streamId,
        (request.expectedVersion as number) + k + 1,
        event.type,
        event.schemaVersion,
        JSON.stringify(event.data),
        JSON.stringify({ recordedBy, correlationId, causationId, commandId: commandId ?? null }),
        event.metadata.occurredAt,
        recordedAt,
        hash,
        hash,
      ];
    }),
  );
}

const insertSql = new Map<number, string>();

/** `INSERT … VALUES (…), (…)` for `count` rows; PostgreSQL types the parameters from the columns. */
function insertStatement(count: number): string {
  let sql = insertSql.get(count);
  if (!sql) {
    const tuples = Array.from({ length: count }, (_, r) => `(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`);
    sql = `INSERT INTO ${PLAIN_TABLE} (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`;
    insertSql.set(count, sql);
  }
  return sql;
}

/** One statement, committed on its own (autocommit), like one append is its own transaction. */
export async function insertRows(db: Db, rows: PlainRow[]): Promise<number> {
  await db.query(insertStatement(rows.length), rows.flat());
  return rows.length;
}

/**
 * Keyset paging needs an index on the key, or every page is a full scan plus a sort and the
 * baseline would measure the missing index. Added after the write phases, so those stay unindexed.
 */
export async function indexForPaging(db: Db): Promise<void> {
  await db.exec(`CREATE INDEX plain_events_position_idx ON ${PLAIN_TABLE} (position)`);
}

/** One page of the table in key order: the same query shape as the store's readAll. */
export async function readPlainPage(db: Db, after: number, limit: number): Promise<{ count: number; last: number }> {
  const { rows } = await db.query<{ position: number }>(`SELECT * FROM ${PLAIN_TABLE} WHERE position > $1 ORDER BY position LIMIT $2`, [after, limit]);
  return { count: rows.length, last: rows.at(-1)?.position ?? after };
}
