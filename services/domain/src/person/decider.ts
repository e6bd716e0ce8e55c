import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Command } from '../kernel/messages.ts';
import type { PersonEvent } from './events.ts';

export type PersonCommand = Command<'RegisterPerson', { personId: string; name: string; gender: 'male' | 'female' | null; publicServant: boolean }>;

export type PersonState = { registered: false } | { registered: true; name: string };

export const personStream = (personId: string) => `person:${personId}`;

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  category: 'person',
  initialState: () => ({ registered: false }),
  decide(command, state) {
    switch (command.type) {
      case 'RegisterPerson':
        if (state.registered) throw new DomainError('person-exists', { zh: '该人员已登记', en: 'This person is already registered' }, 'personId');
        return [{ type: 'PersonRegistered', data: command.data }];
      default:
        return assertNever(command.type);
    }
  },
  evolve(_state, event) {
    switch (event.type) {
      case 'PersonRegistered':
        return { registered: true, name: event.data.name };
      default:
        return assertNever(event.type);
    }
  },
};
