/**
 * The engine's promises, tested as properties: (1) processing the log incrementally, in any batch
 * sizes (one event at a time included), gives exactly the read models a rebuild from zero gives; (2) a projector killed with
 * SIGKILL at random moments — during a rebuild and during catch-up — and restarted ends with the
 * read models of a clean rebuild. Models are compared by a fingerprint of every table.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { seedCounty } from '@yingpan/seed';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelHash } from '../src/engine/model-hash.ts';
import { Projector } from '../src/engine/projector.ts';
import { allProjections } from '../src/index.ts';

const fingerprints = async (testDb: TestDb) =>
  Object.fromEntries(await Promise.all(allProjections.map(async (projection) => [projection.name, await modelHash(testDb.db, projection)] as const)));

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`replaying the log on ${target.name}`, () => {
    it('incremental processing in random batch sizes equals a rebuild from zero', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 10, max: 400 }), fc.integer({ min: 200, max: 3000 }), async (seed, smallBatch, cut) => {
          const testDb = await target.open();
          try {
            const store = await SqlEventStore.open(testDb.db);
            await seedCounty(store, { seed, scale: 'small' });
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
        }),
        // Batches of one event: each batched projection's applyBatch must equal its apply, event by event.
        { numRuns: 2, examples: [[7, 1, 100]] },
      );
    }, 600_000);
  });
}

const fixture = fileURLToPath(new URL('./fixtures/run-projector.ts', import.meta.url));

/** Runs the projector process, killing it with SIGKILL after `killAfterMs` (or letting it finish). */
function runProjector(url: string, mode: 'rebuild' | 'catch-up', killAfterMs: number | null): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, url, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`projector exited with ${code}: ${stderr}`));
    });
  });
}

const postgres = testTargets.find((target) => target.name === 'postgres')!;

describe.skipIf(postgres.skipReason !== null)('a projector killed at random moments (PostgreSQL, separate processes)', () => {
  it('ends, after restarts, with the read models of a clean rebuild', async () => {
    const testDb = await postgres.open();
    try {
      const store = await SqlEventStore.open(testDb.db);
      await seedCounty(store, { seed: 5, scale: 'small' });
      const kills: number[] = [];
      for (const mode of ['rebuild', 'catch-up'] as const) {
        for (let attempt = 0; attempt < 4; attempt++) {
          const after = 800 + Math.floor(Math.random() * 2500);
          if ((await runProjector(testDb.url!, mode, after)) === 'killed') kills.push(after);
        }
      }
      expect(await runProjector(testDb.url!, 'catch-up', null)).toBe('finished');
      const afterCrashes = await fingerprints(testDb);
      const clean = new Projector(testDb.db, store, allProjections, { batchSize: 5000 });
      for (const projection of allProjections) await clean.rebuild(projection);
      expect(await fingerprints(testDb)).toEqual(afterCrashes);
      expect(kills.length).toBeGreaterThan(0);
    } finally {
      await testDb.dispose();
    }
  }, 600_000);
});
