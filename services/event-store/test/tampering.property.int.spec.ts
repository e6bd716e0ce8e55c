/**
 * Every stored byte of an event is covered (issue 20), as a property: on a seeded log holding
 * rows of every chain version (1 and 2 written as the store wrote them before, 3 by the store),
 * change one character, add a key or remove a key at any depth of `data` or `metadata` of a random
 * event, or spell one of its numbers otherwise — directly in the database, as a superuser with the
 * append-only trigger out of the way (`SET LOCAL session_replication_role = replica`). `verify`
 * must fail at exactly that position, every time; with the row put back, it passes again.
 */
import { randomUUID } from 'node:crypto';
import { everyEngine } from '@yingpan/db/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertLegacyRows } from './legacy.ts';
import { openSqlStore, type SqlStoreUnderTest } from './sql-harness.ts';
import { eventArb, tamper, tamperingArb, type Json } from './tampering.ts';

/** The seeded log's content is drawn once, from this seed (the tampering runs draw anew each time). */
const LOG_SEED = 20;
const RUNS = 40;

type Column = 'data' | 'metadata';

// ---------------------------------------------------------------------------------------------

for (const target of everyEngine) {
  describe.skipIf(target.skipReason !== null)(`every stored byte of an event is covered by its hash, on ${target.name}`, () => {
    let subject: SqlStoreUnderTest;
    /** The stored text of each row's data and metadata, as the database renders it. */
    const stored = new Map<number, Record<Column, string>>();
    let total = 0;

    const storedText = async (position: number, column: Column) => {
      const { rows } = await subject.testDb.db.query<{ text: string }>(`SELECT ${column}::text AS text FROM yingpan.events WHERE position = $1`, [position]);
      return rows[0]!.text;
    };
    /** As a superuser, with the append-only trigger out of the way. */
    const overwrite = (position: number, column: Column, json: string) =>
      subject.testDb.db.transaction(async (tx) => {
        await tx.query('SET LOCAL session_replication_role = replica');
        await tx.query(`UPDATE yingpan.events SET ${column} = $1::jsonb WHERE position = $2`, [json, position]);
      });

    beforeAll(async () => {
      subject = await openSqlStore(target);
      const [events] = fc.sample(fc.array(eventArb, { minLength: 14, maxLength: 14 }), { seed: LOG_SEED, numRuns: 1 });
      const streams = [`training:${randomUUID()}`, `person:${randomUUID()}`, `station:${randomUUID()}`];
      // Chain versions 1 and 2, as written before migrations 0002 and 0003.
      await insertLegacyRows(
        subject.testDb.db,
        events!.slice(0, 6).map((event, index) => ({
          version: index < 3 ? 1 : 2,
          streamId: streams[index % 3]!,
          streamVersion: Math.floor(index / 3) + 1,
          event,
          recordedAt: `2025-0${index + 1}-15T08:00:00.123Z`,
        })),
      );
      // Chain version 3, by the store: one event, then groups of several streams.
      await subject.store.append({ streamId: streams[0]!, expectedVersion: 2, events: events!.slice(6, 7) });
      await subject.store.appendMany([
        { streamId: streams[1]!, expectedVersion: 2, events: events!.slice(7, 10) },
        { streamId: streams[2]!, expectedVersion: 2, events: events!.slice(10, 14) },
      ]);
      const verified = await subject.store.verify();
      expect(verified).toMatchObject({ ok: true, count: 14, chainVersions: { 1: 3, 2: 3, 3: 8 } });
      total = 14;
      for (let position = 1; position <= total; position++) {
        stored.set(position, { data: await storedText(position, 'data'), metadata: await storedText(position, 'metadata') });
      }
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    it(`verify fails at exactly the changed position, whatever changed in data or metadata at any depth (${RUNS} runs)`, async () => {
      const seen = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 14 }), fc.constantFrom<Column>('data', 'metadata'), tamperingArb, async (position, column, tampering) => {
          const original = stored.get(position)![column];
          const changed = tamper(JSON.parse(original) as Json, tampering);
          fc.pre(changed !== null);
          await overwrite(position, column, changed!);
          try {
            // Only a change of what is stored counts (the database renders jsonb exactly as it keeps it).
            fc.pre((await storedText(position, column)) !== original);
            const result = await subject.store.verify();
            expect(result, `${tampering.kind} in ${column} at ${position}: ${changed}`).toMatchObject({
              ok: false,
              position,
              kind: 'hash-mismatch',
              count: position - 1,
            });
            const version = position <= 3 ? 1 : position <= 6 ? 2 : 3;
            const label = `${tampering.kind} in ${column}, v${version}`;
            seen.set(label, (seen.get(label) ?? 0) + 1);
          } finally {
            await overwrite(position, column, original);
          }
          expect(await storedText(position, column)).toBe(original);
          expect(await subject.store.verify()).toMatchObject({ ok: true, count: total });
        }),
        { numRuns: RUNS },
      );
      // Something of each kind was tried (fast-check may skip a tampering that does not apply).
      const kinds = new Set([...seen.keys()].map((label) => label.split(' in ')[0]));
      expect(kinds.size).toBeGreaterThanOrEqual(3);
    });

    it('the auditor’s forgeries, in a row of every chain version: keys of its own in metadata, and a name inside metadata.recordedBy', async () => {
      const forgeries: { label: string; sql: string }[] = [
        { label: 'top-level keys', sql: `metadata || '{"source": "forged.xlsx", "note": "approved by director"}'::jsonb` },
        { label: 'a recorder’s name', sql: `jsonb_set(metadata, '{recordedBy,name}', '"伪造者"')` },
        { label: 'a causation id left out', sql: `metadata - 'causationId'` },
        { label: 'a number respelled in data', sql: `jsonb_set(data, '{nested,list,0}', '1.50'::jsonb)` },
      ];
      for (const position of [2, 5, 9]) {
        for (const { label, sql } of forgeries) {
          const column: Column = sql.startsWith('jsonb_set(data') ? 'data' : 'metadata';
          const original = stored.get(position)![column];
          await subject.testDb.db.transaction(async (tx) => {
            await tx.query('SET LOCAL session_replication_role = replica');
            await tx.query(`UPDATE yingpan.events SET ${column} = ${sql} WHERE position = $1`, [position]);
          });
          try {
            expect(await storedText(position, column), label).not.toBe(original);
            expect(await subject.store.verify(), `${label} at ${position}`).toMatchObject({ ok: false, position, kind: 'hash-mismatch', count: position - 1 });
          } finally {
            await overwrite(position, column, original);
          }
        }
      }
      expect(await subject.store.verify()).toMatchObject({ ok: true, count: total });
    });
  });
}
