/**
 * The engine's second promise: a projector killed with SIGKILL at random moments — during a
 * rebuild and during catch-up — and restarted ends with the read models of a clean rebuild.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { everyEngine } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { seedCountyFixture } from '@yingpan/seed/fixture';
import { describe, expect, it } from 'vitest';
import { Projector } from '../src/engine/projector.ts';
import { allProjections } from '../src/index.ts';
import { fingerprints } from './replay-property.ts';

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

const postgres = everyEngine.find((target) => target.name === 'postgres')!;

describe.skipIf(postgres.skipReason !== null)('a projector killed at random moments (PostgreSQL, separate processes)', () => {
  it('ends, after restarts, with the read models of a clean rebuild', async () => {
    const testDb = await postgres.open();
    try {
      const store = await SqlEventStore.open(testDb.db);
      await seedCountyFixture(store, { seed: 7, scale: 'small' });
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
