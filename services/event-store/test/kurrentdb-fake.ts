/**
 * An in-memory stand-in for the KurrentDB client, with just what the adapter calls for appending,
 * reading and verifying (appendToStream, multiStreamAppend, readStream, readAll), so that its hash
 * chain can be tested where no KurrentDB runs. Records keep their data and metadata as JSON text
 * and are parsed on every read, as the real client does; `rewrite` changes a stored record in
 * place, which a real KurrentDB does not allow — the closest a test gets to someone editing its
 * files behind its back. The contract suite against a real server runs when KURRENTDB_URL is set.
 */
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';

interface FakeRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
  commit: bigint;
}

interface EventData {
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
}

const notFound = () => Object.assign(new Error('stream not found'), { type: 'stream-not-found' });

export class FakeKurrentDb {
  private readonly log: FakeRecord[] = [];
  private commit = 1_000n;

  /** The adapter's view of this fake. */
  get client(): KurrentDBClient {
    return this as unknown as KurrentDBClient;
  }

  /** Changes one stored record's data or metadata (parsed JSON in, parsed JSON out). */
  rewrite(position: number, column: 'data' | 'metadata', change: (value: unknown) => unknown): void {
    const record = this.log.find((entry) => Number(entry.commit) === position);
    if (!record) throw new Error(`no record at ${position}`);
    record[column] = JSON.stringify(change(JSON.parse(record[column])));
  }

  /** The stored JSON text of one record's data or metadata. */
  stored(position: number, column: 'data' | 'metadata'): string {
    return this.log.find((entry) => Number(entry.commit) === position)![column];
  }

  /** Sets one record's stored JSON text back. */
  restore(position: number, column: 'data' | 'metadata', json: string): void {
    this.log.find((entry) => Number(entry.commit) === position)![column] = json;
  }

  async appendToStream(name: string, events: EventData[], options: { streamState: bigint | string }): Promise<{ success: boolean }> {
    if (!this.expected(name, options.streamState)) return { success: false };
    this.store(name, events);
    return { success: true };
  }

  async multiStreamAppend(writes: { streamName: string; events: EventData[]; expectedState: bigint | string }[]): Promise<void> {
    if (!writes.every((write) => this.expected(write.streamName, write.expectedState))) throw new Error('wrong expected state');
    for (const write of writes) this.store(write.streamName, write.events);
  }

  readStream(name: string, options: { fromRevision?: bigint | string; direction?: string; maxCount?: number | bigint }) {
    const records = this.log.filter((record) => record.streamId === name);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision;
    let chosen = backwards ? [...records].reverse() : records;
    if (typeof from === 'bigint') chosen = chosen.filter((record) => (backwards ? record.revision <= from : record.revision >= from));
    chosen = chosen.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
    const read = (record: FakeRecord) => this.read(record);
    return (async function* () {
      if (records.length === 0) throw notFound();
      for (const record of chosen) yield { event: read(record) };
    })();
  }

  readAll(options: { fromPosition?: { commit: bigint } | string; direction?: string; maxCount?: number | bigint }) {
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition;
    let chosen = backwards ? [...this.log].reverse() : this.log;
    if (typeof from === 'object') chosen = chosen.filter((record) => (backwards ? record.commit <= from.commit : record.commit >= from.commit));
    chosen = chosen.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
    const read = (record: FakeRecord) => this.read(record);
    return (async function* () {
      for (const record of chosen) yield { event: read(record), commitPosition: record.commit };
    })();
  }

  async dispose(): Promise<void> {}

  private expected(name: string, state: bigint | string): boolean {
    const last = this.log.filter((record) => record.streamId === name).at(-1);
    if (state === 'no_stream') return last === undefined;
    if (state === 'any') return true;
    if (state === 'stream_exists') return last !== undefined;
    return last?.revision === state;
  }

  private store(name: string, events: EventData[]): void {
    let revision = this.log.filter((record) => record.streamId === name).at(-1)?.revision ?? -1n;
    for (const event of events) {
      revision += 1n;
      this.commit += 137n;
      this.log.push({
        streamId: name,
        id: event.id,
        revision,
        type: event.type,
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(event.metadata),
        commit: this.commit,
      });
    }
  }

  private read(record: FakeRecord) {
    return {
      streamId: record.streamId,
      id: record.id,
      revision: record.revision,
      type: record.type,
      data: JSON.parse(record.data) as unknown,
      metadata: JSON.parse(record.metadata) as unknown,
      isJson: true,
      position: { commit: record.commit, prepare: record.commit },
    };
  }
}
