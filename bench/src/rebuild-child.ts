/**
 * One phase of the projection benchmark in a fresh Node.js process, so that its memory is the
 * phase's alone (not what building the county left behind in the parent):
 *   read         the baseline: the whole log with a plain keyset SELECT, rows dropped as read;
 *   rebuild-all  every read model rebuilt from position zero in one pass over the log
 *                (Projector.rebuildAll, as `yingpan rebuild` and the projector's prepare do);
 *   rebuild      every read model rebuilt one after another (Projector.rebuild each: a pass per model).
 * Started by projections.ts (see runPhase); reports seconds, events and memory (at rest after
 * opening the database, and the peaks during the phase) over IPC.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { postgresDb } from '@yingpan/db';
import { SqlEventStore } from '@yingpan/event-store';
import { allProjections, Projector } from '@yingpan/projections';
import { MemorySampler, memoryNow, type MemoryFigures } from './memory.ts';

export type Phase = 'read' | 'rebuild' | 'rebuild-all';

export interface PhaseResult {
  phase: Phase;
  seconds: number;
  events: number;
  rest: MemoryFigures;
  peak: MemoryFigures;
}

const PAGE = 2000;

/** Runs a phase in a child process against the database at `url`. */
export async function runPhase(phase: Phase, url: string): Promise<PhaseResult> {
  const child = fork(fileURLToPath(import.meta.url), [phase], {
    env: { ...process.env, BENCH_REBUILD_DATABASE_URL: url },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let result: PhaseResult | undefined;
  child.on('message', (message: PhaseResult) => (result = message));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0 || !result) throw new Error(`the ${phase} phase failed (exit code ${code})`);
  return result;
}

async function child(phase: Phase, url: string): Promise<PhaseResult> {
  const db = postgresDb({ connectionString: url, max: 4 });
  try {
    const store = await SqlEventStore.open(db);
    const projector = new Projector(db, store, allProjections, { batchSize: PAGE });
    const events = (await store.head()).position;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rest = memoryNow();
    const sampler = new MemorySampler().start();
    const start = performance.now();
    if (phase === 'read') {
      let read = 0;
      for (let after = 0; ; ) {
        const { rows } = await db.query<{ position: number }>('SELECT * FROM yingpan.events WHERE position > $1 ORDER BY position LIMIT $2', [after, PAGE]);
        if (rows.length === 0) break;
        read += rows.length;
        after = rows[rows.length - 1]!.position;
      }
      if (read !== events) throw new Error(`read ${read} events, the log has ${events}`);
    } else if (phase === 'rebuild-all') {
      const failures = await projector.rebuildAll(allProjections);
      if (failures.length > 0) throw new Error(`rebuildAll: ${failures.map((failure) => `${failure.projection}: ${failure.message}`).join('; ')}`);
    } else {
      for (const projection of allProjections) await projector.rebuild(projection);
    }
    const seconds = (performance.now() - start) / 1000;
    const peak = sampler.peak();
    sampler.stop();
    await store.close();
    return { phase, seconds, events, rest, peak };
  } finally {
    await db.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const phase = process.argv[2] as Phase;
  const url = process.env.BENCH_REBUILD_DATABASE_URL;
  if (!['read', 'rebuild', 'rebuild-all'].includes(phase) || !url)
    throw new Error('usage: rebuild-child.ts read|rebuild|rebuild-all (with BENCH_REBUILD_DATABASE_URL)');
  const result = await child(phase, url);
  process.send(result, () => process.exit(0));
}
