/**
 * The demo county as a database image for integration tests (`@yingpan/projections/testing`):
 * the log `seedCounty` writes, with every read model projected to its head, built once per seed,
 * scale, day and source digest, then copied for each test file (`openImage`, @yingpan/db/testing).
 */
import { fileURLToPath } from 'node:url';
import { digestOfSources, openImage, type TestDb, type TestTarget } from '@yingpan/db/testing';
import { countyToday } from '@yingpan/domain';
import { SqlEventStore } from '@yingpan/event-store';
import type { ScaleName } from '@yingpan/seed';
import { seedCountyFixture } from '@yingpan/seed/fixture';
import { Projector } from './engine/projector.ts';
import { allProjections } from './index.ts';

/** Everything the image's content depends on: the seed, the domain, the store, the read models and the db layer. */
const SOURCES = [
  '.',
  '../migrations',
  '../../services/seed/src',
  '../../services/domain/src',
  '../../services/event-store/src',
  '../../services/event-store/migrations',
  '../../services/db/src',
].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));

export interface CountyImageOptions {
  seed: number;
  scale: ScaleName;
  /** The day the county stands on (default: the test day). */
  today?: string;
}

export interface CountyDb extends TestDb {
  store: SqlEventStore;
}

/** A copy of the demo county, every read model at the log's head, on `target`. */
export async function openCountyImage(target: TestTarget, options: CountyImageOptions): Promise<CountyDb> {
  const today = options.today ?? countyToday();
  const key = JSON.stringify({ image: 'county', seed: options.seed, scale: options.scale, today, sources: digestOfSources(SOURCES) });
  const testDb = await openImage(target, key, async (db) => {
    const store = await SqlEventStore.open(db);
    await seedCountyFixture(store, { seed: options.seed, scale: options.scale, today });
    const projector = new Projector(db, store, allProjections, { batchSize: 2000 });
    await projector.prepare();
    await projector.catchUp();
  });
  return { ...testDb, store: await SqlEventStore.open(testDb.db) };
}
