import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { id, text } from '../kernel/schemas.ts';
import { personDecider, personStream } from './decider.ts';

export const registerPerson = defineCommand({
  name: 'RegisterPerson',
  description: 'Registers a person (stable across terms).',
  roles: ['staff', 'admin'],
  input: z.object({
    personId: id,
    name: text(100),
    gender: z.enum(['male', 'female']).nullable().default(null),
    publicServant: z.boolean().default(false),
  }),
  decider: personDecider,
  streamId: (input) => personStream(input.personId),
  toCommand: (data) => ({ type: 'RegisterPerson' as const, data }),
});

export const personCommands = [registerPerson];
