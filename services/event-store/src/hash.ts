/**
 * The tamper-evident chain. Every event's hash covers its canonical content — global position,
 * id, stream, stream version, type, schema version, data and full metadata — and the hash of the
 * event before it in the global log. Two ways of computing it (`chainVersion` of the event):
 *
 *   1:  hash(n) = sha256( hash(n-1) "\n" canonicalJson(content(n)) )
 *   2:  hash(n) = sha256( hash(n-1) "\n" "yingpan-chain:v2" "\n" position "\n" streamVersion "\n"
 *                          recordedAt "\n" body(n) ),
 *       body(n) = sha256( canonicalJson(content(n) without position, streamVersion, recordedAt) )
 *
 * with hash(0) = GENESIS. Version 2 lets the database compute the link under the append lock
 * from the writer's body hash, so an append is one statement (migrations/0002); the writer never
 * needs to read the head first. Logs written before it keep version 1 rows, which verify as before.
 *
 * Changing any stored byte of an event changes its hash; deleting or reordering events breaks a
 * link or leaves a gap in the positions. Deleting events at the very end leaves a shorter but
 * valid chain, which a digest (position + head hash) kept by an auditor exposes.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';
import type { Head, StoredEvent } from './types.ts';

export const GENESIS_HASH = '0'.repeat(64);

export type HashedContent = Omit<StoredEvent, 'hash' | 'prevHash'>;

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

/** Chain version 1: the whole canonical content, hashed by the writer. */
export function eventHash(prevHash: string, event: HashedContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(contentOf(event))).digest('hex');
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
    metadata: { recordedBy: { personId: recordedBy.personId, role: recordedBy.role }, occurredAt, correlationId, causationId: causationId ?? null, commandId: commandId ?? null },
  };
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** Chain version 2's link, as `yingpan.append_events` computes it in SQL. */
export function chainLink(prevHash: string, position: number, streamVersion: number, recordedAt: string, body: string): string {
  return createHash('sha256')
    .update([prevHash, 'yingpan-chain:v2', String(position), String(streamVersion), recordedAt, body].join('\n'))
    .digest('hex');
}

/** The hash an event must carry, by its chain version (absent: 1). */
export function hashOf(prevHash: string, event: HashedContent & { chainVersion?: number }): string {
  if (event.chainVersion === 2) return chainLink(prevHash, event.position, event.streamVersion, event.metadata.recordedAt, bodyHash(event));
  return eventHash(prevHash, event);
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
