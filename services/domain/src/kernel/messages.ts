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
  actor: { personId: string; role: string };
  /** When the act happened (for late paper records this is in the past). */
  occurredAt: string;
  correlationId?: string;
}
