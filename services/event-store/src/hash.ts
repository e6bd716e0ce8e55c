/**
 * The tamper-evident chain. Every event's hash covers its canonical content — global position,
 * id, stream, stream version, type, schema version, data and full metadata — and the hash of the
 * event before it in the global log:
 *
 *   hash(n) = sha256( hash(n-1) || "\n" || canonicalJson(content(n)) ),   hash(0) = GENESIS
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

export function eventHash(prevHash: string, event: HashedContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(contentOf(event))).digest('hex');
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
