/**
 * The tamper-evident chain. Every event's hash covers its content and the hash of the event
 * before it in the global log, with hash(0) = GENESIS. Each event says how its hash was computed
 * (`chainVersion`; a SQL row's `chain_version`):
 *
 *   1:  hash(n) = sha256( hash(n-1) "\n" canonicalJson(content(n)) )
 *   2:  hash(n) = sha256( hash(n-1) "\n" "yingpan-chain:v2" "\n" position "\n" streamVersion "\n"
 *                          recordedAt "\n" body2(n) ),
 *       body2(n) = sha256( canonicalJson(content(n) without position, streamVersion, recordedAt) )
 *   3:  hash(n) = sha256( hash(n-1) "\n" "yingpan-chain:v3" "\n" position "\n" streamVersion "\n"
 *                          recordedAt "\n" body3(n) ),
 *       body3(n) = sha256( canonicalJson({ id, streamId, type, schemaVersion, occurredAt, data,
 *                                          metadata: the stored metadata, whole }) )
 *
 * Versions 1 and 2 hash chosen fields of the metadata (`contentOf`: the recorder's person id and
 * role, occurredAt, recordedAt, correlation, causation and command ids), so a key added inside the
 * stored metadata — even inside `recordedBy` — is outside their hash. Version 3 hashes the event
 * exactly as it is stored: `data` and the stored metadata object in full, at any depth, plus every
 * column of the row (the two instants, which are columns, and the position and stream version in
 * the link). The writer stores exactly the canonical JSON it hashed (`storedMetadataOf`,
 * `storedForm`). For rows of versions 1 and 2, and for what no hash can see (a metadata key at the
 * top level that reading drops, a time finer than a millisecond, a number not spelled as the store
 * spells it), verify also checks the stored rows for anything the store never writes
 * (sql-store.ts, kurrentdb-store.ts).
 *
 * Versions 2 and 3 let the database compute the link under the append lock from the writer's
 * body hash, so an append is one statement (migrations/0002, 0003); the writer never needs to read
 * the head first. Logs written earlier keep their rows of versions 1 and 2, which verify as before.
 *
 * Changing any stored byte of an event changes its hash or is flagged by verify; deleting or
 * reordering events breaks a link or leaves a gap in the positions. Deleting events at the very
 * end leaves a shorter but valid chain, which a digest (position + head hash) kept by an auditor
 * exposes.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';
import type { ChainVersion, ChainVersionCounts, EventMetadataInput, Head, StoredEvent, StoredMetadata } from './types.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** The chain version every store writes new events with. */
export const CURRENT_CHAIN_VERSION = 3 satisfies ChainVersion;

export type HashedContent = Omit<StoredEvent, 'hash' | 'prevHash'>;

/** The content chain version 1 hashes: the event with chosen fields of its metadata. */
export function contentOf(event: HashedContent): HashedContent {
  const { recordedBy, occurredAt, recordedAt, correlationId, causationId, commandId } = event.metadata;
  return {
    position: event.position,
    id: event.id,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: {
      recordedBy: { personId: recordedBy.personId, role: recordedBy.role },
      occurredAt,
      recordedAt,
      correlationId,
      causationId: causationId ?? null,
      commandId: commandId ?? null,
    },
  };
}

/** Chain version 1: the canonical content (`contentOf`), hashed by the writer. */
export function eventHash(prevHash: string, event: HashedContent): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalJson(contentOf(event)))
    .digest('hex');
}

/** What the writer hashes for chain version 2: the content the database does not assign. */
export type BodyContent = Pick<StoredEvent, 'id' | 'streamId' | 'type' | 'schemaVersion' | 'data'> & {
  metadata: Omit<StoredEvent['metadata'], 'recordedAt'>;
};

/** Chain version 2's body hash (hex), computed by the writer and by every verifier. */
export function bodyHash(event: BodyContent): string {
  const { recordedBy, occurredAt, correlationId, causationId, commandId } = event.metadata;
  const body = {
    id: event.id,
    streamId: event.streamId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: {
      recordedBy: { personId: recordedBy.personId, role: recordedBy.role },
      occurredAt,
      correlationId,
      causationId: causationId ?? null,
      commandId: commandId ?? null,
    },
  };
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** The link of chain versions 2 and 3, as `yingpan.append_events` computes it in SQL. */
export function chainLink(prevHash: string, position: number, streamVersion: number, recordedAt: string, body: string, version: 2 | 3 = 2): string {
  return createHash('sha256')
    .update([prevHash, `yingpan-chain:v${version}`, String(position), String(streamVersion), recordedAt, body].join('\n'))
    .digest('hex');
}

/**
 * The metadata object a store writes for an event (the SQL store's `metadata` column): the
 * recorder and the ids, nothing else; `occurredAt` and `recordedAt` are columns of their own.
 * Built field by field, so nothing the caller added travels into the log unhashed.
 */
export function storedMetadataOf(metadata: EventMetadataInput): StoredMetadata {
  const stored: StoredMetadata = {
    recordedBy: { personId: metadata.recordedBy.personId, role: metadata.recordedBy.role },
    correlationId: metadata.correlationId,
    causationId: metadata.causationId ?? null,
    commandId: metadata.commandId ?? null,
  };
  // An imported event's file and row; absent otherwise, so events that were not imported hash as before.
  if (metadata.source) stored.source = { sha256: metadata.source.sha256, sheet: metadata.source.sheet, row: metadata.source.row };
  return stored;
}

/** What chain version 3's body covers: the event as stored, less what the database assigns. */
export interface StoredBody {
  id: string;
  streamId: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  data: unknown;
  /** The stored metadata object, whole (for an event read back: its metadata without the two instants). */
  metadata: unknown;
}

/** Chain version 3's body hash (hex): the canonical JSON of the event as stored. */
export function storedBodyHash(body: StoredBody): string {
  const { id, streamId, type, schemaVersion, occurredAt, data, metadata } = body;
  return createHash('sha256').update(canonicalJson({ id, streamId, type, schemaVersion, occurredAt, data, metadata })).digest('hex');
}

/**
 * What a writer of chain version 3 stores and hashes, from one object: the canonical JSON of
 * `data` and of the metadata, and the body hash over exactly them.
 */
export function storedForm(event: Pick<StoredEvent, 'id' | 'streamId' | 'type' | 'schemaVersion' | 'data'> & { metadata: EventMetadataInput }): {
  data: string;
  metadata: string;
  body: string;
} {
  const metadata = storedMetadataOf(event.metadata);
  const body = storedBodyHash({ ...event, occurredAt: event.metadata.occurredAt, metadata });
  return { data: canonicalJson(event.data), metadata: canonicalJson(metadata), body };
}

/**
 * Chain version 3's body of an event read back: its metadata whole — every key, at any depth —
 * except the two instants, which are columns of the row and hashed as such.
 */
export function storedBodyOf(event: HashedContent): StoredBody {
  const { occurredAt, recordedAt: _recordedAt, ...metadata } = event.metadata;
  return { id: event.id, streamId: event.streamId, type: event.type, schemaVersion: event.schemaVersion, occurredAt, data: event.data, metadata };
}

/** The hash an event must carry, by its chain version (absent: 1). */
export function hashOf(prevHash: string, event: HashedContent & { chainVersion?: number }): string {
  if (event.chainVersion === 3) {
    return chainLink(prevHash, event.position, event.streamVersion, event.metadata.recordedAt, storedBodyHash(storedBodyOf(event)), 3);
  }
  if (event.chainVersion === 2) return chainLink(prevHash, event.position, event.streamVersion, event.metadata.recordedAt, bodyHash(event));
  return eventHash(prevHash, event);
}

/** How a verifier reports the chain versions it saw: "v1: 3 events, v3: 12 events". */
export function formatChainVersions(counts: ChainVersionCounts | undefined): string {
  const parts = Object.entries(counts ?? {})
    .filter(([, count]) => count !== undefined && count > 0)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([version, count]) => `v${version}: ${count} event${count === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(', ') : 'none (no events)';
}

/** An auditor's digest: `yingpan-digest:v1:<position>:<head hash>`. */
export function formatDigest(head: Head): string {
  return `yingpan-digest:v1:${head.position}:${head.hash}`;
}

export function parseDigest(text: string): Head {
  const match = /^yingpan-digest:v1:(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (!match) throw new Error(`Not a yingpan digest: ${text}`);
  return { position: Number(match[1]), hash: match[2]! };
}
