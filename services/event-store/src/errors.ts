import type { ExpectedVersion } from './types.ts';

/** Base class of every error the store raises on purpose. */
export class EventStoreError extends Error {
  override name = 'EventStoreError';
}

/** The stream was not at the version the writer expected: nothing was written. */
export class ConcurrencyError extends EventStoreError {
  override name = 'ConcurrencyError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Stream ${streamId} is at version ${actual}, but version ${String(expected)} was expected.`);
  }
}

/** Some, but not all, of a request's event ids are already stored, or stored on another stream. */
export class IdempotencyError extends EventStoreError {
  override name = 'IdempotencyError';
  constructor(readonly eventIds: string[]) {
    super(`Events ${eventIds.join(', ')} are already stored as part of a different append.`);
  }
}

/** The request is malformed (bad id, empty type, data that is not JSON …): nothing was written. */
export class InvalidEventError extends EventStoreError {
  override name = 'InvalidEventError';
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
  }
}

/** Throws a ConcurrencyError unless a stream at `actual` satisfies the writer's expectation. */
export function checkExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  const ok = expected === 'any' || (expected === 'no_stream' && actual === 0) || (expected === 'stream_exists' && actual > 0) || expected === actual;
  if (!ok) throw new ConcurrencyError(streamId, expected, actual);
}
