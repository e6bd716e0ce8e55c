/**
 * The per-process cache of the slowest read queries: an answer is reused only while every read
 * model's checkpoint stands where it stood, on a real database.
 */
import type { QueryOptions } from '@yingpan/db';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { migrateProjections } from '@yingpan/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consistentDb } from '../src/consistency.ts';
import { cachedWhileUnchanged } from '../src/read-cache.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`the read cache on ${target.name}`, () => {
    let testDb: TestDb;
    beforeAll(async () => {
      testDb = await target.open();
      await migrateProjections(testDb.db);
      await testDb.db.query(`INSERT INTO yingpan.projection_checkpoints (name, version, position) VALUES ('facts', 1, 10), ('stations', 1, 10)`);
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    it('reuses an answer until a read model moves, and keeps answers of other arguments apart', async () => {
      const { db } = testDb;
      let computed = 0;
      const ask = (year: number) => cachedWhileUnchanged(db, 'bands', { year }, async () => ({ year, run: ++computed }));

      const first = await ask(2024);
      expect(await ask(2024)).toBe(first);
      expect(computed).toBe(1);
      expect(await ask(2023)).toEqual({ year: 2023, run: 2 });

      await db.query(`UPDATE yingpan.projection_checkpoints SET position = 11 WHERE name = 'stations'`);
      expect(await ask(2024)).toEqual({ year: 2024, run: 3 });
      await db.query(`UPDATE yingpan.projection_checkpoints SET version = 2, position = 11 WHERE name = 'facts'`);
      expect(await ask(2024)).toEqual({ year: 2024, run: 4 });
      expect(await ask(2024)).toEqual({ year: 2024, run: 4 });
    });

    it('shares one computation between concurrent asks, and forgets a failure', async () => {
      const { db } = testDb;
      let computed = 0;
      const slow = () =>
        cachedWhileUnchanged(db, 'compliance', { township: '城关镇' }, async () => {
          computed += 1;
          await new Promise((resolve) => setTimeout(resolve, 50));
          return { computed };
        });
      const answers = await Promise.all([slow(), slow(), slow()]);
      expect(computed).toBe(1);
      expect(new Set(answers).size).toBe(1);

      await expect(cachedWhileUnchanged(db, 'broken', {}, async () => Promise.reject(new Error('database away')))).rejects.toThrow('database away');
      expect(await cachedWhileUnchanged(db, 'broken', {}, async () => 'recovered')).toBe('recovered');
    });

    it('asks for the checkpoints once for reads begun together on a handle, through a consistent handle too, and anew afterwards', async () => {
      const statements: { text: string; prepared?: string }[] = [];
      const counted = new Proxy(testDb.db, {
        get(target, property) {
          if (property === 'query')
            return (text: string, params?: readonly unknown[], options?: QueryOptions) => {
              statements.push({ text, prepared: options?.prepared });
              return target.query(text, params, options);
            };
          const value = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const waited: number[] = [];
      const request = consistentDb(counted, 11, async (_models, position) => void waited.push(position));
      const checkpointReads = () => statements.filter((statement) => statement.text.includes('projection_checkpoints'));
      const figures = (name: string) => cachedWhileUnchanged(request, name, {}, async () => name);
      expect(await Promise.all([figures('headlines'), figures('by act'), figures('by month')])).toEqual(['headlines', 'by act', 'by month']);
      expect(checkpointReads()).toHaveLength(1);
      // The statement is prepared by name, and the name reaches the database through the consistent handle.
      expect(checkpointReads()[0]!.prepared).toBe('yingpan_read_model_state');
      expect(waited).toEqual([11]);
      await figures('headlines');
      expect(checkpointReads()).toHaveLength(2);
    });
  });
}
