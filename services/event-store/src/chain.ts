/** Walks events in log order and reports the first that breaks the chain. */
import { GENESIS_HASH, hashOf } from './hash.ts';
import type { ChainVersion, ChainVersionCounts, Head, StoredEvent, VerifyFailureKind } from './types.ts';

export interface ChainFailure {
  position: number;
  kind: VerifyFailureKind;
  message: string;
}

export class ChainVerifier {
  private previous: Head;
  count = 0;
  /** Events verified so far, by chain version. */
  readonly chainVersions: ChainVersionCounts = {};

  /** Starts at the beginning of the log, or after a head verified earlier. */
  constructor(start: Head = { position: 0, hash: GENESIS_HASH }) {
    this.previous = start;
  }

  get head(): Head {
    return this.previous;
  }

  /**
   * Checks the next event; returns a failure or null. `outside`: what its stored row holds beyond
   * what any hash covers (found by looking at the stored rows), if anything — a failure too.
   */
  check(event: StoredEvent, outside: string | null = null): ChainFailure | null {
    const at = event.position;
    if (at !== this.previous.position + 1) {
      return {
        position: at,
        kind: 'gap',
        message: `expected position ${this.previous.position + 1} after ${this.previous.position}, found ${at}`,
      };
    }
    if (event.prevHash !== this.previous.hash) {
      return { position: at, kind: 'broken-link', message: `its previous-hash does not match the hash of position ${this.previous.position}` };
    }
    if (hashOf(event.prevHash, event) !== event.hash) {
      return { position: at, kind: 'hash-mismatch', message: 'its content does not match its hash (a stored byte was changed)' };
    }
    if (outside !== null) {
      return { position: at, kind: 'hash-mismatch', message: `its stored row holds what the store never writes: ${outside}` };
    }
    this.previous = { position: at, hash: event.hash };
    this.count += 1;
    countVersion(this.chainVersions, event.chainVersion ?? 1);
    return null;
  }
}

/** Adds one event of `version` to `counts`. */
export function countVersion(counts: ChainVersionCounts, version: ChainVersion): void {
  counts[version] = (counts[version] ?? 0) + 1;
}
