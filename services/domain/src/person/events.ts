import { z } from 'zod';
import { defineEvent, type EventOf } from '../kernel/registry.ts';

export const PersonRegistered = defineEvent({
  type: 'PersonRegistered',
  version: 1,
  stream: 'person',
  description: 'A person became known to the congress. A person is stable across terms; mandates come and go.',
  schema: z.object({
    personId: z.uuid(),
    name: z.string().min(1).max(100),
    gender: z.enum(['male', 'female']).nullable(),
    publicServant: z.boolean(),
  }),
});

export const personEvents = [PersonRegistered];
export type PersonEvent = EventOf<typeof PersonRegistered>;
