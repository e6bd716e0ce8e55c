/**
 * The engine's first promise, as a property for one engine (replay-pglite / replay-postgres run it,
 * one file each so the two overlap): processing the log incrementally, in any batch sizes, and with every
 * event applied on its own, gives exactly the read models a rebuild from zero gives. Models are compared
 * by a fingerprint of every table.
 */
import type { TestDb, TestTarget } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { seedCountyFixture } from '@yingpan/seed/fixture';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { modelHash } from '../src/engine/model-hash.ts';
import { Projector } from '../src/engine/projector.ts';
import { allProjections } from '../src/index.ts';

export const fingerprints = async (testDb: TestDb) =>
  Object.fromEntries(await Promise.all(allProjections.map(async (projection) => [projection.name, await modelHash(testDb.db, projection)] as const)));

/**
 * `eventByEvent`: also check that processing the whole log with every event applied on its own
 * (each projection's `apply`) gives what the batched rebuild (`applyBatch` where a projection has
 * one) gives. It is about the projections' code more than the engine: one engine runs it
 * (PostgreSQL when it is here, else PGlite); both run the random property.
 */
export function replayProperty(target: TestTarget, { eventByEvent }: { eventByEvent: boolean }): void {
  describe.skipIf(target.skipReason !== null)(`replaying the log on ${target.name}`, () => {
    it('incremental processing in random batch sizes equals a rebuild from zero', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 1000 }),
          fc.integer({ min: 10, max: 400 }),
          fc.integer({ min: 200, max: 3000 }),
          async (seed, smallBatch, cut) => {
            const testDb = await target.open();
            try {
              const store = await SqlEventStore.open(testDb.db);
              await seedCountyFixture(store, { seed, scale: 'small' });
              // Incremental: follow the log in small random batches, in two stretches.
              const incremental = new Projector(testDb.db, store, allProjections, { batchSize: smallBatch });
              await incremental.prepare();
              for (const projection of allProjections) {
                for (let steps = 0; steps * smallBatch < cut && (await incremental.step(projection)) > 0; steps++);
              }
              await incremental.catchUp();
              const stepwise = await fingerprints(testDb);
              // Rebuild: every model from position zero in large batches, in one pass over the log.
              const rebuilder = new Projector(testDb.db, store, allProjections, { batchSize: 5000 });
              expect(await rebuilder.rebuildAll()).toEqual([]);
              expect(await fingerprints(testDb)).toEqual(stepwise);
            } finally {
              await testDb.dispose();
            }
          },
        ),
        // One random run (each seeds a county and projects it twice: minutes on a busy machine), the same
        // case on both engines (the seed is drawn once per run: global-setup.ts).
        { numRuns: 1, seed: inject('replaySeed') },
      );
    }, 1_200_000);

    it.skipIf(!eventByEvent)(
      'applying every event on its own equals the batched rebuild, for every projection',
      async () => {
        const testDb = await target.open();
        try {
          const store = await SqlEventStore.open(testDb.db);
          await seedCountyFixture(store, { seed: 7, scale: 'small' });
          const single = new Projector(testDb.db, store, allProjections, { batchSize: 2000, eventByEvent: true });
          await single.prepare();
          await single.catchUp();
          const eventByEvent = await fingerprints(testDb);
          const rebuilder = new Projector(testDb.db, store, allProjections, { batchSize: 5000 });
          expect(await rebuilder.rebuildAll()).toEqual([]);
          expect(await fingerprints(testDb)).toEqual(eventByEvent);
        } finally {
          await testDb.dispose();
        }
      },
      1_200_000,
    );
  });
}
