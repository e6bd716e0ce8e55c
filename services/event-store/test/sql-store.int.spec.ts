/**
 * Guarantees specific to the SQL adapter: global order under concurrent writers, the append-only
 * table, and tamper detection when stored bytes are changed behind the store's back.
 */
import { testTargets } from '@yingpan/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../src/errors.ts';
import { GENESIS_HASH, bodyHash, chainLink, eventHash, hashOf } from '../src/hash.ts';
import type { StoredEvent } from '../src/types.ts';
import { newEvent, streamOf } from './contract.ts';
import { openSqlStore, type SqlStoreUnderTest } from './sql-harness.ts';

for (const target of testTargets) {
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
      it('is linked by the database (chain version 2) exactly as the verifier recomputes it', async () => {
        const { store } = subject;
        await store.append({ streamId: streamOf(), expectedVersion: 'no_stream', events: [newEvent('A', { 名: '张三' }), newEvent('B', { n: 1.5 })] });
        const [first, second] = await store.readAll();
        expect(first).toMatchObject({ chainVersion: 2, prevHash: GENESIS_HASH });
        expect(first!.hash).toBe(chainLink(GENESIS_HASH, 1, 1, first!.metadata.recordedAt, bodyHash(first!)));
        expect(second!.prevHash).toBe(first!.hash);
        expect(second!.hash).toBe(hashOf(first!.hash, second!));
        expect(second!.hash).not.toBe(eventHash(first!.hash, second!));
      });

      it('verifies a log that holds rows of chain version 1 (written before version 2) followed by version 2', async () => {
        const { store, testDb } = subject;
        // Two rows as the store wrote them before migration 0002: the whole content hashed by the writer.
        let prevHash = GENESIS_HASH;
        const stream = streamOf();
        for (const position of [1, 2]) {
          const event = newEvent('Old', { position });
          const recordedAt = '2025-01-0' + position + 'T08:00:00.000Z';
          const metadata = { ...event.metadata, commandId: event.metadata.commandId ?? null, recordedAt };
          const hash = eventHash(prevHash, { ...event, metadata, position, streamId: stream, streamVersion: position });
          const { recordedBy, correlationId, causationId, commandId } = metadata;
          await testDb.db.query(
            `INSERT INTO yingpan.events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
            [position, event.id, stream, position, event.type, event.schemaVersion, JSON.stringify(event.data),
              JSON.stringify({ recordedBy, correlationId, causationId, commandId }), metadata.occurredAt, recordedAt, prevHash, hash],
          );
          prevHash = hash;
        }
        await store.append({ streamId: stream, expectedVersion: 2, events: [newEvent('New')] });
        const events = await store.readAll();
        expect(events.map((event) => [event.position, event.chainVersion, event.streamVersion])).toEqual([[1, 1, 1], [2, 1, 2], [3, 2, 3]]);
        expect(events[2]!.prevHash).toBe(prevHash);
        expect(await store.verify()).toMatchObject({ ok: true, count: 3 });
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

        await subject.testDb.db.exec(`ALTER TABLE yingpan.events DISABLE TRIGGER USER; UPDATE yingpan.events SET data = '{"i":99}' WHERE position = 8; ALTER TABLE yingpan.events ENABLE TRIGGER USER;`);
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
