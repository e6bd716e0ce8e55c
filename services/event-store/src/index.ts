export * from './types.ts';
export * from './errors.ts';
export { canonicalJson } from './canonical.ts';
export {
  CURRENT_CHAIN_VERSION,
  GENESIS_HASH,
  bodyHash,
  chainLink,
  eventHash,
  formatChainVersions,
  formatDigest,
  hashOf,
  parseDigest,
  storedBodyHash,
  storedBodyOf,
  storedForm,
  storedMetadataOf,
  type StoredBody,
} from './hash.ts';
export { ChainVerifier } from './chain.ts';
export { SqlEventStore, migrateEventStore, rowToEvent, APPEND_LOCK, EVENTS_CHANNEL, EVENT_COLUMNS, type EventRow } from './sql-store.ts';
export { validateAppend } from './validate.ts';
export { WriteBehindStore } from './write-behind-store.ts';
export { KurrentDbEventStore, foldDigest, kurrentHashedContent, type KurrentDbStoreOptions } from './kurrentdb-store.ts';
export * as merkle from './merkle.ts';
export { EMPTY_ROOT, MemoryTree, leafHash, nodeHash, verifyConsistency, verifyInclusion, type ProofCheck } from './merkle.ts';
export * from './note.ts';
export {
  TransparencyLog,
  TransparencyError,
  type TransparencyFailure,
  type StoredCheckpoint,
  type InclusionProof,
  type ConsistencyProof,
} from './transparency.ts';
export { checkProofFile, type ProofFile, type InclusionProofFile, type ConsistencyProofFile, type ProofFileCheck } from './proof-file.ts';
export { checkKit, KIT_FORMAT, type AuditKit, type KitCheck, type KitEntry, type KitEntryCheck, type KitSelection } from './kit.ts';
