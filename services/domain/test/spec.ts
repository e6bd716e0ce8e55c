/** Given/when/then specifications for deciders. */
import { expect } from 'vitest';
import type { Decider } from '../src/kernel/decider.ts';
import { DomainError } from '../src/kernel/errors.ts';
import type { Command, Event } from '../src/kernel/messages.ts';

export function spec<C extends Command, E extends Event, S>(decider: Decider<C, E, S>) {
  return {
    given(history: E[]) {
      return {
        when(command: C) {
          const run = () => decider.decide(command, history.reduce(decider.evolve, decider.initialState()));
          return {
            // biome-ignore lint/suspicious/noThenProperty: given/when/then reads as the specification says it
            then(expected: E[]) {
              expect(run()).toEqual(expected);
            },
            thenRejects(code: string) {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(DomainError);
              expect((caught as DomainError).code).toBe(code);
              expect((caught as DomainError).messages.zh).toMatch(/\p{Script=Han}/u);
            },
          };
        },
      };
    },
  };
}
