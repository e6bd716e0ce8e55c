/**
 * Rows as the SQL store wrote them before chain version 3, inserted directly (tests only): chain
 * version 1 (the writer hashed the whole canonical content, before migration 0002) and 2 (the
 * writer hashed a body of chosen fields, the database linked it, migration 0002). The metadata
 * column holds what those writers stored: the recorder and the three ids.
 */
import type { Queryable } from '@yingpan/db';
import { GENESIS_HASH, bodyHash, chainLink, eventHash } from '../src/hash.ts';
import type { Head, NewEvent } from '../src/types.ts';

export interface LegacyRow {
  version: 1 | 2;
  streamId: string;
  streamVersion: number;
  event: NewEvent;
  /** ISO instant with milliseconds. */
  recordedAt: string;
}

/** Appends `rows` after the current head, each hashed by its chain version; returns the new head. */
export async function insertLegacyRows(db: Queryable, rows: LegacyRow[]): Promise<Head> {
  const { rows: heads } = await db.query<{ position: number; hash: string }>('SELECT position, hash FROM yingpan.events ORDER BY position DESC LIMIT 1');
  let head: Head = heads[0] ?? { position: 0, hash: GENESIS_HASH };
  for (const { version, streamId, streamVersion, event, recordedAt } of rows) {
    const position = head.position + 1;
    const { recordedBy, correlationId, causationId, occurredAt } = event.metadata;
    const commandId = event.metadata.commandId ?? null;
    const metadata = { recordedBy: { personId: recordedBy.personId, role: recordedBy.role }, occurredAt, correlationId, causationId, commandId };
    const hash =
      version === 1
        ? eventHash(head.hash, { ...event, position, streamId, streamVersion, metadata: { ...metadata, recordedAt } })
        : chainLink(head.hash, position, streamVersion, recordedAt, bodyHash({ ...event, streamId, metadata }));
    await db.query(
      `INSERT INTO yingpan.events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at,
                                   prev_hash, hash, chain_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        position,
        event.id,
        streamId,
        streamVersion,
        event.type,
        event.schemaVersion,
        JSON.stringify(event.data),
        JSON.stringify({ recordedBy: metadata.recordedBy, correlationId, causationId, commandId }),
        occurredAt,
        recordedAt,
        head.hash,
        hash,
        version,
      ],
    );
    head = { position, hash };
  }
  return head;
}
