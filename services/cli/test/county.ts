/**
 * The small county (seed 7) as `yingpan seed --scale small` leaves it, on the database `config`
 * names: the log appended from the seed's fixture (`@yingpan/seed/fixture`, built through the
 * commands once, and checked by the seed's own test) and every read model caught up with it.
 */
import { type DbConfig, openDb } from '@yingpan/db';
import { SqlEventStore } from '@yingpan/event-store';
import { allProjections, Projector } from '@yingpan/projections';
import { seedCountyFixture } from '@yingpan/seed/fixture';

export async function seededCounty(config: DbConfig): Promise<void> {
  const db = await openDb(config);
  try {
    const store = await SqlEventStore.open(db);
    await seedCountyFixture(store, { seed: 7, scale: 'small' });
    const projector = new Projector(db, store, allProjections);
    await projector.prepare();
    await projector.catchUp();
  } finally {
    await db.close();
  }
}
