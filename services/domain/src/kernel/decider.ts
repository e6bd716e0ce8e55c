/** The decider pattern: pure functions from commands and state to events. No clock, no I/O. */
import type { Command, Event } from './messages.ts';

export interface Decider<C extends Command, E extends Event, S> {
  /** The stream category the decider owns, e.g. "activity". */
  category: string;
  initialState: () => S;
  /** Returns the events the command causes, or throws a DomainError. */
  decide: (command: C, state: S) => E[];
  evolve: (state: S, event: E) => S;
  /**
   * Folds the annotation events on its streams (EventDefinition.annotation: evidence attached to a
   * record). Without it the decider never sees them: `foldsEvent` leaves them out.
   */
  annotations?: boolean;
}

/** Does `decider` see an event of `type`? Every event but the annotations, which only deciders that ask for them see. */
export const foldsEvent = (decider: { annotations?: boolean }, registry: { isAnnotation(type: string): boolean }, type: string): boolean =>
  decider.annotations === true || !registry.isAnnotation(type);

export const fold = <E extends Event, S>(decider: Pick<Decider<never, E, S>, 'initialState' | 'evolve'>, events: E[]): S =>
  events.reduce(decider.evolve, decider.initialState());

/** Ends a switch over a union: adding a message type without handling it fails to compile. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(value)}`);
}
