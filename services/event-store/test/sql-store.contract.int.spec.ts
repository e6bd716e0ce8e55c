import { everyEngine } from '@yingpan/db/testing';
import { eventStoreContract } from './contract.ts';
import { openSqlStore } from './sql-harness.ts';

for (const target of everyEngine) {
  eventStoreContract(target.name, () => openSqlStore(target), target.skipReason);
}
