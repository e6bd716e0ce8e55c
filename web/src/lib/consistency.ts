/**
 * Read-your-writes for this browser tab. The API answers a mutation as soon as its events are in
 * the log and reports how far the log reached in the answer's `logPosition` extension; the read
 * models follow a moment later. The tab keeps the highest position it has written (in
 * sessionStorage, so a reload or a new page of the same tab keeps it) and sends it with every
 * request as `X-Consistent-With`: the API then answers each query from the read models it reads
 * once they have applied the log that far (services/api/src/consistency.ts).
 */

/** The request header naming the log position a request's reads must reflect. */
export const CONSISTENCY_HEADER = 'X-Consistent-With';
/** The answer's extension carrying the position its mutations wrote up to. */
export const POSITION_EXTENSION = 'logPosition';
const STORAGE_KEY = 'yingpan.logPosition';

/** Where the position is kept between pages: the tab's sessionStorage in a browser, nothing on the server. */
export interface PositionStore {
  get(): string | null;
  set(value: string): void;
}

function sessionStore(): PositionStore | null {
  try {
    if (typeof sessionStorage === 'undefined') return null;
    return { get: () => sessionStorage.getItem(STORAGE_KEY), set: (value) => sessionStorage.setItem(STORAGE_KEY, value) };
  } catch {
    return null; // storage refused (privacy settings): the position lives as long as the page
  }
}

export interface WrittenPosition {
  /** The highest position written so far (0: none). */
  readonly position: number;
  /** Notes an answer's `logPosition`, if it has one. */
  note(extensions: Record<string, unknown> | undefined): void;
  /** The header to send: empty until something was written. */
  headers(): Record<string, string>;
}

export function writtenPosition(store: PositionStore | null = sessionStore()): WrittenPosition {
  const stored = Number(store?.get() ?? 0);
  let position = Number.isSafeInteger(stored) && stored > 0 ? stored : 0;
  return {
    get position() {
      return position;
    },
    note(extensions) {
      const reached = extensions?.[POSITION_EXTENSION];
      if (typeof reached !== 'number' || !Number.isSafeInteger(reached) || reached <= position) return;
      position = reached;
      try {
        store?.set(String(reached));
      } catch {
        // storage full or refused: kept in memory
      }
    },
    headers: (): Record<string, string> => (position > 0 ? { [CONSISTENCY_HEADER]: String(position) } : {}),
  };
}
