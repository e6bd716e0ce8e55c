/**
 * Guarantees specific to the SQL adapter: global order under concurrent writers, the append-only
 * table, and tamper detection when stored bytes are changed behind the store's back.
 */
import { everyEngine } from '@yingpan/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../src/errors.ts';
import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, bodyHash, chainLink, formatChainVersions, hashOf, storedBodyHash } from '../src/hash.ts';
import type { StoredEvent } from '../src/types.ts';
import { newEvent, streamOf } from './contract.ts';
import { SqlEventStore } from '../src/sql-store.ts';
import { insertLegacyRows } from './legacy.ts';
import { openSqlStore, type SqlStoreUnderTest } from './sql-harness.ts';

for (const target of everyEngine) {
  describe.skipIf(target.skipReason !== null)(`SQL event store on ${target.name}`, () => {
    let subject: SqlStoreUnderTest;
    beforeAll(async () => {
      subject = await openSqlStore(target);
    });
    beforeEach(async () => {
      await subject.reset();
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    describe('when many writers append while a reader catches up', () => {
      it('the reader sees every committed event exactly once, gap-free, in each writer’s commit order', async () => {
        const { store } = subject;
        const writers = 8;
        const appendsPerWriter = 30;
        const shared = [streamOf(), streamOf()];
        const abort = new AbortController();
        const seen: StoredEvent[] = [];
        const reader = (async () => {
          for await (const event of store.subscribe({ after: 0, signal: abort.signal, batchSize: 7, pollIntervalMs: 20 })) seen.push(event);
        })();

        const written = await Promise.all(
          Array.from({ length: writers }, async (_, writer) => {
            const own = streamOf();
            const ids: string[] = [];
            for (let i = 0; i < appendsPerWriter; i++) {
              const events = Array.from({ length: 1 + ((writer + i) % 3) }, () => newEvent('Written', { writer, i }));
              const streamId = i % 2 === 0 ? own : shared[i % shared.length]!;
              await store.append({ streamId, expectedVersion: 'any', events });
              ids.push(...events.map((event) => event.id));
            }
            return ids;
          }),
        );

        const head = await store.head();
        const deadline = Date.now() + 20_000;
        while ((seen.at(-1)?.position ?? 0) < head.position && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        abort.abort();
        await reader;

        const total = written.flat().length;
        expect(head.position).toBe(total);
        expect(seen.map((event) => event.position)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        expect(new Set(seen.map((event) => event.id)).size).toBe(total);
        const order = new Map(seen.map((event, index) => [event.id, index]));
        for (const ids of written) {
          const indexes = ids.map((id) => order.get(id)!);
          expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
        }
        expect(await store.verify()).toMatchObject({ ok: true, count: total });
      });

      it('racing writers on one stream get typed conflicts, and retrying leaves every event exactly once', async () => {
        const { store } = subject;
        const stream = streamOf('pairing');
        let conflicts = 0;
        await Promise.all(
          Array.from({ length: 6 }, async (_, writer) => {
            for (let i = 0; i < 10; i++) {
              const event = newEvent('Written', { writer, i });
              for (;;) {
                const version = await store.streamVersion(stream);
                try {
                  await store.append({ streamId: stream, expectedVersion: version, events: [event] });
                  break;
                } catch (error) {
                  if (!(error instanceof ConcurrencyError)) throw error;
                  conflicts += 1;
                }
              }
            }
          }),
        );
        const events = await store.readStream(stream);
        expect(events.map((event) => event.streamVersion)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
        expect(new Set(events.map((event) => event.id)).size).toBe(60);
        if (target.name === 'postgres') expect(conflicts).toBeGreaterThan(0);
      });

      it('commits concurrent appends together, each answered on its own: a stale version fails alone, a concurrent retry is a duplicate', async () => {
        const { store } = subject;
        const [a, b, c] = [streamOf(), streamOf(), streamOf()];
        const retried = newEvent('Written', { retried: true });
        const settled = await Promise.allSettled([
          store.append({ streamId: a, expectedVersion: 'no_stream', events: [newEvent()] }),
          store.append({ streamId: a, expectedVersion: 'no_stream', events: [newEvent()] }),
          store.append({ streamId: b, expectedVersion: 'no_stream', events: [retried] }),
          store.append({ streamId: b, expectedVersion: 'no_stream', events: [retried] }),
          ...Array.from({ length: 20 }, (_, i) => store.append({ streamId: c, expectedVersion: i === 0 ? 'no_stream' : 'any', events: [newEvent()] })),
        ]);
        const [first, stale, original, retry, ...rest] = settled;
        expect(first).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 1, duplicate: false } });
        expect(stale.status).toBe('rejected');
        expect((stale as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
        expect(original).toMatchObject({ status: 'fulfilled', value: { duplicate: false } });
        expect(retry).toMatchObject({ status: 'fulfilled', value: { duplicate: true, positions: (original as PromiseFulfilledResult<any>).value.positions } });
        expect(rest.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
        expect((await store.readStream(c)).map((event) => event.streamVersion)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        const head = await store.head();
        expect(head.position).toBe(22);
        expect(await store.verify()).toMatchObject({ ok: true, count: 22 });
      });
    });

    describe('when several streams are read at the same moment', () => {
      it('reads them in one statement, each from its own version, and an append before a read is in it', async () => {
        const [a, b, c, empty] = [streamOf(), streamOf(), streamOf(), streamOf()];
        for (const [streamId, count] of [
          [a, 3],
          [b, 1],
          [c, 4],
        ] as const) {
          await subject.store.append({ streamId, expectedVersion: 'no_stream', events: Array.from({ length: count }, (_, i) => newEvent('Written', { i })) });
        }
        const db = subject.testDb.db;
        const statements: string[] = [];
        const counted = new Proxy(db, {
          get(target, property) {
            if (property === 'query') {
              return (text: string, params?: unknown[]) => {
                statements.push(text);
                return target.query(text, params);
              };
            }
            const value = Reflect.get(target, property, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
        const store = new SqlEventStore(counted);
        const versions = (events: StoredEvent[]) =>
          events.map((event) => `${event.streamId === a ? 'a' : event.streamId === b ? 'b' : 'c'}${event.streamVersion}`);
        const [fromA, fromB, fromC, none, allA] = await Promise.all([
          store.readStream(a, { fromVersion: 2 }),
          store.readStream(b),
          store.readStream(c, { fromVersion: 4 }),
          store.readStream(empty),
          store.readStream(a),
        ]);
        expect([versions(fromA), versions(fromB), versions(fromC), none, versions(allA)]).toEqual([['a2', 'a3'], ['b1'], ['c4'], [], ['a1', 'a2', 'a3']]);
        expect(fromA[1]).toEqual((await subject.store.readStream(a, { toVersion: 3 }))[2]);
        expect(statements).toHaveLength(1);

        const appended = await store.append({ streamId: b, expectedVersion: 1, events: [newEvent('Written', { late: true })] });
        expect(versions(await store.readStream(b, { fromVersion: 2 }))).toEqual(['b2']);
        expect(appended.events[0]!.position).toBeGreaterThan(fromC[0]!.position);
      });
    });

    describe('the events table', () => {
      it('rejects UPDATE, DELETE and TRUNCATE', async () => {
        const { db } = subject.testDb;
        await subject.store.append({ streamId: streamOf(), expectedVersion: 'any', events: [newEvent()] });
        await expect(db.query(`UPDATE yingpan.events SET type = 'Forged'`)).rejects.toThrow(/append-only: UPDATE/);
        await expect(db.query('DELETE FROM yingpan.events')).rejects.toThrow(/append-only: DELETE/);
        await expect(db.query('TRUNCATE yingpan.events')).rejects.toThrow(/append-only: TRUNCATE/);
        expect(await subject.store.verify()).toMatchObject({ ok: true, count: 1 });
      });
    });

    describe('the hash chain', () => {
      it('is linked by the database (chain version 3) over the event exactly as stored, as the verifier recomputes it', async () => {
        const { store, testDb } = subject;
        const stream = streamOf();
        await store.append({
          streamId: stream,
          expectedVersion: 'no_stream',
          events: [newEvent('A', { 名: '张三', deep: { list: [1, { x: null }] } }), newEvent('B', { n: 1.5 })],
        });
        const [first, second] = await store.readAll();
        expect(first).toMatchObject({ chainVersion: 3, prevHash: GENESIS_HASH });
        const { recordedAt, occurredAt, ...metadata } = first!.metadata;
        const body = storedBodyHash({ id: first!.id, streamId: stream, type: 'A', schemaVersion: 1, occurredAt, data: first!.data, metadata });
        expect(first!.hash).toBe(chainLink(GENESIS_HASH, 1, 1, recordedAt, body, 3));
        expect(second!.prevHash).toBe(first!.hash);
        expect(second!.hash).toBe(hashOf(first!.hash, second!));
        expect(second!.hash).not.toBe(hashOf(first!.hash, { ...second!, chainVersion: 2 }));
        // The metadata column holds exactly the object that was hashed: nothing more, nothing less.
        const { rows } = await testDb.db.query<{ metadata: unknown; chain_version: number }>(
          'SELECT metadata, chain_version FROM yingpan.events ORDER BY position',
        );
        expect(rows.map((row) => row.chain_version)).toEqual([3, 3]);
        expect(rows[0]!.metadata).toEqual(metadata);
        expect(Object.keys(rows[0]!.metadata as object).sort()).toEqual(['causationId', 'commandId', 'correlationId', 'recordedBy']);
      });

      it('stores nothing the caller adds beside what it hashes: extra metadata keys, even inside the recorder, are not written', async () => {
        const { store, testDb } = subject;
        const event = newEvent();
        const padded = {
          ...event,
          metadata: { ...event.metadata, note: 'approved by director', recordedBy: { ...event.metadata.recordedBy, name: '伪造者' } },
        } as typeof event;
        await store.append({ streamId: streamOf(), expectedVersion: 'any', events: [padded] });
        const { rows } = await testDb.db.query<{ metadata: Record<string, unknown> }>('SELECT metadata FROM yingpan.events');
        expect(rows[0]!.metadata).toEqual({
          recordedBy: { personId: 'staff-1', role: 'staff' },
          correlationId: event.metadata.correlationId,
          causationId: null,
          commandId: null,
        });
        expect(await store.verify()).toMatchObject({ ok: true, count: 1, chainVersions: { 3: 1 } });
      });

      it('verifies a log of chain versions 1, 2 and 3 (written before migrations 0002 and 0003, and after) and reports the versions it saw', async () => {
        const { store, testDb } = subject;
        const stream = streamOf();
        const legacy = [1, 1, 2, 2, 2].map((version, index) => ({
          version: version as 1 | 2,
          streamId: stream,
          streamVersion: index + 1,
          event: newEvent('Old', { index, nested: { 名: '李四', n: [0.1, 2] } }),
          recordedAt: `2025-01-0${index + 1}T08:00:00.000Z`,
        }));
        const head = await insertLegacyRows(testDb.db, legacy);
        await store.append({ streamId: stream, expectedVersion: 5, events: [newEvent('New'), newEvent('New')] });
        const events = await store.readAll();
        expect(events.map((event) => [event.position, event.chainVersion, event.streamVersion])).toEqual([
          [1, 1, 1],
          [2, 1, 2],
          [3, 2, 3],
          [4, 2, 4],
          [5, 2, 5],
          [6, 3, 6],
          [7, 3, 7],
        ]);
        expect(events[5]!.prevHash).toBe(head.hash);
        const verified = await store.verify();
        expect(verified).toMatchObject({ ok: true, count: 7, chainVersions: { 1: 2, 2: 3, 3: 2 } });
        expect(formatChainVersions(verified.chainVersions)).toBe('v1: 2 events, v2: 3 events, v3: 2 events');
        // From a head verified earlier, only the events after it are counted.
        expect(await store.verify({ from: { position: 5, hash: head.hash } })).toMatchObject({ ok: true, count: 2, chainVersions: { 3: 2 } });
      });

      it('still takes the fifteen-argument call of migration 0002 (a writer started before 0003): its rows are chain version 2 and verify', async () => {
        const { store, testDb } = subject;
        await store.append({ streamId: streamOf(), expectedVersion: 'any', events: [newEvent()] });
        const stream = streamOf();
        const event = { ...newEvent('Older', { 名: '王五' }), id: randomUUID() };
        const { recordedBy, correlationId, causationId, occurredAt } = event.metadata;
        const metadata = { recordedBy, occurredAt, correlationId, causationId, commandId: null };
        const { rows } = await testDb.db.query<{ outcome: string; positions: number[] }>(
          `SELECT outcome, positions FROM yingpan.append_events(false, $1::text[], '{1}'::int[], '{-1}'::bigint[], '{1}'::int[], '{1}'::int[], $1::text[],
                   $2::uuid[], $3::text[], '{1}'::int[], $4::jsonb[], $5::jsonb[], $6::timestamptz[], $7::text[], 'yingpan_events')`,
          [
            [stream],
            [event.id],
            [event.type],
            [JSON.stringify(event.data)],
            [JSON.stringify({ recordedBy, correlationId, causationId, commandId: null })],
            [occurredAt],
            [bodyHash({ ...event, streamId: stream, metadata })],
          ],
        );
        expect(rows).toMatchObject([{ outcome: 'appended' }]);
        await store.append({ streamId: stream, expectedVersion: 1, events: [newEvent()] });
        expect((await store.readAll()).map((stored) => stored.chainVersion)).toEqual([3, 2, 3]);
        expect(await store.verify()).toMatchObject({ ok: true, count: 3, chainVersions: { 2: 1, 3: 2 } });
      });

      it('answers each request of one group on its own: a conflict does not take the others with it', async () => {
        const { store } = subject;
        const stream = streamOf();
        await store.append({ streamId: stream, expectedVersion: 'no_stream', events: [newEvent()] });
        const retried = newEvent('Retried');
        const outcomes = await Promise.allSettled([
          store.append({ streamId: stream, expectedVersion: 0, events: [newEvent('Stale')] }),
          store.append({ streamId: stream, expectedVersion: 1, events: [retried] }),
          store.append({ streamId: stream, expectedVersion: 1, events: [retried] }),
          store.append({ streamId: streamOf(), expectedVersion: 'stream_exists', events: [newEvent()] }),
        ]);
        expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: { name: 'ConcurrencyError', actual: 1 } });
        expect(outcomes[1]).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 2, duplicate: false } });
        // The same append again in the same group finds the first as stored.
        expect(outcomes[2]).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 2, duplicate: true } });
        expect((outcomes[2] as PromiseFulfilledResult<{ positions: number[] }>).value.positions).toEqual(
          (outcomes[1] as PromiseFulfilledResult<{ positions: number[] }>).value.positions,
        );
        expect(outcomes[3]).toMatchObject({ status: 'rejected', reason: { name: 'ConcurrencyError', actual: 0 } });
        expect((await store.head()).position).toBe(2);
        expect(await store.verify()).toMatchObject({ ok: true, count: 2 });
      });
    });

    describe('when stored bytes are changed behind the store’s back', () => {
      /** Appends 6 events, then runs `tamper` as a superuser with the append-only triggers off. */
      async function tamperWith(sql: string) {
        for (let i = 0; i < 3; i++) {
          await subject.store.append({ streamId: streamOf(), expectedVersion: 'any', events: [newEvent('A', { i }), newEvent('B', { i })] });
        }
        const digest = await subject.store.head();
        await subject.testDb.db.exec(`ALTER TABLE yingpan.events DISABLE TRIGGER USER; ${sql}; ALTER TABLE yingpan.events ENABLE TRIGGER USER;`);
        return digest;
      }

      it('finds a changed data byte at its position', async () => {
        await tamperWith(`UPDATE yingpan.events SET data = jsonb_set(data, '{i}', '7') WHERE position = 3`);
        expect(await subject.store.verify()).toMatchObject({ ok: false, position: 3, kind: 'hash-mismatch' });
      });

      it('finds a changed recording time, recorder and occurrence date', async () => {
        await tamperWith(`UPDATE yingpan.events SET recorded_at = recorded_at - interval '1 day' WHERE position = 5`);
        expect(await subject.store.verify()).toMatchObject({ ok: false, position: 5, kind: 'hash-mismatch' });
        await subject.reset();
        await tamperWith(`UPDATE yingpan.events SET metadata = jsonb_set(metadata, '{recordedBy,personId}', '"other"') WHERE position = 2`);
        expect(await subject.store.verify()).toMatchObject({ ok: false, position: 2 });
        await subject.reset();
        await tamperWith(`UPDATE yingpan.events SET occurred_at = occurred_at + interval '1 second' WHERE position = 6`);
        expect(await subject.store.verify()).toMatchObject({ ok: false, position: 6 });
      });

      it('names a row emptied so far that it cannot be hashed, instead of failing to read it', async () => {
        for (const metadata of [`'{}'::jsonb`, `'null'::jsonb`]) {
          await subject.reset();
          await tamperWith(`UPDATE yingpan.events SET metadata = ${metadata} WHERE position = 3`);
          expect(await subject.store.verify()).toMatchObject({ ok: false, position: 3, kind: 'hash-mismatch' });
        }
      });

      it('finds a deleted row by the gap it leaves', async () => {
        await tamperWith('DELETE FROM yingpan.events WHERE position = 4');
        expect(await subject.store.verify()).toMatchObject({ ok: false, position: 5, kind: 'gap' });
      });

      it('finds rows whose places were swapped', async () => {
        await tamperWith(
          'UPDATE yingpan.events SET position = -2 WHERE position = 2; UPDATE yingpan.events SET position = 2 WHERE position = 3; ' +
            'UPDATE yingpan.events SET position = 3 WHERE position = -2',
        );
        expect(await subject.store.verify()).toMatchObject({ ok: false, position: 2 });
      });

      it('finds a rewritten event whose own hash was recomputed, by the broken link after it', async () => {
        await tamperWith('SELECT 1');
        const [original] = await subject.store.readAll({ after: 3, limit: 1 });
        const forged = { ...original!, data: { i: 99 } };
        const hash = hashOf(forged.prevHash, forged);
        await tamperWith(`UPDATE yingpan.events SET data = '{"i":99}', hash = '${hash}' WHERE position = 4`);
        expect(await subject.store.verify()).toMatchObject({ ok: false, position: 5, kind: 'broken-link' });
      });

      it('finds bytes the hash cannot see: a metadata key of its own, a time finer than a millisecond', async () => {
        await tamperWith(`UPDATE yingpan.events SET metadata = metadata || '{"approvedBy":"someone"}'::jsonb WHERE position = 4`);
        expect(await subject.store.verify()).toMatchObject({ ok: false, position: 4, kind: 'hash-mismatch' });
        await subject.reset();
        await tamperWith(`UPDATE yingpan.events SET occurred_at = occurred_at + interval '1 microsecond' WHERE position = 5`);
        expect(await subject.store.verify()).toMatchObject({ ok: false, position: 5, kind: 'hash-mismatch' });
        await subject.reset();
        await tamperWith(`UPDATE yingpan.events SET recorded_at = recorded_at + interval '300 microseconds' WHERE position = 2`);
        expect(await subject.store.verify()).toMatchObject({ ok: false, position: 2, kind: 'hash-mismatch' });
      });

      it('finds a row whose chain version was switched, whichever way', async () => {
        await tamperWith('UPDATE yingpan.events SET chain_version = 1 WHERE position = 2');
        expect(await subject.store.verify()).toMatchObject({ ok: false, position: 2, kind: 'hash-mismatch' });
      });

      it('checks only what follows a head verified earlier, and that the head still stands; earlier rows need a full walk', async () => {
        const verified = await tamperWith('SELECT 1');
        for (let i = 0; i < 2; i++) await subject.store.append({ streamId: streamOf(), expectedVersion: 'any', events: [newEvent('C', { i })] });
        expect(await subject.store.verify({ from: verified })).toMatchObject({ ok: true, count: 2, head: { position: 8 } });

        await subject.testDb.db.exec(
          `ALTER TABLE yingpan.events DISABLE TRIGGER USER; UPDATE yingpan.events SET data = '{"i":99}' WHERE position = 8; ALTER TABLE yingpan.events ENABLE TRIGGER USER;`,
        );
        expect(await subject.store.verify({ from: verified })).toMatchObject({ ok: false, position: 8, kind: 'hash-mismatch' });
        await subject.reset();

        const head = await tamperWith(`UPDATE yingpan.events SET hash = repeat('a', 64) WHERE position = 6`);
        expect(await subject.store.verify({ from: head })).toMatchObject({ ok: false, position: 6, kind: 'hash-mismatch' });
        await subject.reset();

        const earlier = await tamperWith(`UPDATE yingpan.events SET data = '{"i":98}' WHERE position = 2`);
        expect(await subject.store.verify({ from: earlier })).toMatchObject({ ok: true, count: 0 });
        expect(await subject.store.verify()).toMatchObject({ ok: false, position: 2, kind: 'hash-mismatch' });
      });

      it('finds events cut from the end only with a digest kept from before', async () => {
        const digest = await tamperWith('DELETE FROM yingpan.events WHERE position >= 5');
        expect(await subject.store.verify()).toMatchObject({ ok: true, count: 4 });
        expect(await subject.store.verify({ digest })).toMatchObject({ ok: false, position: 6, kind: 'digest-mismatch' });
      });
    });
  });
}
