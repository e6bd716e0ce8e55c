import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { ACT_RECORDERS, localDate, recorderOf } from '../kernel/recording.ts';
import { id, isoDate, text } from '../kernel/schemas.ts';
import { actingMandate } from '../mandate/acting.ts';
import { deputyActDecider, deputyActStream } from './decider.ts';
import { PRACTICAL_HELP_ACTS } from './events.ts';

export const recordPracticalHelp = defineCommand({
  name: 'RecordPracticalHelp',
  description: 'Records (or, by a deputy, declares) practical help for the people (我为群众办实事).',
  roles: ACT_RECORDERS,
  input: z.object({
    recordId: id,
    personId: id,
    mandateId: id,
    act: z.enum(PRACTICAL_HELP_ACTS),
    date: isoDate,
    summary: text(2000),
    beneficiaries: z.number().int().min(1),
    /** Defaults to the township of the mandate. */
    township: text(100).nullable().default(null),
  }),
  decider: deputyActDecider,
  streamId: (input) => deputyActStream(input.recordId),
  async toCommand(data, { context, lookups }) {
    const mandate = await actingMandate(lookups, data.mandateId, data.personId, data.date);
    return {
      type: 'RecordPracticalHelp' as const,
      data: { ...data, township: data.township ?? mandate.township, recorder: recorderOf(context), today: localDate(context.occurredAt) },
    };
  },
});

export const serviceCommands = [recordPracticalHelp];
