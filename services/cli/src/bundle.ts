/**
 * The bundle: the whole log in one file an auditor can carry away and a new server can load.
 *
 *   line 1:    the manifest (JSON): format, counts by event type and schema version, first and
 *              last position, head hash, the Merkle root over the log, chain versions, and the
 *              SHA-256 of the lines that follow;
 *   lines 2…:  one event per line, in log order, as stored — canonical JSON of its position, id,
 *              stream and version, type and schema version, the two instants, data, the stored
 *              metadata, previous hash, hash and chain version.
 *
 * The event lines depend on nothing but the log, so two exports of the same log are byte-identical
 * there; `verifyBundle` needs no database: it rehashes the chain, rebuilds the Merkle root and
 * checks every figure of the manifest. `importLog` loads a bundle into an empty store,
 * reproducing every position and hash.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Db } from '@yingpan/db';
import {
  APPEND_LOCK,
  ChainVerifier,
  GENESIS_HASH,
  MemoryTree,
  canonicalJson,
  formatChainVersions,
  type ChainVersionCounts,
  type EventStore,
  type StoredEvent,
} from '@yingpan/event-store';

export const BUNDLE_FORMAT = 'yingpan-bundle/v1';

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  /** When the bundle was written (the only line-1 field that differs between two exports of one log). */
  exportedAt: string;
  /** What the log was read from, e.g. "PGlite in .data/pglite". */
  source: string;
  events: number;
  firstPosition: number;
  lastPosition: number;
  headHash: string;
  /** RFC 9162 root over the events' chain hashes (compare with a signed checkpoint of the same size). */
  merkleRoot: string;
  chainVersions: ChainVersionCounts;
  /** Events by type and schema version, e.g. { "PersonRegistered@1": 1520 }. */
  eventTypes: Record<string, number>;
  /** SHA-256 of every event line (each with its newline). */
  logSha256: string;
}

/** One event as a bundle line: canonical JSON, the metadata as stored (the instants are fields of their own). */
export function eventLine(event: StoredEvent): string {
  const { occurredAt, recordedAt, ...metadata } = event.metadata;
  return canonicalJson({
    position: event.position,
    id: event.id,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt,
    recordedAt,
    data: event.data,
    metadata,
    prevHash: event.prevHash,
    hash: event.hash,
    chainVersion: event.chainVersion ?? 1,
  });
}

/** A bundle line back to the event it records (the metadata with its instants again). */
export function eventOfLine(line: string): StoredEvent {
  const parsed = JSON.parse(line) as {
    position: number;
    id: string;
    streamId: string;
    streamVersion: number;
    type: string;
    schemaVersion: number;
    occurredAt: string;
    recordedAt: string;
    data: unknown;
    metadata: Record<string, unknown>;
    prevHash: string;
    hash: string;
    chainVersion: 1 | 2 | 3;
  };
  return {
    position: parsed.position,
    id: parsed.id,
    streamId: parsed.streamId,
    streamVersion: parsed.streamVersion,
    type: parsed.type,
    schemaVersion: parsed.schemaVersion,
    data: parsed.data,
    metadata: { ...(parsed.metadata as unknown as StoredEvent['metadata']), occurredAt: parsed.occurredAt, recordedAt: parsed.recordedAt },
    prevHash: parsed.prevHash,
    hash: parsed.hash,
    chainVersion: parsed.chainVersion,
  };
}

/** Writes the bundle of the whole log to `file` (through a temporary file beside it); returns its manifest. */
export async function exportBundle(
  store: EventStore,
  file: string,
  source: string,
  onProgress?: (done: number, total: number) => void,
): Promise<BundleManifest> {
  const head = await store.head();
  const temporary = `${file}.part`;
  const out = createWriteStream(temporary);
  const digest = createHash('sha256');
  const tree = new MemoryTree();
  const eventTypes: Record<string, number> = {};
  const chainVersions: ChainVersionCounts = {};
  let count = 0;
  let first = 0;
  let last = 0;
  let lastHash = GENESIS_HASH;
  try {
    for (let after = 0; after < head.position; ) {
      const page = await store.readAll({ after, limit: 2000 });
      if (page.length === 0) break;
      let chunk = '';
      for (const event of page) {
        if (event.position > head.position) break;
        const line = `${eventLine(event)}\n`;
        chunk += line;
        digest.update(line);
        tree.append(Buffer.from(event.hash, 'hex'));
        const key = `${event.type}@${event.schemaVersion}`;
        eventTypes[key] = (eventTypes[key] ?? 0) + 1;
        const version = event.chainVersion ?? 1;
        chainVersions[version] = (chainVersions[version] ?? 0) + 1;
        count++;
        first ||= event.position;
        last = event.position;
        lastHash = event.hash;
      }
      if (!out.write(chunk)) await once(out, 'drain');
      after = page[page.length - 1]!.position;
      onProgress?.(Math.min(after, head.position), head.position);
    }
    out.end();
    await once(out, 'finish');
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      exportedAt: new Date().toISOString(),
      source,
      events: count,
      firstPosition: first,
      lastPosition: last,
      headHash: lastHash,
      merkleRoot: tree.root().toString('hex'),
      chainVersions,
      eventTypes: Object.fromEntries(Object.entries(eventTypes).sort(([a], [b]) => a.localeCompare(b))),
      logSha256: digest.digest('hex'),
    };
    // The manifest first, then the event lines as written.
    const final = createWriteStream(`${file}.tmp`);
    final.write(`${JSON.stringify(manifest)}\n`);
    for await (const chunk of createReadStream(temporary)) if (!final.write(chunk)) await once(final, 'drain');
    final.end();
    await once(final, 'finish');
    renameSync(`${file}.tmp`, file);
    return manifest;
  } finally {
    rmSync(temporary, { force: true });
    rmSync(`${file}.tmp`, { force: true });
  }
}

export type BundleCheck =
  | { ok: true; manifest: BundleManifest; summary: string }
  | { ok: false; line: number; position?: number; reason: string; manifest?: BundleManifest };

/** Reads a bundle line by line: the manifest, then each event. */
async function* linesOf(file: string): AsyncGenerator<string> {
  const reader = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of reader) yield line;
}

/**
 * Checks a bundle with no database: every line canonical and parseable, positions 1… without a
 * gap, every link and hash of the chain, and the manifest's counts, head, Merkle root and log
 * digest. `onEvent` sees each event once it has been checked.
 */
export async function verifyBundle(file: string, onEvent?: (event: StoredEvent, line: string) => void | Promise<void>): Promise<BundleCheck> {
  let manifest: BundleManifest | undefined;
  const chain = new ChainVerifier();
  const tree = new MemoryTree();
  const digest = createHash('sha256');
  let number = 0;
  const eventTypes: Record<string, number> = {};
  for await (const line of linesOf(file)) {
    number++;
    if (number === 1) {
      try {
        manifest = JSON.parse(line) as BundleManifest;
      } catch {
        return { ok: false, line: 1, reason: 'the first line is not a manifest (JSON): not a yingpan bundle' };
      }
      if (manifest.format !== BUNDLE_FORMAT) return { ok: false, line: 1, reason: `not a ${BUNDLE_FORMAT} bundle (format: ${String(manifest.format)})` };
      continue;
    }
    if (line === '' && manifest) continue;
    let event: StoredEvent;
    try {
      event = eventOfLine(line);
    } catch {
      return { ok: false, line: number, reason: 'not an event (the line is not JSON)', manifest };
    }
    if (eventLine(event) !== line) {
      return { ok: false, line: number, position: event.position, reason: 'the line is not the canonical form of its event (bytes were changed)', manifest };
    }
    const failure = chain.check(event);
    if (failure) return { ok: false, line: number, position: failure.position, reason: `${failure.kind}: ${failure.message}`, manifest };
    digest.update(`${line}\n`);
    tree.append(Buffer.from(event.hash, 'hex'));
    const key = `${event.type}@${event.schemaVersion}`;
    eventTypes[key] = (eventTypes[key] ?? 0) + 1;
    await onEvent?.(event, line);
  }
  if (!manifest) return { ok: false, line: 0, reason: 'the file is empty: not a yingpan bundle' };
  const mismatch = (what: string, expected: unknown, found: unknown) =>
    ({ ok: false, line: 1, reason: `the manifest's ${what} is ${JSON.stringify(expected)}, the log's ${JSON.stringify(found)}`, manifest }) as const;
  if (manifest.events !== chain.count) return mismatch('event count', manifest.events, chain.count);
  if (manifest.lastPosition !== chain.head.position) return mismatch('last position', manifest.lastPosition, chain.head.position);
  if (manifest.headHash !== chain.head.hash) return mismatch('head hash', manifest.headHash, chain.head.hash);
  const root = tree.root().toString('hex');
  if (manifest.merkleRoot !== root) return mismatch('Merkle root', manifest.merkleRoot, root);
  const logSha256 = digest.digest('hex');
  if (manifest.logSha256 !== logSha256) return mismatch('log SHA-256', manifest.logSha256, logSha256);
  if (canonicalJson(manifest.eventTypes) !== canonicalJson(eventTypes)) return mismatch('counts by event type', manifest.eventTypes, eventTypes);
  return {
    ok: true,
    manifest,
    summary:
      `${chain.count} events verified; head position ${chain.head.position}, hash ${chain.head.hash}; Merkle root ${root}; ` +
      `chain versions: ${formatChainVersions(chain.chainVersions)}`,
  };
}

/**
 * Loads a verified bundle into an empty log, each event at its own position with its own hashes,
 * in one transaction under the append lock (the Merkle tree is built by the database as rows go in).
 */
export async function importLog(db: Db, file: string, onProgress?: (done: number, total: number) => void): Promise<BundleCheck> {
  const checked = await verifyBundle(file);
  if (!checked.ok) return checked;
  const total = checked.manifest.events;
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
    const { rows } = await tx.query<{ n: string | number }>('SELECT count(*) AS n FROM yingpan.events');
    if (Number(rows[0]?.n ?? 0) > 0) throw new Error(`the log is not empty (${rows[0]!.n} events): import-log loads a bundle into an empty store only`);
    let batch: StoredEvent[] = [];
    let done = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await tx.query(
        `INSERT INTO yingpan.events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at,
                                     prev_hash, hash, chain_version)
         SELECT r.position, r.event_id, r.stream_id, r.stream_version, r.type, r.schema_version, r.data, r.metadata, r.occurred_at, r.recorded_at,
                r.prev_hash, r.hash, r.chain_version
           FROM jsonb_to_recordset($1::jsonb) AS r(position bigint, event_id uuid, stream_id text, stream_version integer, type text,
                schema_version integer, data jsonb, metadata jsonb, occurred_at timestamptz, recorded_at timestamptz, prev_hash text, hash text,
                chain_version integer)
          ORDER BY r.position`,
        [
          JSON.stringify(
            batch.map((event) => {
              const { occurredAt, recordedAt, ...metadata } = event.metadata;
              return {
                position: event.position,
                event_id: event.id,
                stream_id: event.streamId,
                stream_version: event.streamVersion,
                type: event.type,
                schema_version: event.schemaVersion,
                data: event.data,
                metadata,
                occurred_at: occurredAt,
                recorded_at: recordedAt,
                prev_hash: event.prevHash,
                hash: event.hash,
                chain_version: event.chainVersion ?? 1,
              };
            }),
          ),
        ],
      );
      done += batch.length;
      batch = [];
      onProgress?.(done, total);
    };
    const again = await verifyBundle(file, async (event) => {
      batch.push(event);
      if (batch.length >= 2000) await flush();
    });
    if (!again.ok) throw new Error(`the bundle changed while it was loaded: line ${again.line}: ${again.reason}`);
    await flush();
  });
  return checked;
}
