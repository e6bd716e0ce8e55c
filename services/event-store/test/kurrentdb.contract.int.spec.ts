/**
 * The contract suite on KurrentDB, when KURRENTDB_URL names a server or cluster
 * (see infra/README.md). KurrentDB cannot drop data, so "empty the store" means "move to a fresh
 * namespace": every test gets its own random stream prefix and sees an empty log.
 */
import { randomBytes } from 'node:crypto';
import { KurrentDbEventStore } from '../src/kurrentdb-store.ts';
import type { EventStore } from '../src/types.ts';
import { eventStoreContract, type StoreUnderTest } from './contract.ts';

const url = process.env.KURRENTDB_URL;
const skipReason = url ? null : 'KURRENTDB_URL is not set, so the KurrentDB run of the contract suite is skipped';
if (skipReason) console.warn(`[yingpan tests] SKIPPED on kurrentdb: ${skipReason}`);

const freshPrefix = () => `contract-${randomBytes(6).toString('hex')}/`;

async function openKurrentStore(connectionString: string): Promise<StoreUnderTest> {
  const owner = await KurrentDbEventStore.open(connectionString, { streamPrefix: freshPrefix() });
  let current = owner;
  // The contract keeps the `store` it got first, so it is a stable front for the current namespace.
  const store: EventStore = {
    append: (request) => current.append(request),
    appendMany: (requests) => current.appendMany(requests),
    readStream: (streamId, options) => current.readStream(streamId, options),
    streamVersion: (streamId) => current.streamVersion(streamId),
    readAll: (options) => current.readAll(options),
    subscribe: (options) => current.subscribe(options),
    waitForAppend: (position, timeoutMs, signal) => current.waitForAppend(position, timeoutMs, signal),
    head: () => current.head(),
    verify: (options) => current.verify(options),
    close: () => current.close(),
  };
  return {
    store,
    async reset() {
      current = owner.withStreamPrefix(freshPrefix());
    },
    // The owner holds the client; the namespaced stores share it.
    dispose: () => owner.close(),
  };
}

eventStoreContract('kurrentdb', () => openKurrentStore(url!), skipReason);
