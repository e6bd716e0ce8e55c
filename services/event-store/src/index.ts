export * from './types.ts';
export * from './errors.ts';
export { canonicalJson } from './canonical.ts';
export { GENESIS_HASH, bodyHash, chainLink, eventHash, hashOf, formatDigest, parseDigest } from './hash.ts';
export { ChainVerifier } from './chain.ts';
export { SqlEventStore, migrateEventStore, rowToEvent, APPEND_LOCK, EVENTS_CHANNEL, EVENT_COLUMNS, type EventRow } from './sql-store.ts';
export { validateAppend } from './validate.ts';
export { KurrentDbEventStore, foldDigest, kurrentHashedContent, type KurrentDbStoreOptions } from './kurrentdb-store.ts';
