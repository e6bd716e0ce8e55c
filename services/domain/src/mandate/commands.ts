import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { id, isoDate, text } from '../kernel/schemas.ts';
import { personStream } from '../person/decider.ts';
import { LEVELS, MANDATE_KINDS } from './events.ts';
import { mandateDecider, mandateStream, termDecider, termStream } from './decider.ts';

export const openTerm = defineCommand({
  name: 'OpenTerm',
  description: 'Opens a term (届).',
  roles: ['admin'],
  input: z.object({ termId: id, number: z.number().int().min(1).max(99), startsOn: isoDate, plannedEndOn: isoDate }),
  decider: termDecider,
  streamId: (input) => termStream(input.termId),
  toCommand: (data) => ({ type: 'OpenTerm' as const, data }),
});

export const closeTerm = defineCommand({
  name: 'CloseTerm',
  description: 'Closes a term at the election (换届); its mandates end that day.',
  roles: ['admin'],
  input: z.object({ termId: id, closedOn: isoDate }),
  decider: termDecider,
  streamId: (input) => termStream(input.termId),
  toCommand: (data) => ({ type: 'CloseTerm' as const, data }),
});

export const startMandate = defineCommand({
  name: 'StartMandate',
  description: 'Records that a person took a seat or post in a term.',
  roles: ['staff', 'admin'],
  input: z.object({
    mandateId: id,
    personId: id,
    termId: id,
    kind: z.enum(MANDATE_KINDS),
    level: z.enum(LEVELS).nullable().default(null),
    district: text(100).nullable().default(null),
    township: text(100).nullable().default(null),
    portfolio: text(100).nullable().default(null),
    publicServant: z.boolean(),
    startsOn: isoDate,
    byElection: z.boolean().default(false),
  }),
  decider: mandateDecider,
  streamId: (input) => mandateStream(input.mandateId),
  async toCommand(data, { lookups }) {
    const [{ state: term }, personExists] = await Promise.all([
      lookups.state(termDecider, termStream(data.termId)),
      lookups.exists(personStream(data.personId)),
    ]);
    return { type: 'StartMandate' as const, data: { ...data, term, personExists } };
  },
});

export const endMandate = defineCommand({
  name: 'EndMandate',
  description: 'Ends a mandate early: resignation, recall, death or transfer.',
  roles: ['staff', 'admin'],
  input: z.object({ mandateId: id, endsOn: isoDate, reason: z.enum(['resignation', 'recall', 'death', 'transfer']) }),
  decider: mandateDecider,
  streamId: (input) => mandateStream(input.mandateId),
  toCommand: (data) => ({ type: 'EndMandate' as const, data }),
});

export const endMandateAtTermClose = defineCommand({
  name: 'EndMandateAtTermClose',
  description: 'Ends a mandate of a closed term on the day the term closed (届满); part of completing the term change.',
  roles: ['staff', 'admin'],
  input: z.object({ mandateId: id }),
  decider: mandateDecider,
  streamId: (input) => mandateStream(input.mandateId),
  async toCommand(data, { lookups }) {
    const { state: mandate } = await lookups.state(mandateDecider, mandateStream(data.mandateId));
    const term = mandate.status === 'none' ? ({ status: 'none' } as const) : (await lookups.state(termDecider, termStream(mandate.termId))).state;
    return { type: 'EndMandateAtTermClose' as const, data: { mandateId: data.mandateId, term } };
  },
});

export const mandateCommands = [openTerm, closeTerm, startMandate, endMandate, endMandateAtTermClose];
