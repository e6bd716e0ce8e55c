/** Opens the SQL event store on a throw-away database of the given test target. */
import type { TestDb, TestTarget } from '@yingpan/db/testing';
import { SqlEventStore, migrateEventStore } from '../src/sql-store.ts';
import type { StoreUnderTest } from './contract.ts';

export interface SqlStoreUnderTest extends StoreUnderTest {
  store: SqlEventStore;
  testDb: TestDb;
}

export async function openSqlStore(target: TestTarget): Promise<SqlStoreUnderTest> {
  const testDb = await target.open();
  const store = await SqlEventStore.open(testDb.db);
  return {
    store,
    testDb,
    async reset() {
      // Tests only: dropping the schema is the one way to empty an append-only log.
      await testDb.db.exec('DROP SCHEMA IF EXISTS yingpan CASCADE');
      await migrateEventStore(testDb.db);
    },
    dispose: () => testDb.dispose(),
  };
}
