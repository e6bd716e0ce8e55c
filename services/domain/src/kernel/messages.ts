/** Tagged message types, one union per stream type (see docs/architecture.md). */

export interface Command<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}

export interface Event<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}

/** Who issues a command, and when: supplied by the composition root, never read inside a decider. */
export interface CommandContext {
  /** Client-supplied id: a retry with the same id appends nothing new. */
  commandId: string;
  actor: {
    personId: string;
    role: string;
    /** The signed-in account, if the caller signed in with one (not a service token). */
    accountId?: string | undefined;
    /** A station manager's grant scope: the stations they may act at; absent: the stations' own manager records decide. */
    stationIds?: readonly string[] | undefined;
  };
  /** When the act happened (for late paper records this is in the past). */
  occurredAt: string;
  correlationId?: string;
  /** An imported command's file and row (SHA-256, sheet, row): every event it appends carries them in its metadata. */
  source?: { sha256: string; sheet: string; row: number };
}
