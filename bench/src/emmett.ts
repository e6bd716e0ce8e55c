/**
 * The peer: Emmett's PostgreSQL event store (@event-driven-io/emmett-postgresql), given the same
 * events as yingpan. Emmett names streams `<type>-<id>` (it takes the stream type from the part
 * before the first dash), so the deputy's stream `person:<uuid>` becomes `person-<uuid>`; the
 * event's id rides as Emmett's `messageId`, its data and metadata unchanged.
 *
 * Reading the whole log: Emmett's EventStore has no read-all call; its consumers page through the
 * log with `readMessagesBatch` (exported), which is what is timed here, on Emmett's own connection
 * pool (dumbo, Emmett's database layer; one pool shared with the store).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dumbo, type Dumbo } from '@event-driven-io/dumbo';
import type { DefaultRecord, Event } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, readMessagesBatch, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import type { Queryable } from '@yingpan/db';
import type { AppendRequest } from '@yingpan/event-store';

export type EmmettEvent = Event<string, DefaultRecord, DefaultRecord>;

export interface EmmettAppend {
  streamName: string;
  expectedStreamVersion: bigint;
  events: EmmettEvent[];
}

export interface Emmett {
  store: PostgresEventStore;
  pool: Dumbo;
  close(): Promise<void>;
}

export async function openEmmett(connectionString: string): Promise<Emmett> {
  const pool = dumbo({ connectionString });
  const store = getPostgreSQLEventStore(connectionString, { connectionOptions: { dumbo: pool } });
  await store.schema.migrate();
  return {
    store,
    pool,
    async close() {
      await store.close();
    },
  };
}

/** The same append for Emmett, prepared before the clock starts. */
export function toEmmett(request: AppendRequest): EmmettAppend {
  if (typeof request.expectedVersion !== 'number') throw new Error('the benchmark appends with exact expected versions only');
  return {
    streamName: request.streamId.replace(/^person:/, 'person-'),
    expectedStreamVersion: BigInt(request.expectedVersion),
    events: request.events.map((event) => ({
      type: event.type,
      data: event.data as DefaultRecord,
      metadata: { ...event.metadata, messageId: event.id },
    })),
  };
}

export async function appendEmmett(emmett: Emmett, append: EmmettAppend): Promise<number> {
  await emmett.store.appendToStream(append.streamName, append.events, { expectedStreamVersion: append.expectedStreamVersion });
  return append.events.length;
}

/**
 * Waits until Emmett's reads can see every message it holds. `readMessagesBatch` leaves out
 * messages whose transaction id is not below the oldest transaction still running anywhere on the
 * server (`pg_snapshot_xmin`, so that a consumer never skips a message committed late), and any
 * other database's open transaction can hold the newest message back for a while.
 */
export async function emmettSettled(admin: Queryable, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await admin.query<{ visible: boolean }>(
      'SELECT coalesce(max(transaction_id) < pg_snapshot_xmin(pg_current_snapshot()), TRUE) AS visible FROM emt_messages',
    );
    if (rows[0]!.visible) return;
    if (Date.now() > deadline)
      throw new Error(`Emmett's newest message stayed hidden from its readers for ${timeoutMs / 1000} s: a transaction elsewhere on the server stays open`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One page of the whole log after global position `after`, as Emmett's consumers read it. */
export async function readEmmettPage(emmett: Emmett, after: number, limit: number): Promise<{ count: number; last: number }> {
  const page = await readMessagesBatch(emmett.pool.execute, { after: BigInt(after), batchSize: limit });
  return { count: page.messages.length, last: Number(page.currentGlobalPosition) };
}

/** The installed version of an Emmett package, for the report. */
export function emmettVersion(pkg = 'emmett-postgresql'): string {
  const file = fileURLToPath(new URL(`../node_modules/@event-driven-io/${pkg}/package.json`, import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
